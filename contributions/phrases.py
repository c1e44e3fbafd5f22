"""What contributions writes into claims itself (``core.phrases``): said in the reader's
language, amounts formatted for them."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

PLEDGED = phrase("pledged", gettext_noop("Pledged %(amount)s."))
PLEDGE_NEVER_PAID = phrase("pledge_never_paid", gettext_noop("The pledge was never paid."))
