"""Demo periods, settlements and a payout for ``seed_demo`` (runs after funding and
contributions).

Everything goes through the real services: ``finance`` records and closes the periods,
``finance2`` approves (four eyes). The first product has a loss-making launch month whose loss is
carried into the next one; two more products are settled and posted; the last one stays in
preview for a second finance member to approve. Then ``finance`` creates a payout batch for every
balance above the minimum and ``finance2`` marks it paid.

``seed_demo`` runs inside one database transaction, so the jobs that would be queued on commit
are run here directly (queued again after commit they find their work done).
"""

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from core.errors import ApplicationError
from funding.models import Product
from ideas.models import IdeaStatus, IdeaTransition

from . import selectors, services
from .models import PayoutBatch

# (revenue, costs) in major units, oldest period first; None: no more periods.
PLANS = [
    [(3_150, 4_020), (14_880, 6_245)],  # a loss, carried into a good month
    [(9_420, 3_180)],
    [(6_775, 2_410)],
    [(5_260, 1_905)],  # left in preview
]


def _settle(period, finance, finance2, *, post: bool):
    settlement = services.period_settle(period=period, actor=finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    if post:
        services.settlement_approve(settlement=settlement, actor=finance2)
        services.settlement_post(settlement_id=settlement.pk)
        settlement.refresh_from_db()
    return settlement


def _funded_by(product: Product, day: date) -> None:
    """The demo's story begins with products funded months ago: a period starts on the day its
    product was funded at the earliest, so move a freshly seeded funding back to ``day``."""
    if selectors.product_funded_on(product=product) <= day:
        return
    funded_at = datetime.combine(day, time(9), tzinfo=UTC)
    Product.objects.filter(pk=product.pk).update(created_at=funded_at)
    IdeaTransition.objects.filter(idea_id=product.idea_id, to_status=IdeaStatus.FUNDED).update(
        created_at=funded_at
    )
    product.created_at = funded_at


def seed(stdout) -> None:
    """Nothing here: a period's totals come from its sales and cost lines, which sales' demo
    (after this one) books before calling ``seed_periods``."""


def seed_periods(stdout, book) -> None:
    """``book(product=, start=, end=, revenue=, costs=)`` writes the lines behind a period's
    totals (sales.demo)."""
    finance = User.objects.filter(username="finance").first()
    finance2 = User.objects.filter(username="finance2").first()
    products = list(Product.objects.select_related("idea").order_by("id")[: len(PLANS)])
    if finance is None or finance2 is None or not products:
        stdout.write("Payouts demo: no finance staff or no products; skipped.")
        return
    today = timezone.now().date()
    posted = preview = 0
    preview_index = len(products) - 1 if len(products) > 1 else None
    for index, (product, plan) in enumerate(zip(products, PLANS, strict=False)):
        # Periods of 30 days ending today: contributions approved so far count in the last one.
        start = today - timedelta(days=30 * len(plan) - 1)
        _funded_by(product, start)
        for n, (revenue, costs) in enumerate(plan):
            end = start + timedelta(days=29)
            book(product=product, start=start, end=end, revenue=revenue * 100, costs=costs * 100)
            period = services.period_record(
                product=product,
                start=start,
                end=end,
                actor=finance,
                notes="Shop and wholesale sales; costs: production, shipping, fees.",
            )
            keep_in_preview = index == preview_index and n == len(plan) - 1
            settlement = _settle(period, finance, finance2, post=not keep_in_preview)
            posted += settlement.status == "posted"
            preview += settlement.status == "preview"
            start = end + timedelta(days=1)
    batches = 0
    for currency in sorted({p.currency for p in products}):
        try:
            batch = services.payout_batch_create(currency=currency, actor=finance)
        except ApplicationError:  # no balance above the minimum: nothing to pay
            continue
        services.payout_batch_mark_paid(
            batch=batch, reference=f"SEPA-{today:%Y%m%d}-{batch.pk:03d}", actor=finance2
        )
        batches += 1
    stdout.write(
        f"Payouts demo: {posted} settlements posted, {preview} in preview, "
        f"{batches} payout batch(es) paid ({PayoutBatch.objects.count()} in all)."
    )
