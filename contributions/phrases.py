"""What contributions writes into claims itself (``core.phrases``): said in the reader's
language, amounts formatted for them."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

PLEDGED = phrase("pledged", gettext_noop("Pledged %(amount)s."))
PLEDGE_NEVER_PAID = phrase("pledge_never_paid", gettext_noop("The pledge was never paid."))

# Notifications.
CONTRIBUTION_CLAIMED_NOTICE = phrase(
    "contribution_claimed_notice",
    gettext_noop(
        "%(public_name)s claimed a %(lower)s contribution on “%(title)s”. You may endorse it."
    ),
)
CONTRIBUTION_APPROVED_NOTICE = phrase(
    "contribution_approved_notice",
    gettext_noop("Your %(lower)s contribution to “%(title)s” was approved with %(points)s points."),
)
CONTRIBUTION_REJECTED_NOTICE = phrase(
    "contribution_rejected_notice",
    gettext_noop("Your %(lower)s contribution to “%(title)s” was not approved: %(reason)s"),
)
