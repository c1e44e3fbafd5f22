"""The earnings page explains itself: lifetime, pending and paid totals, a chart per month, the
weight behind every share."""

import re
from datetime import date

import pytest

from payouts import selectors, services
from payouts.models import Settlement
from payouts.templatetags.payouts_tags import earnings_chart

pytestmark = pytest.mark.django_db


def _share(settlement, member) -> int:
    return settlement.lines.get(member=member).amount


def test_lifetime_pending_and_paid_add_up_across_posting_reversal_and_payout(
    team, record, settle_and_post
):
    january = settle_and_post(record())
    february = settle_and_post(record(start=date(2026, 2, 1), end=date(2026, 2, 28)))
    services.settlement_reversal_request(settlement=february, actor=team.finance, reason="Wrong")
    services.settlement_reversal_approve(settlement=february, actor=team.finance2)
    # The reversed period, settled again: a preview waiting for finance.
    preview = services.period_settle(period=february.period, actor=team.finance)
    services.settlement_run(settlement_id=preview.pk)
    preview.refresh_from_db()
    assert preview.status == "preview"

    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    services.payout_batch_mark_paid(batch=batch, reference="SEPA-1", actor=team.finance2)

    alice = team.alice.pk
    earned = selectors.member_earnings(member_id=alice)
    assert earned.lifetime == {"EUR": _share(january, team.alice)}  # February nets to zero
    assert earned.pending == {"EUR": _share(preview, team.alice)}
    assert earned.paid == {"EUR": batch.items.get(member=team.alice).amount}
    assert earned.paid["EUR"] == _share(january, team.alice)  # all that was owed went out
    posted_month = Settlement.objects.get(pk=january.pk).posted_at.date().replace(day=1)
    assert sum(a for m, c, a in earned.months if m == posted_month) == _share(january, team.alice)
    assert selectors.member_earnings(member_id=team.outsider.pk).lifetime == {}


def test_the_chart_has_twelve_months_and_puts_a_reversal_below_the_line():
    months = [
        (date(2026, 3, 1), "EUR", 400),
        (date(2026, 5, 1), "EUR", -100),
        (date(2026, 5, 1), "CNY", 999),
        (date(2025, 1, 1), "EUR", 50),  # older than a year: not drawn
    ]
    chart = earnings_chart(months, "EUR", today=date(2026, 6, 15))
    bars = chart["bars"]
    assert [b["month"] for b in bars][0] == date(2025, 7, 1)
    assert bars[-1]["month"] == date(2026, 6, 1) and len(bars) == 12
    march = next(b for b in bars if b["month"] == date(2026, 3, 1))
    may = next(b for b in bars if b["month"] == date(2026, 5, 1))
    assert march["amount"] == 400 and may["amount"] == -100 and may["negative"]
    assert march["y"] + march["height"] == pytest.approx(chart["baseline"])  # up from the line
    assert may["y"] == chart["baseline"]  # down from it
    assert march["height"] == pytest.approx(4 * may["height"])
    assert [b["amount"] for b in bars].count(0) == 10


def test_the_earnings_page_shows_the_totals_the_chart_and_each_lines_weight(
    team, posted_settlement, browser_for
):
    html = browser_for("alice").get("/me/earnings/").content.decode()
    assert "Earned in all (EUR)" in html and "Pending: in previews not posted yet" in html
    assert 'class="months"' in html and "Shares per month in EUR" in html
    assert '<td class="num">3</td>' in html  # alice's weight: 3 points
    assert "How shares are worked out" in html
    empty = browser_for("outsider").get("/me/earnings/").content.decode()
    assert "Nothing earned yet" in empty and 'class="months"' not in empty


def test_the_charts_months_are_short_enough_for_their_bars_in_chinese(
    team, posted_settlement, browser_for
):
    page = browser_for("alice").get("/me/earnings/", headers={"accept-language": "zh-Hans"})
    labels = re.findall(r'<text[^>]*text-anchor="middle">([^<]*)</text>', page.content.decode())
    # CLDR's stand-alone abbreviation, "12月"; Django's "M" was "十二月", as wide as a bar's slot.
    assert len(labels) == 12 and all(re.fullmatch(r"\d{1,2}月", label) for label in labels)


def test_the_idea_page_states_the_points_a_pledge_earns(client, make_user):
    from tests.factories import idea_in_funding

    idea = idea_in_funding(make_user("carla"), make_user("rita", role="reviewer"))
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Each 1 EUR pledged earns 2 contribution points" in page
