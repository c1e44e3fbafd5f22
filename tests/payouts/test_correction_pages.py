"""The finance pages' plain forms: recording a period with amounts as people type them,
correcting and deleting it, discarding a preview, requesting and approving a reversal; each form
carries a one-time token, so a double submission does the thing once."""

import re
from datetime import date

import pytest

from core.idempotency import FORM_FIELD
from payouts import services
from payouts.models import Period, Settlement
from tests.factories import book_totals

pytestmark = pytest.mark.django_db


def _post_forms(html: str) -> list[str]:
    """The page's own POST forms (the site header's sign-out form is not a payouts form)."""
    forms = re.findall(r'<form[^>]*method="post".*?</form>', html, flags=re.S)
    return [f for f in forms if 'action="/finance/' in f or " action=" not in f.split(">")[0]]


def _token(html: str, form_id: str) -> str:
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, flags=re.S).group(0)
    return re.search(rf'name="{FORM_FIELD}" value="([0-9a-f]+)"', form).group(1)


def _record(client, token, **fields):
    data = {
        "product": fields.pop("product"),
        "start": "2026-01-01",
        "end": "2026-01-31",
        "notes": "",
        FORM_FIELD: token,
        **fields,
    }
    return client.post("/finance/periods/", data)


def test_finance_records_a_period_whose_totals_are_computed_from_its_lines(team, browser_for):
    book_totals(team.product, day=date(2026, 1, 5), revenue=1_250_00, costs=250_00)
    finance = browser_for("finance")
    token = _token(finance.get("/finance/").content.decode(), "period-form")
    response = _record(finance, token, product=team.product.pk)
    assert response.status_code == 302
    period = Period.objects.get()
    assert (period.revenue, period.costs) == (1_250_00, 250_00)

    again = _record(finance, token, product=team.product.pk)  # a double click, or Back + resend
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert Period.objects.count() == 1


def test_a_bad_date_is_shown_on_the_form(team, browser_for):
    finance = browser_for("finance")
    token = _token(finance.get("/finance/").content.decode(), "period-form")
    response = _record(finance, token, product=team.product.pk, end="2025-12-01")
    assert response.status_code == 400
    assert not Period.objects.exists()
    html = response.content.decode()
    assert 'class="error"' in html and "2025-12-01" in html
    # The form came back with its errors: the same token may be sent again, corrected.
    assert _record(finance, token, product=team.product.pk).status_code == 302


def test_a_future_period_is_refused_on_the_form(team, browser_for):
    finance = browser_for("finance")
    token = _token(finance.get("/finance/").content.decode(), "period-form")
    response = _record(finance, token, product=team.product.pk, end="2099-01-31")
    assert response.status_code == 400
    assert "Choose an end date of today" in response.content.decode()


def test_finance_corrects_and_deletes_an_unsettled_period(team, record, browser_for):
    period = record()
    finance = browser_for("finance")
    html = finance.get(f"/finance/periods/{period.pk}/").content.decode()
    book_totals(team.product, day=date(2026, 1, 30), revenue=100_00)  # a line found late
    response = finance.post(
        f"/finance/periods/{period.pk}/",
        {
            "start": "2026-01-01",
            "end": "2026-01-31",
            FORM_FIELD: _token(html, "period-correct-form"),
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.revenue == 1_100_00

    html = finance.get(f"/finance/periods/{period.pk}/").content.decode()
    token = _token(html, "period-delete-form")
    assert finance.post(f"/finance/periods/{period.pk}/delete/", {FORM_FIELD: token}).status_code
    assert not Period.objects.exists()


def test_a_posted_period_offers_no_correction(team, posted_settlement, browser_for):
    finance = browser_for("finance")
    url = f"/finance/periods/{posted_settlement.period_id}/"
    html = finance.get(url).content.decode()
    assert "request its reversal" in html and "period-correct-form" not in html
    response = finance.post(url, {"start": "2026-01-01", "end": "2026-01-31", "notes": "x"})
    assert response.status_code == 400
    assert finance.post(url + "delete/").status_code == 302
    assert Period.objects.get().revenue == 1_000_00


def test_discard_on_the_settlement_page_with_a_reason(team, record, browser_for):
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    finance = browser_for("finance")
    url = f"/finance/settlements/{settlement.pk}/"
    html = finance.get(url).content.decode()
    token = _token(html, "discard-form")
    empty = finance.post(url + "discard/", {"discard-reason": "", FORM_FIELD: token})
    assert empty.status_code == 400
    response = finance.post(url + "discard/", {"discard-reason": "Wrong costs.", FORM_FIELD: token})
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert (settlement.status, settlement.discard_reason) == ("discarded", "Wrong costs.")
    assert "Wrong costs." in finance.get(url).content.decode()


def test_reversal_on_the_settlement_page_takes_two_finance_members(
    team, posted_settlement, browser_for
):
    url = f"/finance/settlements/{posted_settlement.pk}/"
    finance, finance2 = browser_for("finance"), browser_for("finance2")
    html = finance.get(url).content.decode()
    assert "Request reversal" in html and "discard-form" not in html
    finance.post(
        url + "reverse/",
        {"reverse-reason": "Revenue was doubled.", FORM_FIELD: _token(html, "reverse-form")},
    )
    html = finance.get(url).content.decode()
    assert "You requested this reversal" in html and "Approve reversal" not in html
    refused = finance.post(url + "reverse/approve/")
    assert refused.status_code == 302
    posted_settlement.refresh_from_db()
    assert posted_settlement.status == "posted"

    html = finance2.get(url).content.decode()
    token = _token(html, "reverse-approve-form")
    assert finance2.post(url + "reverse/approve/", {FORM_FIELD: token}).status_code == 302
    assert finance2.post(url + "reverse/approve/", {FORM_FIELD: token}).status_code == 302
    posted_settlement.refresh_from_db()
    assert posted_settlement.status == "reversed"
    assert "Revenue was doubled." in finance2.get(url).content.decode()


def test_the_creator_of_a_batch_is_not_offered_mark_paid(team, posted_settlement, browser_for):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    mine = browser_for("finance").get("/finance/").content.decode()
    assert f'data-batch="{batch.pk}"' in mine and "paid-form" not in mine
    assert "a second finance member marks it paid" in mine
    theirs = browser_for("finance2").get("/finance/").content.decode()
    assert "paid-form" in theirs


def test_every_post_form_on_the_payouts_pages_carries_a_one_time_token(
    team, record, posted_settlement, browser_for
):
    preview = services.period_settle(
        period=record(start=date(2026, 2, 1), end=date(2026, 2, 28)), actor=team.finance
    )
    services.settlement_run(settlement_id=preview.pk)
    unsettled = record(start=date(2026, 3, 1), end=date(2026, 3, 31))
    finance = browser_for("finance")
    pages = [
        "/finance/",
        f"/finance/periods/{unsettled.pk}/",
        f"/finance/settlements/{preview.pk}/",
        f"/finance/settlements/{posted_settlement.pk}/",
    ]
    forms = [form for url in pages for form in _post_forms(finance.get(url).content.decode())]
    assert len(forms) >= 5
    assert all(f'name="{FORM_FIELD}"' in form for form in forms)
    assert Settlement.objects.count() == 2


def test_the_product_page_shows_a_reversal_and_hides_a_discarded_preview(
    team, posted_settlement, browser_for
):
    services.settlement_reversal_request(
        settlement=posted_settlement, actor=team.finance, reason="Wrong revenue."
    )
    services.settlement_reversal_approve(settlement=posted_settlement, actor=team.finance2)
    again = services.period_settle(period=posted_settlement.period, actor=team.finance)
    services.settlement_run(settlement_id=again.pk)
    services.settlement_discard(settlement=again, actor=team.finance, reason="Too early.")
    html = browser_for("alice").get(f"/products/{team.product.pk}/").content.decode()
    history = html[html.index('id="settlement-history"') :]
    assert "reversed" in history
    assert "in settlement" not in history  # the discarded preview is not listed
