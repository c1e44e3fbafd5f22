"""The products app's models, one module per half: ``life_models`` (team, stages, timeline,
milestones, abandonment) and ``money_models`` (funds, budget, expenses, refunds)."""

from .life_models import (
    Abandonment,
    Ending,
    Milestone,
    ProductEvent,
    ProductLife,
    ProductTeamMember,
    Stage,
)
from .money_models import (
    BackerRefund,
    ChargedTo,
    Expense,
    ExpenseStatus,
    FundsCollection,
    PayeeKind,
    RefundStatus,
)

__all__ = [
    "BackerRefund",
    "ChargedTo",
    "Expense",
    "ExpenseStatus",
    "FundsCollection",
    "PayeeKind",
    "RefundStatus",
    "Abandonment",
    "Ending",
    "Milestone",
    "ProductEvent",
    "ProductLife",
    "ProductTeamMember",
    "Stage",
]
