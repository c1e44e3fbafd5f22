"""Who may do what with a product's sales and cost lines (refusals, never raised here)."""

from django.utils.translation import gettext

from core.errors import Conflict, NotAllowed
from core.rules import Refusal


def may_record_sales(*, is_finance: bool) -> Refusal | None:
    """Sales files, orders over the API and adjustments are finance's (a shop reporting as it
    sells uses a finance member's API token)."""
    if not is_finance:
        return NotAllowed(gettext("Only finance staff may record sales and costs."))
    return None


def may_approve_adjustment(
    *, is_finance: bool, actor_id: int, proposed_by_id: int, approved: bool
) -> Refusal | None:
    """Four eyes: an adjustment counts once a second finance member approves it."""
    if not is_finance:
        return NotAllowed(gettext("Only finance staff may approve an adjustment."))
    if actor_id == proposed_by_id:
        return NotAllowed(
            gettext("Another finance member must approve this adjustment: you proposed it.")
        )
    if approved:
        return Conflict(gettext("This adjustment is already approved."), code="already_approved")
    return None
