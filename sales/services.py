"""Everything that changes sales lines, adjustments and import jobs; a period computed from
them is recorded through payouts (``payouts.hooks.period_totals`` reads the lines back)."""

import hashlib
from datetime import UTC, date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import is_finance
from core.errors import ValidationFailed
from core.outages import enqueue_on_commit
from core.rules import check
from funding.models import Product
from payouts import services as payouts_services
from payouts.models import Period
from payouts.selectors import product_funded_on

from . import rules, selectors
from .models import CostAdjustment, ImportJob, SalesLine

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@transaction.atomic
def sales_import_start(*, product: Product, format: str, upload, actor) -> ImportJob:
    """Keep the uploaded file and queue its import (whole or not at all, in a Celery job)."""
    check(rules.may_record_sales(is_finance=is_finance(actor)))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed.for_field(
            "file", gettext("Upload a file of at most 200 MB: split larger exports by month.")
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob.objects.create(
        product=product, format=format, file=upload, file_sha256=digest.hexdigest(),
        created_by=actor,
    )  # fmt: skip
    from . import tasks  # tasks imports the importing module, which imports this app's selectors

    enqueue_on_commit(tasks.sales_import_task, job.pk, what=f"sales import {job.pk}")
    return job


def _check_line_fields(product: Product, fields: dict) -> None:
    today = datetime.now(UTC).date()
    if fields["currency"] != product.currency:
        raise ValidationFailed.for_field(
            "currency",
            gettext("Use %(currency)s, the product's currency.") % {"currency": product.currency},
        )
    if fields["date"] > today:
        raise ValidationFailed.for_field(
            "date", gettext("Choose today or an earlier day: record sales once they happened.")
        )
    if fields["date"] < product_funded_on(product=product):
        raise ValidationFailed.for_field(
            "date", gettext("Choose a day on or after the day the product was funded.")
        )
    for start, end in selectors.settled_ranges(product_id=product.pk):
        if start <= fields["date"] <= end:
            raise ValidationFailed.for_field(
                "date",
                gettext("Choose a day after %(end)s: the period up to it is settled.")
                % {"end": end},
            )


@transaction.atomic
def sales_line_record(*, product: Product, actor, **fields) -> tuple[SalesLine, bool]:
    """Record one order as a shop reports it. The same order (channel, order id, kind, ref)
    twice is stored once: the second call returns the first line and ``False``."""
    check(rules.may_record_sales(is_finance=is_finance(actor)))
    _check_line_fields(product, fields)
    key = {k: fields.get(k, "") for k in ("channel", "order_id", "kind", "ref")}
    existing = SalesLine.objects.filter(product=product, **key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return SalesLine.objects.create(product=product, source="api", **fields), True
    except IntegrityError:  # the unique order key: a concurrent twin was first
        return SalesLine.objects.get(product=product, **key), False


@transaction.atomic
def adjustment_propose(
    *, product: Product, day: date, side: str, amount: int, reason: str, actor
) -> CostAdjustment:
    """A manual line on the revenue or costs side; it counts once another finance member
    approves it (``adjustment_approve``)."""
    check(rules.may_record_sales(is_finance=is_finance(actor)))
    if not reason.strip():
        raise ValidationFailed.for_field("reason", gettext("Say why this adjustment is made."))
    if amount == 0:
        raise ValidationFailed.for_field("amount", gettext("Enter an amount other than zero."))
    _check_line_fields(product, {"currency": product.currency, "date": day})
    return CostAdjustment.objects.create(
        product=product, date=day, currency=product.currency, reason=reason.strip(),
        revenue=amount if side == "revenue" else 0, costs=amount if side == "costs" else 0,
        proposed_by=actor,
    )  # fmt: skip


@transaction.atomic
def adjustment_approve(*, adjustment: CostAdjustment, actor) -> CostAdjustment:
    locked = (
        CostAdjustment.objects.select_for_update().select_related("product").get(pk=adjustment.pk)
    )
    check(
        rules.may_approve_adjustment(
            is_finance=is_finance(actor),
            actor_id=actor.pk,
            proposed_by_id=locked.proposed_by_id,
            approved=locked.approved_at is not None,
        )  # fmt: skip
    )
    # A line dated in a settled period would change a published report: date it later.
    _check_line_fields(locked.product, {"currency": locked.currency, "date": locked.date})
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["approved_by", "approved_at"])
    return locked


def period_compute(*, product: Product, start: date, end: date, notes: str, actor) -> Period:
    """Record a period whose revenue and costs are computed from the lines dated in it."""
    return payouts_services.period_record(
        product=product, start=start, end=end, notes=notes, actor=actor
    )
