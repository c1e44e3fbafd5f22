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


@pytest.mark.parametrize("width", [375, 1280])
def test_the_vote_box_comes_first_on_a_phone_and_beside_the_idea_on_a_desktop(
    browser, live_server, make_user, width
):
    long_body = "\n\n".join(f"Paragraph {n} of a long description." for n in range(40))
    idea = idea_in_voting(make_user("carla"), title="Solar kettle")
    Idea.objects.filter(pk=idea.pk).update(body=long_body, body_html=f"<p>{long_body}</p>")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto(f"/ideas/{idea.pk}/")
    vote = page.locator("#vote-area").bounding_box()
    body = page.locator(".idea-body").bounding_box()
    if width == 375:
        assert vote["y"] + vote["height"] <= body["y"]  # above the text, no scrolling past it
        assert vote["y"] < 800  # on the first screen
    else:
        assert vote["x"] >= body["x"] + body["width"]  # beside it
        assert vote["y"] < 800
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    context.close()
