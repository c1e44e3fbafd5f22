"""In a real Chromium: a finance member closes a period and watches the settlement reach the
preview, a second finance member approves it, and a contributor sees the share and downloads
the statement."""

import threading
from datetime import date

import pytest
from django.db import connection

from core.templatetags.money import money
from payouts import services, tasks
from payouts.allocation import split_profit
from payouts.models import Settlement
from payouts.services import settlement_job
from tests.a11y import assert_accessible
from tests.factories import book_totals
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_worker(monkeypatch):
    """The settlement job runs in a background thread, as a worker would, and stays "running"
    after its first progress report until the test has seen that on the page (returned: call
    it once seen). Fixed sleeps were missed now and then on a busy CI machine."""
    report = settlement_job._report
    seen = threading.Event()

    def gated_report(*args, **kwargs):
        result = report(*args, **kwargs)
        seen.wait(timeout=30)  # a page that never shows "running" fails the test's own wait
        return result

    def run_later(settlement_id):
        def work():
            try:
                services.settlement_run(settlement_id=settlement_id)
            finally:
                connection.close()

        threading.Thread(target=work, daemon=True).start()

    monkeypatch.setattr(settlement_job, "_report", gated_report)
    monkeypatch.setattr(tasks.settlement_run_task, "delay", run_later)
    yield seen.set
    seen.set()


def test_close_watch_approve_and_see_the_share(team, page, browser, live_server, slow_worker):
    book_totals(team.product, day=date(2026, 1, 2), revenue=1000_00, costs=200_00)
    browser_login(page, "fin")
    page.goto("/finance/")
    page.select_option("#p-product", str(team.product.pk))
    page.fill("#p-start", "2026-01-01")
    page.fill("#p-end", "2026-01-31")
    page.click("#period-form button[type=submit]")
    settle = page.locator("#periods-table button.settle-btn")
    settle.wait_for()
    assert "800.00 EUR" in page.locator("#periods-table").inner_text()

    settle.click()
    row = page.locator("#settlements-table tr[data-settlement]").first
    row.locator(".settle-status", has_text="running").wait_for()  # the poll updates the row
    slow_worker()  # seen: the job may go on
    row.locator(".settle-status", has_text="preview").wait_for()
    assert row.locator(".settle-pct").inner_text() == "100%"
    assert row.get_attribute("data-status") == "preview"
    settlement = Settlement.objects.get()

    # The finance member who closed it cannot approve; a second one can.
    page.goto(f"/finance/settlements/{settlement.pk}/")
    assert page.locator("#approve-btn").count() == 0
    second = browser.new_context(base_url=live_server.url).new_page()
    browser_login(second, "fin2")
    second.goto(f"/finance/settlements/{settlement.pk}/")
    assert "alice" in second.locator("#lines-table").inner_text()
    assert_accessible(second, "a settlement's page with its lines")
    second.click("#approve-btn")
    second.locator("#settlement-status", has_text="posted").wait_for()
    second.context.close()

    share = split_profit(800_00, 1500, {team.alice.pk: 3, team.bob.pk: 1})
    expected = money(share.contributors[team.alice.pk], "EUR")
    member = browser.new_context(base_url=live_server.url).new_page()
    browser_login(member, "alice")
    member.goto("/me/earnings/")
    assert expected in member.locator("#balances").inner_text()
    assert expected in member.locator("#shares-table").inner_text()
    assert_accessible(member, "the earnings page with a share")
    with member.expect_download() as download:
        member.click("#statement-link")
    statement = open(download.value.path()).read()
    assert "share,Lamp,2026-01-01 – 2026-01-31,contributor,EUR," in statement
    member.context.close()
