"""The vote button in a real Chromium: no reload, the numbers follow. (The pledge box, plain
forms with a confirmation step, is in tests/funding/test_browser.py.)"""

import pytest

from ideas.models import Idea
from tests.factories import idea_in_voting
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
