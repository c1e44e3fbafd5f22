"""products models: a product's money lives in ``products.money_models`` (imported here, so
Django registers it and ``products.models`` is the one place to import every products model)."""

from .money_models import (  # noqa: F401
    BackerRefund,
    ChargedTo,
    Expense,
    ExpenseStatus,
    FundsCollection,
    PayeeKind,
    RefundStatus,
)
