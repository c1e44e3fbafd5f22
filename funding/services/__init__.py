"""Funding's services (SPEC section 2), one module per concern: review decisions, pledges,
closing a round (and moving a product on), payments. Who may do what is ``funding.rules``."""

from .payments import (
    payment_apply,
    payment_confirm,
    payment_open,
    payment_provider_ref_set,
    payment_refuse,
    payments_lapse_overdue,
)
from .pledges import pledge_cancel, pledge_change, pledge_create
from .review import review_check_terms, review_decide, round_open
from .rounds import funding_round_close, funding_rounds_close_due, product_advance

__all__ = [
    "funding_round_close",
    "funding_rounds_close_due",
    "payment_apply",
    "payment_confirm",
    "payment_open",
    "payment_provider_ref_set",
    "payment_refuse",
    "payments_lapse_overdue",
    "pledge_cancel",
    "pledge_change",
    "pledge_create",
    "product_advance",
    "review_check_terms",
    "review_decide",
    "round_open",
]
