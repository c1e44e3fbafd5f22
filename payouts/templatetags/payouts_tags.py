from datetime import date, timedelta

from django import template
from django.utils import timezone

register = template.Library()


MONTHS_SHOWN = 12
CHART_HEIGHT = 120  # of the bars' area, in SVG units; labels go below it


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@register.simple_tag
def earnings_chart(months, currency: str, today: date | None = None):
    """The last ``MONTHS_SHOWN`` months of ``currency`` (from ``selectors.Earnings.months``) as
    bars for an SVG: a month without shares is an empty slot; a month a reversal made negative
    goes below the baseline."""
    amounts = {month: amount for month, cur, amount in months if cur == currency}
    month = (today or timezone.now().date()).replace(day=1)
    slots = []
    for _ in range(MONTHS_SHOWN):
        slots.append((month, amounts.get(month, 0)))
        month = _month_before(month)
    slots.reverse()
    top = max((a for _, a in slots), default=0)
    bottom = min((a for _, a in slots), default=0)
    span = (top - bottom) or 1
    baseline = CHART_HEIGHT * top / span
    bars = []
    for index, (month, amount) in enumerate(slots):
        height = CHART_HEIGHT * abs(amount) / span
        bars.append(
            {
                "x": index * 30 + 4,
                "y": round(baseline - height if amount >= 0 else baseline, 1),
                "height": round(max(height, 1 if amount else 0), 1),
                "month": month,
                "amount": amount,
                "negative": amount < 0,
            }
        )
    return {
        "bars": bars,
        "baseline": round(baseline, 1),
        "width": MONTHS_SHOWN * 30,
        "height": CHART_HEIGHT,
        "any": any(amount for _, amount in slots),
    }
