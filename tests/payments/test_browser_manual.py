"""In a real Chromium, the manual adapter end to end: a backer of a funded round sees what to
transfer, to whom and by when; finance finds it among the payments to collect and confirms it;
the backer then sees it paid."""

import pytest

from funding.models import Payment
from funding.services import funding_round_close, pledge_create
from tests.factories import idea_in_funding
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_backer_pays_and_finance_confirms(people, page, browser, live_server, settings):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000, title="Folding kettle")
    pledge = pledge_create(idea=idea, member=people.alice, amount=6_000)
    pledge_create(idea=idea, member=people.bob, amount=4_000)
    funding_round_close(idea=idea, actor=people.rita)

    browser_login(page, "alice")
    page.goto("/notifications/")
    assert f"AHHHA-P{pledge.pk}" in page.text_content("main")
    page.goto(f"/ideas/{idea.pk}/")
    due = page.text_content("#payment-due")
    assert "60.00" in due and settings.PAYMENT_PAYEE_NAME in due and f"AHHHA-P{pledge.pk}" in due

    finance = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    fin = finance.new_page()
    fin.set_default_timeout(15_000)
    browser_login(fin, "fiona")
    fin.goto("/finance/")
    fin.click("#payments-link")
    fin.wait_for_selector("#payments-table")
    assert fin.locator("#payments-table tbody tr").count() == 2
    fin.select_option("#payment-filters select[name=idea]", str(idea.pk))
    fin.click("#payment-filters button[type=submit]")
    payment = Payment.objects.get(pledge=pledge)
    row = f"#payment-{payment.pk}"
    fin.fill(f"{row} input[name=reference]", "SEPA-2026-0042")
    fin.click(f"{row} .confirm-form button[type=submit]")
    fin.wait_for_selector(".messages")
    assert "confirmed as received" in fin.text_content(".messages")
    assert fin.locator(row).count() == 0  # no longer to collect
    assert f"idea={idea.pk}" in fin.url  # back where finance was
    fin.goto("/finance/payments/?status=received")
    assert "SEPA-2026-0042" in fin.text_content(row)
    finance.close()

    page.goto(f"/ideas/{idea.pk}/")
    assert "arrived" in page.text_content("#payment-received")
    assert "Collected so far: 60.00 EUR of 100.00 EUR pledged." in page.text_content(
        "#funding-collected"
    )
