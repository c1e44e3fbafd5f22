"""The settlement job: weights, loss carry-forward, the split and a preview of every line, with
the first phase of posting (the preview's ledger entries, staged). Plus the beat safety net."""

import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from contributions.selectors import contribution_weights
from core.errors import Conflict

# tasks imports this package: use ``tasks.<task>`` at call time, never ``from ..tasks import``.
from .. import selectors, tasks
from ..allocation import AllocationError, carry_forward, split_profit
from ..models import (
    AccountKind,
    LedgerTransaction,
    LineRole,
    Settlement,
    SettlementLine,
    SettlementStatus,
    TransactionKind,
)
from . import ledger

log = logging.getLogger(__name__)

LINE_CHUNK = 100_000

Row = tuple[int | None, str, int, int]  # member, role, weight, amount


class _LostClaim(Exception):
    """Another run took the settlement over (ours was presumed dead)."""


def _report(settlement_id: int, token: str, progress: int, **fields) -> None:
    """Store progress (committed at once, so the page sees it) while we still hold the job."""
    updated = Settlement.objects.filter(
        pk=settlement_id, run_token=token, status=SettlementStatus.RUNNING
    ).update(progress=progress, heartbeat_at=timezone.now(), **fields)
    if not updated:
        raise _LostClaim


def stale_after() -> timedelta:
    """A running job that has not reported for this long is presumed dead and may be taken over
    (SETTLEMENT_STALE_SECONDS, read at call time)."""
    return timedelta(seconds=settings.SETTLEMENT_STALE_SECONDS)


def _beat(settlement_id: int, token: str, stop: threading.Event) -> None:
    """The heartbeat thread: every SETTLEMENT_HEARTBEAT_SECONDS, while we hold the job."""
    try:
        while not stop.wait(settings.SETTLEMENT_HEARTBEAT_SECONDS):
            alive = Settlement.objects.filter(
                pk=settlement_id, run_token=token, status=SettlementStatus.RUNNING
            ).update(heartbeat_at=timezone.now())
            if not alive:
                return
    except Exception:  # a missed beat only risks a takeover, which the run token survives
        log.exception("settlement %s: heartbeat failed", settlement_id)
    finally:
        connections.close_all()  # this thread's own connection


def _worker_connections() -> bool:
    """Whether the job may use connections of its own next to this one: outside any
    transaction (a worker's job). In-process runs inside a transaction (tests, a request) must
    see and write everything on this connection."""
    return not connection.in_atomic_block


@contextmanager
def _heartbeat(settlement_id: int, token: str):
    """Keep the job's heartbeat fresh while a long step (the weights, the split) runs, so only a
    dead worker's job goes stale. With a worker's connections only: the in-process runs (tests,
    a request) have no worker that could die apart from the request."""
    if not _worker_connections():
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(settlement_id, token, stop), name="settlement-heartbeat", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def settlement_run(*, settlement_id: int) -> Settlement:
    """The settlement job: weights as of the period's end, loss carry-forward, the split, and a
    preview of every line. Safe to run twice: a conditional UPDATE claims the job (two workers
    → one wins); a run whose worker died is taken over once its heartbeat is stale."""
    token = uuid.uuid4().hex
    now = timezone.now()
    # Claim: the row count says whether we won the race against another worker.
    claimed = (
        Settlement.objects.filter(pk=settlement_id)
        .filter(
            Q(status=SettlementStatus.QUEUED)
            | Q(status=SettlementStatus.RUNNING, heartbeat_at__lt=now - stale_after())
        )
        .update(status=SettlementStatus.RUNNING, run_token=token, heartbeat_at=now, progress=5)
    )
    if not claimed:
        return Settlement.objects.get(pk=settlement_id)
    try:
        with _heartbeat(settlement_id, token):
            _build_preview(settlement_id, token)
    except _LostClaim:
        log.warning("settlement %s: another run took over", settlement_id)
    except Exception as exc:
        log.exception("settlement %s failed", settlement_id)
        Settlement.objects.filter(pk=settlement_id, run_token=token).update(
            status=SettlementStatus.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
    return Settlement.objects.get(pk=settlement_id)


@dataclass
class _Preview:
    """The computed preview: its lines and the settlement's totals."""

    rows: list[Row] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


def _split_refused(exc: AllocationError) -> Conflict:
    """The pure split's plain error, said in ``core.errors`` (the run stores it as its error)."""
    return Conflict(
        gettext(
            "The split refused this settlement's numbers (%(detail)s): correct the period or "
            "the product's platform fee, then settle again."
        )
        % {"detail": exc},
        code="split_refused",
    )


def _compute(settlement: Settlement, distributable: int) -> _Preview:
    """The split of ``distributable`` into lines: creator, contributors by id, platform."""
    preview = _Preview(
        totals={
            "creator_amount": 0,
            "platform_amount": 0,
            "contributors_amount": 0,
            "contributor_count": 0,
        }
    )
    if distributable <= 0:
        return preview
    product = settlement.product
    weights = contribution_weights(idea=product.idea, as_of=settlement.period.end)
    try:
        split = split_profit(distributable, settlement.platform_fee_bp, weights)
    except AllocationError as exc:
        raise _split_refused(exc) from exc
    preview.rows.append((product.idea.creator_id, LineRole.CREATOR.value, 0, split.creator))
    for member_id, amount in split.contributors.items():
        preview.rows.append((member_id, LineRole.CONTRIBUTOR.value, weights[member_id], amount))
    preview.rows.append((None, LineRole.PLATFORM.value, 0, split.platform))
    preview.totals = {
        "creator_amount": split.creator,
        "platform_amount": split.platform,
        "contributors_amount": sum(split.contributors.values()),
        "contributor_count": len(split.contributors),
    }
    assert split.total == distributable
    return preview


def _build_preview(settlement_id: int, token: str) -> None:
    settlement = Settlement.objects.select_related("period", "product__idea").get(pk=settlement_id)
    period = settlement.period
    if selectors.earlier_periods_not_posted(period=period).exists():
        raise Conflict(gettext("An earlier period of the product is not posted yet."))
    profit = period.revenue - period.costs
    carried_in = selectors.carried_loss_before(period=period)
    try:
        outcome = carry_forward(profit, carried_in)
    except AllocationError as exc:
        raise _split_refused(exc) from exc
    _report(settlement_id, token, 15)
    preview = _compute(settlement, outcome.distributable)
    _report(
        settlement_id,
        token,
        25,
        profit=profit,
        carried_loss_in=carried_in,
        distributable=outcome.distributable,
        carried_loss_out=outcome.carried_loss,
    )
    # Lines and staged entries of a run that died are a stale preview, never money: start again.
    SettlementLine.objects.filter(settlement_id=settlement_id).delete()
    ledger.discard_staged(settlement_id)
    if preview.rows:
        _stage(settlement, token, preview.rows, outcome.distributable)
    with transaction.atomic():
        updated = Settlement.objects.filter(
            pk=settlement_id, run_token=token, status=SettlementStatus.RUNNING
        ).update(
            status=SettlementStatus.PREVIEW,
            progress=100,
            previewed_at=timezone.now(),
            heartbeat_at=timezone.now(),
            line_count=len(preview.rows),
            **preview.totals,
        )
        if not updated:
            raise _LostClaim


def _stage(settlement: Settlement, token: str, rows: list[Row], distributable: int) -> None:
    """Phase one of posting: the preview's lines, and a pending ledger transaction with every
    entry of the preview (the pool debited; the creator's, each contributor's and the
    platform's accounts credited). Staged entries count for nothing until the approval posts
    them."""
    currency, product_id, period = settlement.currency, settlement.product_id, settlement.period
    payable = ledger.payable_accounts(currency=currency, member_ids=[m for m, *_ in rows if m])
    pool = ledger.account(kind=AccountKind.PROFIT_POOL, currency=currency, product_id=product_id)
    platform = ledger.account(kind=AccountKind.PLATFORM_REVENUE, currency=currency)
    _report(settlement.pk, token, 30)
    tx = LedgerTransaction.objects.create(
        kind=TransactionKind.SETTLEMENT,
        currency=currency,
        product_id=product_id,
        settlement_id=settlement.pk,
        description=f"Settlement of {period.start} – {period.end}",
    )
    ledger.write_entries([(tx.pk, pool.pk, distributable, 0)])
    _in_halves(lambda part, _first: _write_lines(settlement.pk, part), rows)
    _report(settlement.pk, token, 60)
    _stage_credits(settlement.pk, token, tx.pk, rows, payable, platform.pk)


def _stage_credits(
    settlement_id: int, token: str, tx_id: int, rows: list[Row], payable: dict, platform_id: int
) -> None:
    """One credit entry per line with an amount: the member's payable account, or the
    platform's revenue account for the platform's line."""

    def credit(part: list[Row], first: bool) -> None:
        for offset in range(0, len(part), LINE_CHUNK):
            ledger.write_entries(
                [
                    (tx_id, payable[m] if m else platform_id, 0, amount)
                    for m, _role, _w, amount in part[offset : offset + LINE_CHUNK]
                    if amount > 0
                ]
            )
            if first:  # the job's own connection tells the page
                done = min(offset + LINE_CHUNK, len(part))
                _report(settlement_id, token, 60 + 35 * done // len(part))

    _in_halves(credit, rows)


def _in_halves(work: Callable[[list, bool], None], items: list) -> None:
    """``work(part, first)`` over ``items``: with a worker's connections and at least two
    chunks of them, the second half on a connection of its own at the same time (its error
    raised here once both are done), so PostgreSQL writes on both cores: the COPYs into
    indexed tables with their checks are the settlement's largest cost. Otherwise all of it
    on this connection (``first`` is true for the part done on it)."""
    if len(items) < 2 * LINE_CHUNK or not _worker_connections():
        work(items, True)
        return
    half = len(items) // 2
    failed: list[BaseException] = []

    def second() -> None:
        try:
            work(items[half:], False)
        except BaseException as exc:  # handed to the job's thread below
            failed.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=second, name="settlement-second-half", daemon=True)
    thread.start()
    try:
        work(items[:half], True)
    finally:
        thread.join()
    if failed:
        raise failed[0]


def _write_lines(settlement_id: int, rows: list[Row]) -> None:
    # COPY per 100,000 lines: a 100,000-line preview in a fraction of a second (bulk INSERT
    # takes seconds), and each statement's trigger checks a bounded set.
    for offset in range(0, len(rows), LINE_CHUNK):
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY payouts_settlementline (settlement_id, member_id, role, weight, amount) "
                "FROM STDIN"
            ) as copy:
                for member_id, role, weight, amount in rows[offset : offset + LINE_CHUNK]:
                    copy.write_row((settlement_id, member_id, role, weight, amount))


def _claim_stale(settlement: Settlement, cutoff, now) -> bool:
    """Beat's claim on a stale settlement: a conditional UPDATE, so two beats (or a beat and a
    late worker) re-queue it once. A dead run goes back to queued (its token dropped); a queued
    or approved one has its heartbeat stamped, so the next tick leaves it alone."""
    rows = Settlement.objects.filter(pk=settlement.pk, status=settlement.status)
    if settlement.status == SettlementStatus.RUNNING:
        return bool(
            rows.filter(heartbeat_at__lt=cutoff).update(
                status=SettlementStatus.QUEUED, run_token="", heartbeat_at=now
            )
        )
    not_recent = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff)
    return bool(rows.filter(not_recent).update(heartbeat_at=now))


def settlements_resume() -> int:
    """The beat safety net (every SETTLEMENT_RESUME_INTERVAL_SECONDS): queue again what a lost
    message or a dead worker left behind, each exactly once per staleness."""
    count = 0
    now = timezone.now()
    cutoff = now - stale_after()
    for settlement in selectors.stale_settlements(older_than=cutoff):
        if not _claim_stale(settlement, cutoff, now):
            continue
        if settlement.status == SettlementStatus.PREVIEW:
            tasks.settlement_post_task.delay(settlement.pk)
        else:
            tasks.settlement_run_task.delay(settlement.pk)
        count += 1
    return count
