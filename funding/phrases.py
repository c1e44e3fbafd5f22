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

# Notifications.
APPROVED_FOR_FUNDING_NOTICE = phrase(
    "approved_for_funding_notice",
    gettext_noop("“%(title)s” is approved for funding: pledges are open."),
)
NOT_APPROVED_NOTICE = phrase(
    "not_approved_notice", gettext_noop("“%(title)s” was not approved: %(reason)s")
)
FUNDED_YOURS_NOTICE = phrase(
    "funded_yours_notice",
    gettext_noop("Your idea “%(title)s” is funded with %(amount)s: it becomes a product."),
)
FUNDED_BACKED_NOTICE = phrase(
    "funded_backed_notice",
    gettext_noop(
        "An idea you backed, “%(title)s”, is funded with %(amount)s: it becomes a product."
    ),
)
ROUND_FAILED_YOURS_NOTICE = phrase(
    "round_failed_yours_notice",
    gettext_noop("The funding round of “%(title)s” ended at %(amount)s, below its goal."),
)
ROUND_FAILED_BACKED_NOTICE = phrase(
    "round_failed_backed_notice",
    gettext_noop(
        "The funding round of “%(title)s” ended below its goal: your pledge is released and "
        "nothing will be collected."
    ),
)
PRODUCT_STAGE_NOTICE = phrase("product_stage_notice", gettext_noop("“%(title)s” is now %(lower)s."))
PAYMENT_FAILED_NOTICE = phrase(
    "payment_failed_notice",
    gettext_noop(
        "Your payment for “%(title)s” did not go through (%(why)s). Pay again by %(due)s to keep "
        "your pledge."
    ),
)
PAYMENT_REFUSED_NOTICE = phrase(
    "payment_refused_notice",
    gettext_noop("Your payment for “%(title)s” was not accepted: %(reason)s"),
)
PAYMENT_LAPSED_NOTICE = phrase(
    "payment_lapsed_notice",
    gettext_noop("Your pledge to “%(title)s” lapsed: it was not paid by its due date."),
)
PAYMENT_DUE_NOTICE = phrase(
    "payment_due_notice",
    gettext_noop(
        "“%(title)s” is funded: please pay %(amount)s with the reference %(code)s by %(due)s, "
        "%(ways)s."
    ),
)
PAYMENT_DUE_WAIT_NOTICE = phrase(
    "payment_due_wait_notice",
    gettext_noop(
        "“%(title)s” is funded: you owe %(amount)s (reference %(code)s) by %(due)s. Please wait: "
        "finance will contact you with how to pay in %(currency)s."
    ),
)

# How to pay (``funding.payees``): one phrase per way, joined when read.
WAYS = {
    "bank_transfer": phrase(
        "pay_by_bank_transfer",
        gettext_noop("by bank transfer to %(holder)s, account %(account)s%(bank)s"),
    ),
    "alipay": phrase("pay_by_alipay", gettext_noop("by Alipay to %(holder)s (%(account)s)")),
    "wechat_pay": phrase(
        "pay_by_wechat_pay", gettext_noop("by WeChat Pay to %(holder)s (%(account)s)")
    ),
}
EXAMPLE_ACCOUNT = phrase("example_account", gettext_noop(" [an example account: do not pay]"))
