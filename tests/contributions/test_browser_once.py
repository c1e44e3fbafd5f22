"""The claim form happens once: a double click on "Send the claim" or Back-and-resubmit makes
one claim and lands on the product page."""

import time

import pytest
from playwright.sync_api import expect

from contributions import views
from contributions.models import Contribution
from tests.helpers import browser_login

# Long enough for a second, unprotected request to have written its row before we count.
SETTLE_MS = 700


def _slowed(monkeypatch, module, name: str, seconds: float = 0.6) -> None:
    """The server takes a while to answer, as over a slow network: time for a second click."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def _double_click(page, button) -> None:
    """Click, and click again while the first submission is on its way. (Playwright's dblclick
    clicks twice in one instant, before Chromium even sent the first form: it sends one.)"""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    # The page is still there while the first answer is on its way: the second click lands.
    with page.expect_response(_landing_page), page.expect_request(lambda r: r.method == "POST"):
        page.mouse.click(x, y)
    page.wait_for_load_state()


def _landing_page(response) -> bool:
    return response.request.method == "GET" and response.request.resource_type == "document"


def _fill_claim(page, product) -> None:
    page.goto(f"/products/{product.pk}/")
    page.select_option("select[name=kind]", "design")
    page.fill("textarea[name=description]", "Designed the folding hinge, drawings attached.")
    page.fill("input[name=proposed_points]", "120")
    page.fill("input[name=evidence_url]", "https://example.org/hinge-drawings")


# Two requests in flight need a real database (SQLite's live server shares one connection
# between its threads): CI runs this on PostgreSQL.
@pytest.mark.postgres
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_double_clicking_send_the_claim_makes_one_claim(page, people, product, monkeypatch):
    browser_login(page, "alice")
    _fill_claim(page, product)
    _slowed(monkeypatch, views, "contribution_submit")
    _double_click(page, page.locator("#claim-form button[type=submit]"))
    page.wait_for_url(f"**/products/{product.pk}/")
    page.wait_for_timeout(SETTLE_MS)
    page.reload()
    expect(page.locator(".claims li.claim")).to_have_count(1)
    assert Contribution.objects.filter(member=people.alice).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_going_back_to_the_claim_form_and_sending_it_again_makes_no_second_claim(
    page, people, product
):
    browser_login(page, "alice")
    _fill_claim(page, product)
    page.click("#claim-form button[type=submit]")
    expect(page.get_by_text("Your claim is waiting for a reviewer")).to_be_visible()
    first = Contribution.objects.get(member=people.alice)

    page.go_back()
    expect(page.locator("textarea[name=description]")).to_have_value(
        "Designed the folding hinge, drawings attached."
    )
    page.click("#claim-form button[type=submit]")
    page.wait_for_url(f"**/products/{product.pk}/")
    page.wait_for_timeout(SETTLE_MS)
    expect(page.locator(".claims li.claim")).to_have_count(1)
    assert list(Contribution.objects.filter(member=people.alice)) == [first]
