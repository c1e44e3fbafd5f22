"""Approval (four eyes) and posting of a settlement's preview, exactly once, and telling the
members their share is posted."""

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict
from core.phrases import day, said
from core.rules import check
from notifications.services import notify_chunk

# tasks imports this package: use ``tasks.<task>`` at call time, never ``from ..tasks import``.
from .. import (
    phrases,
    rules,
    tasks,
)
from ..models import LedgerTransaction, Settlement, SettlementLine, SettlementStatus
from . import ledger
from .common import on_commit_delay, require_finance


def settlement_approve(*, settlement: Settlement, actor) -> Settlement:
    """A second finance member approves the preview, which queues its posting. Four eyes:
    ``rules.may_approve_settlement``."""
    require_finance(actor)
    check(
        rules.may_approve_settlement(
            actor_id=actor.pk,
            closed_by_id=settlement.closed_by_id,
            recorded_by_id=settlement.period.recorded_by_id,
            second_approver_required=settings.SETTLEMENT_SECOND_APPROVER,
        )
    )
    with transaction.atomic():
        # Only a preview nobody approved yet: two approvers racing → one wins.
        won = Settlement.objects.filter(
            pk=settlement.pk, status=SettlementStatus.PREVIEW, approved_by__isnull=True
        ).update(approved_by=actor, approved_at=timezone.now())
        if not won:
            current = Settlement.objects.get(pk=settlement.pk)
            if current.status == SettlementStatus.POSTED:
                raise Conflict(gettext("This settlement is already posted."), code="already_posted")
            if current.status == SettlementStatus.PREVIEW:
                raise Conflict(
                    gettext("This settlement is already approved."), code="already_approved"
                )
            raise Conflict(
                gettext("Only a preview can be approved; this settlement is %(status)s.")
                % {"status": current.status},
                code="not_preview",
            )
        on_commit_delay(tasks.settlement_post_task, settlement.pk)
    settlement.refresh_from_db()
    return settlement


def settlement_post(*, settlement_id: int) -> Settlement:
    """Post an approved preview: its staged ledger transaction becomes posted — one balanced
    transaction, in one database transaction, exactly once. Call any number of times,
    concurrently or after a crash: the row lock makes the second caller wait and then find it
    posted; the conditional UPDATE on the ledger transaction posts it at most once."""
    with transaction.atomic():
        # Lock the settlement row: two workers posting the same settlement run one at a time.
        settlement = Settlement.objects.select_for_update().get(pk=settlement_id)
        if settlement.status == SettlementStatus.POSTED:
            return settlement
        if settlement.status != SettlementStatus.PREVIEW or settlement.approved_by_id is None:
            raise Conflict(gettext("Only an approved preview can be posted."), code="not_approved")
        now = timezone.now()
        if settlement.distributable:
            staged = LedgerTransaction.objects.filter(settlement=settlement).first()
            if staged is None:
                raise Conflict(gettext("The preview has no staged ledger transaction."))
            _check_staged(staged, expected_total=settlement.distributable)
            ledger.post_transaction(staged, now=now, actor_id=settlement.approved_by_id)
        settlement.status = SettlementStatus.POSTED
        settlement.posted_at = now
        settlement.progress = 100
        settlement.save(update_fields=["status", "posted_at", "progress"])
        if settlement.distributable:
            on_commit_delay(tasks.settlement_notify_task, settlement.pk)
    return settlement


def _check_staged(staged: LedgerTransaction, *, expected_total: int) -> None:
    """The staged entries balance and move exactly the expected amount (PostgreSQL checks the
    balance again when the transaction is posted)."""
    sums = staged.entries.aggregate(d=Sum("debit"), c=Sum("credit"))
    if (sums["d"] or 0) != (sums["c"] or 0) or (sums["d"] or 0) != expected_total:
        raise Conflict(
            gettext("The staged ledger transaction does not balance; nothing was posted.")
        )


NOTIFY_CHUNK = 5000


def settlement_notify(*, settlement_id: int) -> int:
    """Tell every member who received a share that it is posted: one task per chunk of
    NOTIFY_CHUNK members (a range of member ids), queued here. Returns how many chunks."""
    from .. import tasks

    settlement = Settlement.objects.filter(pk=settlement_id, status=SettlementStatus.POSTED)
    if not settlement.exists():
        return 0
    member_ids = list(
        SettlementLine.objects.filter(
            settlement_id=settlement_id, member__isnull=False, amount__gt=0
        )
        .order_by("member_id")
        .values_list("member_id", flat=True)
        .distinct()
    )
    chunks = 0
    for offset in range(0, len(member_ids), NOTIFY_CHUNK):
        ids = member_ids[offset : offset + NOTIFY_CHUNK]
        tasks.settlement_notify_chunk_task.delay(settlement_id, ids[0], ids[-1])
        chunks += 1
    return chunks


def settlement_notify_chunk(*, settlement_id: int, first_member: int, last_member: int) -> int:
    """One chunk: the members with a share whose ids are in [first_member, last_member].
    Idempotent (``notify_chunk``'s source): a retried chunk notifies nobody twice."""
    settlement = Settlement.objects.select_related("product__idea", "period").get(pk=settlement_id)
    ids = list(
        SettlementLine.objects.filter(
            settlement_id=settlement_id,
            member_id__gte=first_member,
            member_id__lte=last_member,
            amount__gt=0,
        )
        .values_list("member_id", flat=True)
        .distinct()
    )
    period = settlement.period
    return notify_chunk(
        member_ids=ids,
        source=f"settlement:{settlement_id}",
        kind="settlement_posted",
        message=said(
            phrases.SETTLEMENT_POSTED_NOTICE,
            title=settlement.product.idea.title,
            start=day(period.start),
            end=day(period.end),
        ),
        url="/me/earnings/",
    )
