"""Demo: each product's periods rest on sales lines (a few shop orders a day) and an approved
cost adjustment; then payouts' demo settles them (``payouts.demo.seed_periods``)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from payouts import demo as payouts_demo

from .models import CostAdjustment, SalesLine


def _book(*, product, start, end, revenue: int, costs: int) -> None:
    days = (end - start).days + 1
    lines, left = [], revenue
    for n in range(days):
        gross = left if n == days - 1 else revenue // days
        left -= gross
        lines.append(
            SalesLine(
                product=product,
                channel="shop" if n % 3 else "wholesale",
                order_id=f"D{start:%Y%m%d}-{n + 1:03d}",
                date=start + timedelta(days=n),
                quantity=1 + n % 4,
                gross=gross,
                currency=product.currency,
                source="csv",
            )  # fmt: skip
        )
    SalesLine.objects.bulk_create(lines)
    finance = User.objects.get(username="finance")
    CostAdjustment.objects.create(
        product=product, date=start, costs=costs, currency=product.currency,
        reason="Production, shipping and fees of the month.", proposed_by=finance,
        approved_by=User.objects.get(username="finance2"), approved_at=timezone.now(),
    )  # fmt: skip


def seed(stdout) -> None:
    payouts_demo.seed_periods(stdout, _book)
