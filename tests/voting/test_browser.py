"""The vote button and the pledge form in a real Chromium: no reload, the numbers follow."""

import pytest

from funding.services import pledge_create
from ideas.models import Idea
from tests.factories import idea_in_funding, idea_in_voting
from tests.helpers import browser_login
from voting.services import vote_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_votes_and_withdraws_without_a_reload(page, make_user, settings):
    settings.VOTE_THRESHOLD = 4
    idea = idea_in_voting(make_user("carla"), title="Solar kettle")
    vote_cast(idea=idea, member=make_user("bob"))
    make_user("alice")
    browser_login(page, "alice")
    page.goto(f"/ideas/{idea.pk}/")
    page.evaluate("window.__samePage = true")  # gone if the page reloads
    assert page.text_content("#vote-count") == "1"
    assert page.get_attribute("#vote-progress", "style") == "width: 25%;"  # set from data-width

    page.click("#vote-button")
    page.wait_for_function("() => document.getElementById('vote-count').textContent === '2'")
    assert page.text_content("#vote-button") == "Withdraw my vote"
    assert page.get_attribute("#vote-progress", "style") == "width: 50%;"
    assert Idea.objects.get(pk=idea.pk).vote_count == 2

    page.click("#vote-button")
    page.wait_for_function("() => document.getElementById('vote-count').textContent === '1'")
    assert page.text_content("#vote-button") == "Vote for this idea"
    assert page.get_attribute("#vote-progress", "style") == "width: 25%;"
    assert Idea.objects.get(pk=idea.pk).vote_count == 1
    assert page.evaluate("window.__samePage") is True


def test_a_backer_pledges_and_sees_the_funding_bar_move(page, make_user):
    rita = make_user("rita", role="reviewer")
    idea = idea_in_funding(make_user("carla"), rita, goal=10_000)  # 100.00 EUR
    pledge_create(idea=idea, member=make_user("bob"), amount=2_000)
    make_user("alice")
    browser_login(page, "alice")
    page.goto(f"/ideas/{idea.pk}/")
    page.evaluate("window.__samePage = true")
    assert page.text_content("#funding-raised") == "20.00 EUR"
    assert page.text_content("#funding-backers") == "1"

    page.fill("#pledge-input", "30")
    page.click("#pledge-submit")
    page.wait_for_function(
        "() => document.getElementById('funding-raised').textContent === '50.00 EUR'"
    )
    assert page.text_content("#funding-backers") == "2"
    assert page.get_attribute("#funding-progress", "style") == "width: 50%;"
    assert page.text_content("#pledge-amount") == "30.00 EUR"

    page.fill("#pledge-input", "12.50")
    page.click("#pledge-submit")
    page.wait_for_function(
        "() => document.getElementById('funding-raised').textContent === '32.50 EUR'"
    )

    page.fill("#pledge-input", "0.50")
    page.click("#pledge-submit")
    assert "at least 1 EUR" in page.text_content("#pledge-error")

    page.click("#pledge-cancel")
    page.wait_for_function(
        "() => document.getElementById('funding-raised').textContent === '20.00 EUR'"
    )
    assert page.text_content("#funding-backers") == "1"
    assert page.evaluate("window.__samePage") is True
