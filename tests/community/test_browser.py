"""In Chromium, at a desktop's and a phone's width: a member follows an idea, its creator posts
an update, and the follower finds it in the site and in their e-mail; profiles and the
notification choices pass axe."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.a11y import assert_accessible
from tests.factories import make_idea, make_user
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_creator_update_reaches_a_follower_by_email_and_in_the_site(browser, live_server, width):
    carla = make_user("carla", display_name="Carla Q")
    make_user("mo")
    idea = make_idea(creator=carla, title="A solar kettle")

    def signed_in(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        browser_login(page, username)
        return page

    follower = signed_in("mo")
    follower.goto(f"/ideas/{idea.pk}/")
    follower.click("#follow-button")
    expect(follower.locator("#follow-button")).to_have_text("Following ✓")
    expect(follower.locator("#follower-count")).to_have_text("1 follower")
    assert_accessible(follower, f"an idea page followed, at {width} px")

    creator = signed_in("carla")
    creator.goto(f"/ideas/{idea.pk}/")
    creator.fill("#update-body", "The **first batch** ships in May.")
    creator.click("#updates button[type=submit]")
    expect(creator.locator(".msg.success")).to_contain_text("Your update is posted")
    expect(creator.locator("#updates .update strong")).to_have_text("first batch")
    assert_accessible(creator, f"an idea page with an update, at {width} px")

    to_mo = [m for m in mail.outbox if m.to == ["mo@example.org"]]
    assert len(to_mo) == 1 and "Carla Q posted an update on “A solar kettle”" in to_mo[0].body
    follower.goto("/notifications/")
    note = follower.locator(".list li a", has_text="Carla Q posted an update")
    expect(note).to_have_count(1)
    note.click()
    expect(follower.locator("#updates .update strong")).to_have_text("first batch")
    assert "#update-" in follower.url

    follower.goto("/members/carla/")
    expect(follower.locator("h1")).to_have_text("Carla Q")
    follower.click("#member-follow-button")
    expect(follower.locator("#member-follow-button")).to_have_text("Following ✓")
    assert_accessible(follower, f"a profile followed, at {width} px")

    follower.goto("/notifications/settings/")
    follower.get_by_role("group", name="Ideas and people you follow").get_by_label(
        "In the site and in one e-mail a day"
    ).check()
    follower.click("form.choices button[type=submit]")
    expect(follower.locator(".msg.success")).to_contain_text("choices are saved")
    expect(
        follower.get_by_role("group", name="Ideas and people you follow").get_by_label(
            "In the site and in one e-mail a day"
        )
    ).to_be_checked()
    assert_accessible(follower, f"the notification choices, at {width} px")
    follower.context.close()
    creator.context.close()
