"""Times are shown in the reader's zone (their setting, else their browser's); stored in UTC."""

from datetime import UTC, datetime

import pytest

from ideas.models import IdeaTransition
from tests.factories import idea_in_voting
from tests.helpers import browser_login

AT = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 Mar 07:30 in Shanghai, 1 Mar 18:30 in New York


@pytest.fixture
def idea(make_user):
    idea = idea_in_voting(make_user("carla"))
    IdeaTransition.objects.filter(idea=idea).update(created_at=AT)
    return idea


@pytest.mark.django_db
def test_a_visitor_sees_times_in_the_zone_their_browser_reported(client, idea):
    assert "Mar 1, 2026 23:30 UTC" in client.get(idea.get_absolute_url()).content.decode()
    client.cookies["tz"] = "Asia/Shanghai"
    assert "Mar 2, 2026 07:30 CST" in client.get(idea.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_zone_that_is_not_a_zone_name_is_ignored(client, idea):
    client.cookies["tz"] = "../../etc/passwd"
    assert "Mar 1, 2026 23:30 UTC" in client.get(idea.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_members_chosen_zone_wins_over_the_browsers(client, make_user, idea):
    member = make_user("ming", time_zone="America/New_York")
    client.force_login(member)
    client.cookies["tz"] = "Asia/Shanghai"
    assert "Mar 1, 2026 18:30 EST" in client.get(idea.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_utc_whatever_the_zone(client, idea):
    client.cookies["tz"] = "Asia/Shanghai"
    data = client.get(f"/api/v1/ideas/{idea.pk}/").json()
    assert data["published_at"].endswith("Z")


@pytest.mark.django_db
def test_settings_are_for_members_only(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_member_chooses_a_zone_and_a_wrong_one_is_refused(client, make_user):
    member = make_user("ming")
    client.force_login(member)
    client.cookies["tz"] = "Europe/Berlin"
    assert (
        "Your browser&#x27;s (Europe/Berlin)" in client.get("/accounts/settings/").content.decode()
    )
    response = client.post("/accounts/settings/", {"time_zone": "Mars/Olympus"})
    assert "Select a valid choice" in response.content.decode()
    member.refresh_from_db()
    assert member.time_zone == ""
    response = client.post("/accounts/settings/", {"time_zone": "Asia/Shanghai"}, follow=True)
    assert "Your settings are saved." in response.content.decode()
    member.refresh_from_db()
    assert member.time_zone == "Asia/Shanghai"


@pytest.mark.django_db
def test_a_chinese_reader_reads_the_zones_in_chinese(client, make_user):
    """CLDR's names of the places; the IANA name only where CLDR has no Chinese one."""
    client.force_login(make_user("ming"))
    client.cookies["tz"] = "Asia/Shanghai"
    page = client.get("/accounts/settings/", headers={"accept-language": "zh-Hans"})
    text = page.content.decode()
    assert "浏览器的时区（中国（上海）时间）" in text
    assert '<option value="Europe/Berlin">德国（柏林）时间</option>' in text
    assert '<option value="Etc/GMT+5">Etc/GMT+5</option>' in text
    english = client.get("/accounts/settings/", headers={"accept-language": "en"})
    assert '<option value="America/New_York">America/New York</option>' in english.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_reports_its_zone_and_the_next_page_uses_it(browser, live_server, make_user):
    idea = idea_in_voting(make_user("carla"))
    IdeaTransition.objects.filter(idea=idea).update(created_at=AT)
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.goto(idea.get_absolute_url())
        page.wait_for_function("() => document.cookie.includes('tz=Asia/Shanghai')")
        page.reload()
        assert "Mar 2, 2026 07:30 CST" in page.text_content("main")
        make_user("ming")
        browser_login(page, "ming")
        page.goto("/accounts/settings/")
        assert "Your browser's (Asia/Shanghai)" in page.text_content("#id_time_zone")
        page.select_option("#id_time_zone", "America/New_York")
        page.click("button:has-text('Save my settings')")
        page.wait_for_selector("text=Your settings are saved.")
        page.goto(idea.get_absolute_url())
        assert "Mar 1, 2026 18:30 EST" in page.text_content("main")
    finally:
        context.close()
