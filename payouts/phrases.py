"""What payouts tells members (``core.phrases``): codes with parameters, said in each reader's
language."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

# Notifications.
SETTLEMENT_POSTED_NOTICE = phrase(
    "settlement_posted_notice",
    gettext_noop("Your share of “%(title)s” for %(start)s – %(end)s is posted."),
)
PAYOUT_HELD_BACK_NOTICE = phrase(
    "payout_held_back_notice",
    gettext_noop(
        "Your %(currency)s balance is ready to be paid out, but we do not know where to pay you: "
        "add a payout destination on your earnings page and it goes out in the next batch."
    ),
)
PAYOUT_PAID_NOTICE = phrase(
    "payout_paid_notice",
    gettext_noop("Your %(currency)s payout is on its way (reference %(reference)s)."),
)
PAYOUT_DESTINATION_CHANGED_NOTICE = phrase(
    "payout_destination_changed_notice",
    gettext_noop(
        "Your payout destination was changed to %(masked)s. If you did not do this, change your "
        "password and tell us at once."
    ),
)
