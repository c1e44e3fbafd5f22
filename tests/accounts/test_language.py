"""Pages, API errors and notifications speak the reader's language: English or 简体中文."""

import pytest
from django.utils.translation import gettext_lazy

from core.text import sentence
from notifications.models import Notification
from notifications.services import notify

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans,zh;q=0.9,en;q=0.5"}


@pytest.mark.django_db
def test_a_visitor_whose_browser_asks_for_chinese_gets_a_chinese_page(client):
    response = client.get("/", **ZH)
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.django_db
def test_a_language_the_site_does_not_speak_falls_back_to_english(client):
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()


@pytest.mark.django_db
def test_the_switcher_sets_the_visitors_language_and_returns_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/search/"})
    assert response.status_code == 302 and response["Location"] == "/search/"
    page = client.get("/search/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-hans">' in page.content.decode()


@pytest.mark.django_db
def test_the_switcher_refuses_a_next_page_on_another_site(client):
    response = client.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_a_members_choice_sticks_to_their_account_on_any_browser(client, make_user):
    member = make_user("ming")
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    member.refresh_from_db()
    assert member.language == "zh-hans"
    client.cookies.clear()
    client.force_login(member)  # another browser: no cookie, an English Accept-Language
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="zh-hans">' in page.content.decode()


@pytest.mark.django_db
def test_a_member_sets_and_clears_their_language_in_settings(client, make_user):
    member = make_user("ming")
    client.force_login(member)
    response = client.post("/accounts/settings/", {"time_zone": "", "language": "zh-hans"})
    assert response.cookies["django_language"].value == "zh-hans"
    member.refresh_from_db()
    assert member.language == "zh-hans"
    response = client.post("/accounts/settings/", {"time_zone": "", "language": ""})
    member.refresh_from_db()
    assert member.language == ""
    assert response.cookies["django_language"].value == ""  # deleted: the browser's again
    response = client.post("/accounts/settings/", {"language": "tlh"})
    assert response.status_code == 200 and "tlh" in response.content.decode()
    member.refresh_from_db()
    assert member.language == ""


@pytest.mark.django_db
def test_api_errors_come_back_in_the_requested_language_with_stable_codes(api_client):
    chinese = api_client.post("/api/v1/ideas/", {}, format="json", **ZH)
    english = api_client.post("/api/v1/ideas/", {}, format="json")
    assert chinese.status_code == english.status_code == 401
    chinese, english = chinese.json()["error"], english.json()["error"]
    assert chinese["code"] == english["code"] == "not_authenticated"
    assert english["message"] == "Authentication credentials were not provided."
    assert chinese["message"] == "身份认证信息未提供。"


@pytest.mark.django_db
def test_a_notification_reaches_each_member_in_their_own_language(make_user):
    english, chinese = make_user("ann"), make_user("ming", language="zh-hans")
    notify(
        recipients=[english, chinese],
        kind="test",
        message=sentence(gettext_lazy("This field is required.")),
        email=False,
    )
    texts = dict(Notification.objects.values_list("recipient__username", "message"))
    assert texts == {"ann": "This field is required.", "ming": "该字段是必填项。"}


def test_the_javascript_catalog_is_served_in_the_pages_language(client):
    response = client.get("/jsi18n/", **ZH)
    assert response.status_code == 200 and "django.gettext" in response.content.decode()
