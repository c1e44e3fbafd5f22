"""The member's language follows them: taken from the language they browse in at sign-up (the
footer's switcher, else the browser's Accept-Language), kept up to date at each sign-in while
they have not chosen one, and spoken by their e-mails and notifications."""

import re

import pytest
from django.core import mail

from accounts.models import User
from notifications.services import notify

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")
NEW = {"username": "mei", "email": "mei@example.org", "password": "a-Good-pass-991"}


def sign_up(client, capture, **headers):
    with capture(execute=True):
        response = client.post("/accounts/signup/", NEW, headers=headers)
    assert response.status_code == 302
    return User.objects.get(username="mei")


def test_a_visitor_who_picks_chinese_in_the_footer_gets_the_confirmation_in_chinese(
    client, django_capture_on_commit_callbacks
):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    member = sign_up(client, django_capture_on_commit_callbacks, accept_language="en")
    assert (member.language, member.language_chosen) == ("zh-hans", False)
    confirmation = mail.outbox[-1]
    assert HAN.search(confirmation.subject) and HAN.search(confirmation.body)


def test_the_browsers_language_is_taken_at_sign_up_without_the_switcher(
    client, django_capture_on_commit_callbacks
):
    member = sign_up(client, django_capture_on_commit_callbacks, accept_language="zh-CN,zh;q=0.9")
    assert member.language == "zh-hans"
    assert HAN.search(mail.outbox[-1].body)


def test_each_sign_in_updates_a_language_never_chosen_and_e_mails_follow_it(
    client, make_user, django_capture_on_commit_callbacks
):
    member = make_user("mei")  # signed up in English
    login = {"username": "mei", "password": "a-Good-pass-991"}
    client.post("/accounts/login/", login, headers={"accept-language": "zh-Hans"})
    member.refresh_from_db()
    assert (member.language, member.language_chosen) == ("zh-hans", False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[member], kind="payout_destination_changed", message=_phrase())
    assert HAN.search(mail.outbox[-1].body)
    # Pages still follow the browser (nothing was chosen): English on an English browser.
    page = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en"' in page.content.decode()
    client.post("/accounts/logout/")
    client.post("/accounts/login/", login, headers={"accept-language": "en"})
    member.refresh_from_db()
    assert member.language == "en"


def test_a_chosen_language_is_kept_whatever_the_browser_says(client, make_user):
    member = make_user("mei")
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    member.refresh_from_db()
    assert (member.language, member.language_chosen) == ("zh-hans", True)
    client.post("/accounts/logout/")
    client.cookies.clear()
    client.post(
        "/accounts/login/",
        {"username": "mei", "password": "a-Good-pass-991"},
        headers={"accept-language": "en"},
    )
    member.refresh_from_db()
    assert member.language == "zh-hans"
    assert '<html lang="zh-hans"' in client.get("/").content.decode()


def _phrase():
    from core.phrases import said
    from payouts import phrases

    return said(phrases.PAYOUT_DESTINATION_CHANGED_NOTICE, masked="DE** **** 1234")
