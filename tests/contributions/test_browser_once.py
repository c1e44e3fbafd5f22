"""The claim form happens once: a double click on "Send the claim" or Back-and-resubmit makes
one claim and lands on the product page."""

import pytest
from playwright.sync_api import expect

from contributions import views
from contributions.models import Contribution
from tests.helpers import SETTLE_MS, browser_login, double_click, slowed


def _fill_claim(page, product) -> None:
    page.goto(f"/products/{product.pk}/")
    page.select_option("select[name=kind]", "design")
    page.fill("textarea[name=description]", "Designed the folding hinge, drawings attached.")
    page.fill("input[name=proposed_points]", "120")
    page.fill("input[name=evidence_url]", "https://example.org/hinge-drawings")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_double_clicking_send_the_claim_makes_one_claim(page, people, product, monkeypatch):
    browser_login(page, "alice")
    _fill_claim(page, product)
    slowed(monkeypatch, views, "contribution_submit")
    double_click(page, page.locator("#claim-form button[type=submit]"))
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
