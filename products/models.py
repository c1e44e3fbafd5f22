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

__all__ = [
    "Abandonment",
    "Ending",
    "Milestone",
    "ProductEvent",
    "ProductLife",
    "ProductTeamMember",
    "Stage",
]
