"""The split's numbers and the payouts rules, in one place.

This module is a leaf: it imports nothing from the apps (only ``core``), so the apps that store
or check funding terms (``ideas``, ``funding``) read the fee range from here without depending on
the rest of ``payouts``. The pure split (``payouts.allocation``) takes its constants from here.

The who-may rules return a refusal (``core.rules.Refusal``) or ``None``; services ``check`` them
before writing, and the pages, the API and the admin show their answer. They take plain values
(the caller asks ``accounts.roles.is_finance`` and reads ``settings.SETTLEMENT_SECOND_APPROVER``),
so this module stays a leaf.
"""

from core.errors import NotAllowed
from core.rules import Refusal

BP = 10_000  # basis points in a whole
CREATOR_SHARE_BP = 1_000  # the idea's creator: 10 % of every distributable amount
FEE_BP_MIN = 1_000  # the platform fee, fixed per product when funding is approved: 10 % …
FEE_BP_MAX = 2_500  # … to 25 %
FEE_BP_RANGE = range(FEE_BP_MIN, FEE_BP_MAX + 1)


def may_do_finance(*, is_finance: bool) -> Refusal | None:
    """Periods, settlements, the ledger, payout batches and the finance pages are for finance
    staff only (``accounts.roles.is_finance``: the Finance group, staff and superusers)."""
    if not is_finance:
        return NotAllowed("Only finance staff may do this.")
    return None


def may_approve_settlement(
    *,
    actor_id: int | None,
    closed_by_id: int | None,
    recorded_by_id: int | None,
    second_approver_required: bool,
) -> Refusal | None:
    """Four eyes: a settlement is approved by a finance member who neither recorded nor closed
    its period, unless ``SETTLEMENT_SECOND_APPROVER`` is off (a one-person operation). Whether
    the actor is finance staff at all is ``may_do_finance``."""
    if second_approver_required and actor_id in {closed_by_id, recorded_by_id}:
        return NotAllowed(
            "A second finance member must approve: you recorded or closed this period.",
            code="four_eyes",
        )
    return None
