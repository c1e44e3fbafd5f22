"""Recording a product's periods and closing one (which queues its settlement job)."""

from datetime import UTC, date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.errors import Conflict, ValidationFailed
from core.rules import check
from funding.models import Product

# tasks imports this package: use ``tasks.<task>`` at call time, never ``from ..tasks import``.
from .. import hooks, rules, selectors, tasks
from ..models import DEAD_SETTLEMENT_STATUSES, Period, Settlement, SettlementStatus
from .common import on_commit_delay, require_finance


def _check_span(*, start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed.for_field(
            "end", gettext("Choose an end date on or after the start date.")
        )


def _computed_totals(*, product: Product, start: date, end: date) -> tuple[int, int]:
    """The period's revenue and costs, computed by sales from the lines dated in it (never
    typed): ``payouts.hooks.period_totals``."""
    return hooks.period_totals(product=product, start=start, end=end)


def _check_dates(*, product: Product, start: date, end: date) -> None:
    """A period has happened (it ends today at the latest, UTC) and the product existed (it
    starts on the day it was funded at the earliest)."""
    fields: dict[str, list[str]] = {}
    today = datetime.now(UTC).date()
    if end > today:
        fields["end"] = [
            gettext(
                "Choose an end date of today (%(today)s) or earlier: a period is "
                "recorded once it is over."
            )
            % {"today": today}
        ]
    funded_on = selectors.product_funded_on(product=product)
    if start < funded_on:
        fields["start"] = [
            gettext("Choose a start on or after %(funded_on)s, the day the product was funded.")
            % {"funded_on": funded_on}
        ]
    if fields:
        raise ValidationFailed.for_fields(fields)


def _check_no_overlap(*, product_id: int, start: date, end: date, exclude_id=None) -> None:
    clash = selectors.period_overlapping(
        product_id=product_id, start=start, end=end, exclude_id=exclude_id
    )
    if clash is not None:
        raise ValidationFailed.for_field(
            "start",
            gettext(
                "Choose dates that do not overlap %(start)s – %(end)s: periods of a "
                "product never overlap."
            )
            % {"start": clash.start, "end": clash.end},
        )


@transaction.atomic
def period_record(
    *,
    product: Product,
    start: date,
    end: date,
    actor,
    notes: str = "",
) -> Period:
    """Record a product's period: its revenue and costs are computed from the sales and cost
    lines dated in it (``hooks.period_totals``). Periods of a product never overlap, and are
    recorded in order (a new one starts after the last one ends), so loss carry-forward reads
    one chain."""
    require_finance(actor)
    _check_span(start=start, end=end)
    _check_dates(product=product, start=start, end=end)
    # Lock the product row: two finance members recording at once are serialised here.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    last = selectors.last_period(product_id=product.pk)
    if last is not None and start <= last.end:
        overlaps = selectors.periods_overlapping(product_id=product.pk, start=start, end=end)
        message = (
            gettext(
                "Choose a start after %(end)s: periods of a product never overlap, and "
                "this one overlaps %(start)s – %(end)s."
            )
            % {"end": last.end, "start": last.start}
            if overlaps
            else gettext("Choose a start after %(end)s: periods are recorded in order.")
            % {"end": last.end}
        )
        raise ValidationFailed.for_field("start", message)
    revenue, costs = _computed_totals(product=product, start=start, end=end)
    try:
        with transaction.atomic():
            return Period.objects.create(
                product=product,
                start=start,
                end=end,
                revenue=revenue,
                costs=costs,
                notes=notes,
                recorded_by=actor,
            )
    except IntegrityError:  # the exclusion constraint (PostgreSQL) as the last word
        message = gettext("Choose dates that overlap no other period of the product.")
        raise ValidationFailed.for_field("start", message) from None


def _retry_failed(existing: Settlement) -> Settlement:
    """Queue a failed settlement again (retrying a failed job is not settling twice)."""
    retried = Settlement.objects.filter(pk=existing.pk, status=SettlementStatus.FAILED).update(
        status=SettlementStatus.QUEUED, progress=0, error="", run_token=""
    )
    if not retried:
        raise Conflict(
            gettext("This period is already settled (settlement %(pk)s, %(status)s).")
            % {"pk": existing.pk, "status": existing.status},
            code="already_settled",
        )
    on_commit_delay(tasks.settlement_run_task, existing.pk)
    existing.refresh_from_db()
    return existing


@transaction.atomic
def period_settle(*, period: Period, actor) -> Settlement:
    """Close ``period`` and queue its settlement. A period is settled once (409 the second
    time; a failed settlement is queued again). Earlier periods must be posted first, since
    their carried loss feeds this one."""
    require_finance(actor)
    Product.objects.select_for_update().filter(pk=period.product_id).first()
    existing = (
        Settlement.objects.filter(period=period)
        .exclude(status__in=DEAD_SETTLEMENT_STATUSES)
        .first()
    )
    if existing is not None:
        return _retry_failed(existing)
    if selectors.earlier_periods_not_posted(period=period).exists():
        raise Conflict(
            gettext(
                "Settle and post the product's earlier periods first: their loss carries forward."
            ),
            code="earlier_period_open",
        )
    product = period.product
    # Closing takes the totals as the lines stand now: the job reads what is stored.
    revenue, costs = _computed_totals(product=product, start=period.start, end=period.end)
    Period.objects.filter(pk=period.pk).update(revenue=revenue, costs=costs)
    period.revenue, period.costs = revenue, costs
    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(
                period=period,
                product=product,
                currency=product.currency,
                platform_fee_bp=product.platform_fee_bp,
                closed_by=actor,
            )
    except IntegrityError:  # unique per period: a concurrent close won
        raise Conflict(gettext("This period is already settled."), code="already_settled") from None
    on_commit_delay(tasks.settlement_run_task, settlement.pk)
    return settlement


def _lock_unsettled(period: Period) -> Period:
    """Lock the product (periods change one at a time) and the period; refuse while the period
    has a live settlement (``rules.may_change_period``)."""
    Product.objects.select_for_update().filter(pk=period.product_id).first()
    locked = Period.objects.select_for_update().select_related("product").get(pk=period.pk)
    live = locked.settlement
    check(rules.may_change_period(settlement_status=live.status if live else None))
    return locked


@transaction.atomic
def period_correct(*, period: Period, actor, **changes) -> Period:
    """Correct a period that has no live settlement (none yet, or only discarded or reversed
    ones): any of ``start``, ``end``, ``notes``. The same checks as
    recording it: a past end, a start after funding, no overlap; the totals are computed
    again from the lines."""
    require_finance(actor)
    unknown = set(changes) - {"start", "end", "notes"}
    if unknown:
        raise ValidationFailed.for_field(
            sorted(unknown)[0], gettext("Leave this field out: it is fixed.")
        )
    locked = _lock_unsettled(period)
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_span(start=locked.start, end=locked.end)
    _check_dates(product=locked.product, start=locked.start, end=locked.end)
    _check_no_overlap(
        product_id=locked.product_id, start=locked.start, end=locked.end, exclude_id=locked.pk
    )
    locked.revenue, locked.costs = _computed_totals(
        product=locked.product, start=locked.start, end=locked.end
    )
    locked.save(update_fields=[*changes, "revenue", "costs"])
    return locked


@transaction.atomic
def period_delete(*, period: Period, actor) -> None:
    """Delete a period that was never posted: no live settlement and no reversed one (a
    reversed settlement's ledger history stays with its period). Discarded previews go with
    it."""
    require_finance(actor)
    locked = _lock_unsettled(period)
    if locked.settlements.filter(status=SettlementStatus.REVERSED).exists():
        raise Conflict(
            gettext(
                "This period has a reversed settlement on the ledger: correct it and "
                "settle it again instead of deleting it."
            ),
            code="period_has_history",
        )
    for discarded in locked.settlements.filter(status=SettlementStatus.DISCARDED):
        discarded.lines.all().delete()
        discarded.delete()
    locked.delete()
