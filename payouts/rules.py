"""The payouts rules, and the split's numbers (re-exported from ``payouts.allocation``).

This module is a leaf: it imports only ``core`` and the pure split ``payouts.allocation`` (the
import-linter contract in .importlinter holds it to that), so the apps that store or check
funding terms (``ideas``, ``funding``) read the fee range from here without depending on the
rest of ``payouts``. The numbers themselves live in ``payouts.allocation``, which needs nothing
but the standard library.

The who-may rules return a refusal (``core.rules.Refusal``) or ``None``; services ``check`` them
before writing, and the pages, the API and the admin show their answer. They take plain values
(the caller asks ``accounts.roles.is_finance`` and reads ``settings.SETTLEMENT_SECOND_APPROVER``),
so this module stays a leaf.
"""

from django.utils.translation import gettext

from core.errors import Conflict, NotAllowed
from core.rules import Refusal

# The split's numbers, re-exported for the apps that check funding terms (ideas, funding).
from .allocation import (  # noqa: F401
    BP,
    CREATOR_SHARE_BP,
    FEE_BP_MAX,
    FEE_BP_MIN,
    FEE_BP_RANGE,
)


def may_do_finance(*, is_finance: bool) -> Refusal | None:
    """Periods, settlements, the ledger, payout batches and the finance pages are for finance
    staff only (``accounts.roles.is_finance``: the Finance group, staff and superusers)."""
    if not is_finance:
        return NotAllowed(gettext("Only finance staff may do this."))
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
            gettext("A second finance member must approve: you recorded or closed this period."),
            code="four_eyes",
        )
    return None


def may_change_period(*, settlement_status: str | None) -> Refusal | None:
    """A period is corrected or deleted only while it has no live settlement: a preview or a
    failed run is discarded first, a posted settlement reversed first (``settlement_status``:
    the period's live settlement's status, None when it has none)."""
    if settlement_status is None:
        return None
    if settlement_status in ("posted",):
        return Conflict(
            gettext(
                "This period's settlement is posted: request its reversal before "
                "changing the period."
            ),
            code="period_settled",
        )
    return Conflict(
        gettext(
            "This period's settlement is %(settlement_status)s: discard it before "
            "changing the period."
        )
        % {"settlement_status": settlement_status},
        code="period_in_settlement",
    )


def may_discard_settlement(*, status: str, approved: bool) -> Refusal | None:
    """Only a preview nobody approved yet, or a failed run, is discarded (nothing was posted)."""
    if status == "failed" or (status == "preview" and not approved):
        return None
    if status == "preview":
        return Conflict(
            gettext("This preview is approved and being posted; it cannot be discarded.")
        )
    return Conflict(
        gettext("Only a preview or a failed settlement can be discarded; this one is %(status)s.")
        % {"status": status},
        code="not_discardable",
    )


def may_request_reversal(*, status: str, requested: bool) -> Refusal | None:
    """A posted settlement may be reversed; one request at a time."""
    if status != "posted":
        return Conflict(
            gettext("Only a posted settlement can be reversed; this one is %(status)s.")
            % {"status": status},
            code="not_posted",
        )
    if requested:
        return Conflict(
            gettext(
                "A reversal of this settlement is already requested: a second finance "
                "member approves it."
            ),
            code="reversal_requested",
        )
    return None


def may_approve_reversal(
    *, actor_id: int | None, requested_by_id: int | None, status: str
) -> Refusal | None:
    """Four eyes: a reversal is approved by a finance member other than the one who asked."""
    if status != "posted" or requested_by_id is None:
        return Conflict(gettext("No reversal of this settlement is waiting for approval."))
    if actor_id == requested_by_id:
        return NotAllowed(
            gettext("A second finance member must approve: you requested this reversal."),
            code="four_eyes",
        )
    return None


def may_mark_batch_paid(*, actor_id: int | None, created_by_id: int | None) -> Refusal | None:
    """Four eyes on payouts: the member who created a batch does not also mark it paid."""
    if actor_id == created_by_id:
        return NotAllowed(
            gettext("A second finance member must mark this batch paid: you created it."),
            code="four_eyes",
        )
    return None
