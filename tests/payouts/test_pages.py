"""The finance console, the settlement page, the earnings page and the product's history."""

import pytest
from django.template import Context, Template
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 302), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_open_the_finance_console(team, posted_settlement, browser_for, who, code):
    response = browser_for(who).get("/finance/")
    assert response.status_code == code
    if code == 200:
        html = response.content.decode()
        assert "Where the money went" in html and "Lamp" in html
        assert 'role="progressbar"' in html and "<svg" in html


@pytest.mark.parametrize(
    "who, code", [("anonymous", 302), ("alice", 403), ("finance", 200), ("finance2", 200)]
)
def test_who_may_open_a_settlement_page(team, posted_settlement, browser_for, who, code):
    response = browser_for(who).get(f"/finance/settlements/{posted_settlement.pk}/")
    assert response.status_code == code
    if code == 200:
        html = response.content.decode()
        assert "Where the money goes" in html
        assert "alice" in html and "AHHHA platform" in html


def test_the_closer_sees_no_approve_button_but_the_second_finance_member_does(
    team, record, browser_for
):
    from payouts import services

    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    url = f"/finance/settlements/{settlement.pk}/"
    assert 'id="approve-btn"' not in browser_for("finance").get(url).content.decode()
    assert 'id="approve-btn"' in browser_for("finance2").get(url).content.decode()


def test_the_earnings_page_shows_balance_shares_and_the_statement_link(
    team, posted_settlement, browser_for
):
    html = browser_for("alice").get("/me/earnings/").content.decode()
    line = posted_settlement.lines.get(member=team.alice).amount
    assert f"{line // 100:,}".replace(",", "\u202f") in html
    assert "Lamp" in html and "/me/earnings/statement.csv" in html
    statement = browser_for("alice").get("/me/earnings/statement.csv")
    assert statement["Content-Type"] == "text/csv"


def test_earnings_need_a_sign_in(browser_for):
    assert browser_for("anonymous").get("/me/earnings/").status_code == 302


def test_the_product_page_partial_shows_the_settlement_history(team, posted_settlement):
    from contributions.hooks import product_settlements

    shown = product_settlements(product_id=team.product.pk)  # composed by payouts, not the tag
    html = Template('{% include "payouts/_product_settlements.html" %}').render(
        Context({"product": team.product, "settlements": shown})
    )
    assert "Settlement history" in html and "settled" in html
    assert "2026-01-01 – 2026-01-31" in html


def test_staff_can_browse_the_ledger_in_the_admin_read_only(make_user, team, posted_settlement):
    from payouts.models import LedgerTransaction

    admin = make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    tx = LedgerTransaction.objects.get(settlement=posted_settlement)
    for url in [
        "/admin/payouts/settlement/",
        f"/admin/payouts/settlement/{posted_settlement.pk}/change/",
        "/admin/payouts/ledgertransaction/",
        f"/admin/payouts/ledgertransaction/{tx.pk}/change/",
        "/admin/payouts/account/",
        "/admin/payouts/period/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/payouts/ledgertransaction/add/").status_code == 403


def test_the_admin_approve_action_keeps_four_eyes(team, record):
    from payouts import services

    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    for user in (team.finance, team.finance2):
        user.is_staff = user.is_superuser = True
        user.save()
    closer, second = Client(), Client()
    closer.force_login(team.finance)
    second.force_login(team.finance2)
    action = {"action": "approve", "_selected_action": [settlement.pk]}

    closer.post("/admin/payouts/settlement/", action)
    settlement.refresh_from_db()
    assert settlement.approved_by_id is None  # the closer cannot approve, in the admin either

    second.post("/admin/payouts/settlement/", action)
    settlement.refresh_from_db()
    assert settlement.approved_by_id == team.finance2.pk
