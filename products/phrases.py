"""What products tell members (``core.phrases``): stored as codes and parameters, said in the
reader's language (amounts in their notation, dates in their long form) when read."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

MILESTONE_SLIPPED_NOTICE = phrase(
    "milestone_slipped_notice",
    gettext_noop("“%(title)s” missed its milestone “%(milestone)s”, due %(due)s."),
)
EXPENSE_APPROVED_NOTICE = phrase(
    "expense_approved_notice",
    gettext_noop("Your expense “%(description)s” (%(amount)s) is approved."),
)
EXPENSE_REJECTED_NOTICE = phrase(
    "expense_rejected_notice",
    gettext_noop("Your expense “%(description)s” (%(amount)s) is rejected: %(reason)s"),
)
EXPENSE_PAID_NOTICE = phrase(
    "expense_paid_notice",
    gettext_noop("The expense “%(description)s” (%(amount)s) is paid."),
)
REFUND_PROMISED_NOTICE = phrase(
    "refund_promised_notice",
    gettext_noop(
        "“%(title)s” was abandoned: finance will pay you back %(amount)s, your share "
        "of what is left of its funds."
    ),
)
REFUND_DONE_NOTICE = phrase(
    "refund_done_notice",
    gettext_noop("“%(title)s” was abandoned: %(amount)s of your pledge is refunded to you."),
)
