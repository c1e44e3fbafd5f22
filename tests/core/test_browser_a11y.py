"""axe-core on the pages each role lives in, at a desktop's and a phone's width: no WCAG 2.1
A/AA violation (tests/a11y.py runs the vendored axe-core in Chromium)."""

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible, report
from tests.factories import (
    idea_in_funding,
    idea_in_review,
    idea_in_voting,
    make_product,
    make_user,
)
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (375, 800)}


@pytest.fixture
def site():
    carla = make_user("carla")
    rita = make_user("rita", role="reviewer")
    make_user("fiona", role="finance")
    alice = make_user("alice")

    class Site:
        voting = idea_in_voting(carla, title="A solar kettle")
        funding = idea_in_funding(carla, rita, title="A quiet bicycle bell")
        review = idea_in_review(carla, title="A folding ladder")
        product = make_product(carla, reviewer=rita, pledges={alice: 30_000})

    return Site


def _pages(site, role: str) -> list[str]:
    ideas = [f"/ideas/{site.voting.pk}/", f"/ideas/{site.funding.pk}/"]
    product = f"/products/{site.product.pk}/"
    return {
        "anonymous": [
            "/", "/?tab=top", "/search/?q=kettle", *ideas, "/products/", product,
            "/accounts/login/", "/accounts/signup/", "/no-such-page/", "/members/carla/",
        ],
        "member": [
            "/", *ideas, product, "/ideas/new/", "/me/ideas/", "/me/earnings/",
            "/accounts/settings/", "/notifications/", "/notifications/settings/",
            "/members/alice/", "/members/carla/",
        ],
        "reviewer": [
            "/review/", "/review/contributions/", "/review/moderation/",
            f"/review/ideas/{site.voting.pk}/votes/",
        ],
        "finance": ["/finance/", "/finance/payments/"],
    }[role]  # fmt: skip


USERS = {"member": "alice", "reviewer": "rita", "finance": "fiona"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["anonymous", "member", "reviewer", "finance"])
def test_every_page_of_a_role_passes_axe(browser, live_server, site, role, width):
    w, h = WIDTHS[width]
    context = browser.new_context(base_url=live_server.url, viewport={"width": w, "height": h})
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = []
    try:
        if role in USERS:
            browser_login(page, USERS[role])
        for url in _pages(site, role):
            page.goto(url)
            found.append(report(page, f"{url} as {role} at {w} px"))
    finally:
        context.close()
    found = [f for f in found if f]
    assert not found, "\n".join(found)


def test_tables_become_labelled_cards_on_a_phone(browser, live_server, site):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        browser_login(page, "carla")
        page.goto("/me/ideas/")
        row = page.locator("table.data tbody tr").first
        votes = row.locator("td").nth(2)
        expect(votes).to_have_attribute("data-label", "Votes")
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        box = votes.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # on screen, no sideways scroll
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert "Votes" in votes.evaluate("c => getComputedStyle(c, '::before').content")
        assert_accessible(page, "my ideas as cards at 375 px")
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(row).to_have_css("display", "table-row")  # a table again on a wide screen
    finally:
        context.close()
