"""What the pages show: a product's periods with the lines behind each total and the reader's
share, and a chart of revenue, costs and profit per period (inline SVG, no library)."""

from django.urls import reverse
from django.utils.translation import gettext

from accounts.roles import is_finance

from . import rules, selectors

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 640, 200, 12


def _chart(rows: list[dict]) -> dict:
    """Two bars per period (revenue, costs) on a shared scale, in SVG user units."""
    if not rows:
        return {"bars": [], "width": CHART_WIDTH, "height": CHART_HEIGHT}
    top = max([max(r["revenue"], r["costs"], 0) for r in rows] + [1])
    slot = CHART_WIDTH / len(rows)
    bar = max(4.0, (slot - BAR_GAP) / 2)
    bars = []
    for i, row in enumerate(rows):
        for j, key in enumerate(("revenue", "costs")):
            height = CHART_HEIGHT * max(row[key], 0) / top
            bars.append(
                {"x": f"{i * slot + j * bar:.1f}", "y": f"{CHART_HEIGHT - height:.1f}",
                 "w": f"{bar:.1f}", "h": f"{height:.1f}", "key": key, "row": row}
            )  # fmt: skip
    return {"bars": bars, "width": CHART_WIDTH, "height": CHART_HEIGHT}


def profit_context(*, product, viewer) -> dict:
    periods = list(selectors.periods_of(product_id=product.pk))
    live = selectors.live_settlement_ids(period_ids=[p.pk for p in periods])
    mine = selectors.shares_of(member_id=viewer.pk, settlement_ids=[s.pk for s in live.values()])
    lines = selectors.breakdowns(product=product, ranges=[(p.start, p.end) for p in periods])
    rows = []
    for period, found in zip(periods, lines, strict=True):
        settlement = live.get(period.pk)
        rows.append(
            {
                "period": period,
                "revenue": period.revenue,
                "costs": period.costs,
                "profit": period.revenue - period.costs,
                "settlement": settlement,
                "published": settlement is not None and settlement.status in ("posted", "reversed"),
                "my_share": mine.get(settlement.pk) if settlement else None,
                "lines": found,
            }
        )
    return {"product": product, "rows": rows, "chart": _chart(rows)}


def money_links(*, product, viewer) -> list[tuple[str, str]]:
    """The product page's links to its money pages, those the viewer may open
    (contributions.hooks.product_money_links)."""
    links = []
    if selectors.may_see_profit(product=product, viewer=viewer):
        links.append(
            (gettext("Profit and loss"), reverse("sales:product-profit", args=[product.pk]))
        )
    # The sales page's own rule (views._finance_only), asked, not restated.
    if rules.may_record_sales(is_finance=viewer is not None and is_finance(viewer)) is None:
        links.append(
            (gettext("Sales and adjustments"), reverse("sales:product-sales", args=[product.pk]))
        )
    return links
