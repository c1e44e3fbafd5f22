"""The products app's models, one module per half: ``life_models`` (team, stages, timeline,
milestones, abandonment) and ``money_models`` (funds, budget, expenses, refunds)."""

from .life_models import ProductTeamMember

__all__ = ["ProductTeamMember"]
