"""Putting settlements right: discarding a preview, and reversing a posted settlement in two
steps (one finance member requests, another approves). Nothing posted is edited or deleted: a
reversal is one compensating ledger transaction that nets the settlement to zero."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, ValidationFailed
from core.rules import check

from .. import rules, selectors
from ..models import LedgerTransaction, Settlement, SettlementStatus
from . import ledger
from .common import require_finance

REASON_MAX = 500


def _clean_reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_field(
            "reason", gettext("Enter a reason for the %(what)s.") % {"what": what}
        )
    if len(reason) > REASON_MAX:
        raise ValidationFailed.for_field(
            "reason",
            gettext("Enter a reason of at most %(REASON_MAX)s characters.")
            % {"REASON_MAX": REASON_MAX},
        )
    return reason


def _locked(settlement: Settlement) -> Settlement:
    return Settlement.objects.select_for_update().get(pk=settlement.pk)


@transaction.atomic
def settlement_discard(*, settlement: Settlement, actor, reason: str) -> Settlement:
    """A preview nobody approved (or a failed run) is dropped: its staged ledger entries go
    (they were never posted), it becomes ``discarded`` with who/when/why, and its period may be
    settled again. Its lines stay as the record of what was discarded."""
    require_finance(actor)
    reason = _clean_reason(reason, what="discard")
    locked = _locked(settlement)
    check(
        rules.may_discard_settlement(
            status=locked.status, approved=locked.approved_by_id is not None
        )
    )
    ledger.discard_staged(locked.pk)
    locked.status = SettlementStatus.DISCARDED
    locked.discarded_by, locked.discarded_at, locked.discard_reason = actor, timezone.now(), reason
    locked.run_token = ""
    locked.save(
        update_fields=["status", "discarded_by", "discarded_at", "discard_reason", "run_token"]
    )
    return locked


def _refuse_if_later_settled(settlement: Settlement) -> None:
    if selectors.later_live_settlements(settlement=settlement).exists():
        raise Conflict(
            gettext(
                "Reverse the product's later settlements first: the loss they carried "
                "forward depends on this one."
            ),
            code="later_settlement",
        )


@transaction.atomic
def settlement_reversal_request(*, settlement: Settlement, actor, reason: str) -> Settlement:
    """Step one of a reversal: a finance member asks, with a reason. The settlement stays
    posted (nothing moves) until another finance member approves."""
    require_finance(actor)
    reason = _clean_reason(reason, what="reversal")
    locked = _locked(settlement)
    check(
        rules.may_request_reversal(
            status=locked.status, requested=locked.reversal_requested_by_id is not None
        )
    )
    _refuse_if_later_settled(locked)
    locked.reversal_requested_by, locked.reversal_requested_at = actor, timezone.now()
    locked.reversal_reason = reason
    locked.save(update_fields=["reversal_requested_by", "reversal_requested_at", "reversal_reason"])
    return locked


@transaction.atomic
def settlement_reversal_approve(*, settlement: Settlement, actor) -> Settlement:
    """Step two: a different finance member approves (``rules.may_approve_reversal``). One
    balanced compensating ledger transaction nets every entry of the settlement to zero; the
    settlement becomes ``reversed`` and its period may be corrected and settled again. A
    balance already paid out goes negative and is netted against the member's next earnings."""
    require_finance(actor)
    locked = _locked(settlement)
    check(
        rules.may_approve_reversal(
            actor_id=actor.pk, requested_by_id=locked.reversal_requested_by_id, status=locked.status
        )
    )
    _refuse_if_later_settled(locked)
    now = timezone.now()
    posted = LedgerTransaction.objects.filter(settlement=locked, posted_at__isnull=False).first()
    if posted is not None:  # a settlement with nothing to distribute posted no transaction
        period = locked.period
        ledger.post_reversal(
            posted,
            description=f"Reversal of settlement {locked.pk} ({period.start} – {period.end}): "
            f"{locked.reversal_reason}",
            now=now,
            actor_id=actor.pk,
        )
    locked.status = SettlementStatus.REVERSED
    locked.reversal_approved_by, locked.reversed_at = actor, now
    locked.save(update_fields=["status", "reversal_approved_by", "reversed_at"])
    return locked
