"""The pledge box in a real Chromium: amounts as the member writes them, shown before anything
is stored, confirmed once."""

import pytest
from playwright.sync_api import expect

from funding.models import Pledge, PledgeStatus
from funding.services import pledge_create
from tests.a11y import assert_accessible
from tests.factories import idea_in_funding
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in(browser, live_server):
    """page_in("de-DE") → a page whose browser sends that Accept-Language."""
    contexts = []

    def make(locale: str):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1200, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def test_a_german_member_pledges_12_50_and_sees_it_before_confirming(page_in, people):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    page = page_in("de-DE")
    browser_login(page, "alice")
    page.goto(f"/ideas/{idea.pk}/")
    page.fill("#pledge-input", "12,50")
    page.click("#pledge-submit")
    page.wait_for_selector("#pledge-confirm")
    assert page.text_content("#pledge-preview") == "You pledge 12,50 €."
    assert not Pledge.objects.exists()  # nothing is stored before Confirm

    page.click("#pledge-confirm")
    page.wait_for_selector("#pledge-amount")
    pledge = Pledge.objects.get()
    assert (pledge.member, pledge.amount, pledge.currency) == (people.alice, 1_250, "EUR")
    assert page.text_content("#pledge-amount") == "12,50 €"
    assert page.text_content("#funding-raised") == "12,50 €"
    assert "Thank you: you pledge 12,50 €." in page.text_content(".messages")


def test_an_english_member_typing_12_50_is_told_how_it_was_read(page_in, people):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    page = page_in("en-US")
    browser_login(page, "alice")
    page.goto(f"/ideas/{idea.pk}/")
    page.fill("#pledge-input", "12,50")
    page.click("#pledge-submit")
    page.wait_for_selector("#pledge-error")
    assert page.text_content("#pledge-error") == (
        "“12,50” is not an amount as written in English (United States): "
        "write it like 1,234.50 EUR."
    )
    assert page.input_value("#pledge-input") == "12,50"
    assert page.query_selector("#pledge-confirm") is None
    assert not Pledge.objects.exists()


def test_double_clicking_confirm_stores_one_pledge(page_in, people, live_server):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    page = page_in("de-DE")
    browser_login(page, "alice")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"/ideas/{idea.pk}/")
    page.fill("#pledge-input", "12,50")
    page.click("#pledge-submit")
    page.wait_for_selector("#pledge-confirm")
    # A person's double click: the second click lands while the first submission is on its way.
    page.evaluate(
        """() => { const b = document.getElementById("pledge-confirm");
                   b.click(); setTimeout(() => b.click(), 15); }"""
    )
    page.wait_for_selector("#pledge-amount")
    page.wait_for_load_state("networkidle")
    assert Pledge.objects.filter(idea=idea).count() == 1
    assert Pledge.objects.get().amount == 1_250
    assert "already pledged" not in page.content()
    assert posts.count(f"{live_server.url}/ideas/{idea.pk}/pledge/") == 2  # both were sent


def test_a_backer_changes_and_cancels_their_pledge_and_the_bar_follows(page_in, people):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)  # 100.00 EUR
    pledge_create(idea=idea, member=people.bob, amount=2_000)
    page = page_in("en-GB")
    browser_login(page, "alice")
    page.goto(f"/ideas/{idea.pk}/")
    assert page.text_content("#funding-raised") == "20.00 EUR"
    assert page.text_content("#funding-backers") == "1"

    page.fill("#pledge-input", "30")
    page.click("#pledge-submit")
    page.click("#pledge-confirm")
    page.wait_for_selector("#pledge-amount")
    assert page.text_content("#funding-raised") == "50.00 EUR"
    assert page.text_content("#funding-backers") == "2"
    # Set by site.js from data-width (CSP: no inline styles), once the new page's scripts ran.
    expect(page.locator("#funding-progress")).to_have_attribute("style", "width: 50%;")

    page.fill("#pledge-input", "0.50")
    page.click("#pledge-submit")
    assert page.text_content("#pledge-error") == "Enter at least 1.00 EUR."

    page.fill("#pledge-input", "1,250.00")
    page.click("#pledge-submit")
    assert page.text_content("#pledge-preview") == "You change your pledge to 1,250.00 EUR."
    page.click("#pledge-change")  # back to the field, the amount still in it
    assert page.input_value("#pledge-input") == "1,250.00"
    page.fill("#pledge-input", "12.50")
    page.click("#pledge-submit")
    page.click("#pledge-confirm")
    page.wait_for_selector("text=Your pledge is now 12.50 EUR.")
    assert page.text_content("#funding-raised") == "32.50 EUR"

    page.click("#pledge-cancel")
    assert "Cancel your pledge of 12.50 EUR?" in page.text_content("#pledge-cancel-box")
    page.click("#pledge-cancel-confirm")
    page.wait_for_selector("text=Your pledge is cancelled: nothing will be collected.")
    assert page.text_content("#funding-raised") == "20.00 EUR"
    assert page.text_content("#funding-backers") == "1"
    assert Pledge.objects.get(member=people.alice).status == PledgeStatus.CANCELLED


@pytest.mark.parametrize("width", [1280, 375])
def test_a_failed_approval_on_page_two_of_a_200_idea_queue_shows_its_error_in_view(
    browser, live_server, people, width
):
    from tests.factories import idea_in_review

    ideas = [idea_in_review(people.carla, title=f"Idea {n:03d}") for n in range(200)]
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, "rita")
    page.goto("/review/")
    expect(page.locator(".pagination").first).to_contain_text("Page 1 of 20")
    expect(page.locator("li.review-item")).to_have_count(10)  # ten full forms, not 200
    page.get_by_role("link", name="Next →").first.click()
    expect(page.locator(".pagination").first).to_contain_text("Page 2 of 20")
    item = page.locator(f"#review-{ideas[14].pk}")
    expect(item.locator(".approve-form")).to_be_hidden()  # one line until opened
    item.locator("summary").focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    item.locator(".approve-form [name$=funding_goal]").fill("0.50")
    item.locator(".approve-form [name$=-reason]").fill("A sound plan.")
    item.get_by_role("button", name="Approve").click()
    error = page.locator(f"#review-{ideas[14].pk}").get_by_text("Enter at least 1.00 EUR.")
    error.wait_for()
    # Where the browser leaves the reviewer once the page has loaded (stylesheet included): the
    # element exists a moment before the final layout on a busy machine.
    page.wait_for_load_state("load")
    assert page.url.endswith(f"#review-{ideas[14].pk}")
    box = error.bounding_box()
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0 and 0 <= box["y"] <= 800, (box, scrolled)  # in view, not at the top
    assert_accessible(page, f"the review queue with an error at {width} px")
    context.close()
