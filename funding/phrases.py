"""The history lines funding writes (``core.phrases``): amounts stay minor units with their
currency and are formatted for the reader (¥4,200.50, €1,330.00)."""

from django.utils.translation import gettext_noop

from core.phrases import phrase

ROUND_FUNDED = phrase(
    "round_funded", gettext_noop("The round closed with %(raised)s of %(goal)s pledged: funded.")
)
ROUND_FAILED = phrase(
    "round_failed",
    gettext_noop(
        "The round closed with %(raised)s of %(goal)s pledged: below the goal, pledges released."
    ),
)
PRODUCT_STAGE = phrase("product_stage", gettext_noop("Now %(stage)s."))
