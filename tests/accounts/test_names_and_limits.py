"""Usernames that cannot pass for someone else; sign-up, reset and resend limits that do not
say which accounts exist."""

import pytest
from django.core import mail

from accounts.models import User
from accounts.usernames import imitates_staff, skeleton
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_up(client, username, email, display_name=""):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password": PASSWORD, "display_name": display_name},
    )


def test_look_alike_names_share_one_skeleton():
    assert skeleton("аdmin") == skeleton("ａｄｍｉｎ") == skeleton("ADMIN") == "admin"
    assert skeleton("Αdmіn") == "admin"  # Greek Alpha, Cyrillic і
    assert skeleton("adm1n") != "admin"


@pytest.mark.parametrize("name", ["аdmin", "ａｄｍｉｎ", "Admin"])
def test_admin_look_alikes_are_refused_when_admin_exists(client, make_user, name):
    make_user("admin", is_staff=True)
    response = _sign_up(client, name, "mallory@example.org")
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["сarla", "ｃａｒｌａ", "CARLA", "cárla"])
def test_a_name_that_looks_like_an_existing_one_gets_no_account(
    client, make_user, name, django_capture_on_commit_callbacks
):
    make_user("carla")
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, name, "mallory@example.org")
    assert response.status_code == 302  # the same "check your e-mail" answer
    assert User.objects.count() == 1
    assert mail.outbox[-1].to == ["mallory@example.org"]
    assert "Choose another username" in mail.outbox[-1].subject


def test_full_width_names_are_stored_normalised(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "ｃａｒｌａ", "carla@example.org")
    assert User.objects.get().username == "carla"


@pytest.mark.parametrize(
    "username, display_name, field",
    [("support", "", "username"), ("ＳＴＡＦＦ", "", "username"), ("finance_2", "", "username"),
     ("carla", "АHHHA team", "display_name"), ("carla", "The Administrator", "display_name"),
     ("carla", "reviewer", "display_name")],
)  # fmt: skip
def test_names_that_imitate_staff_are_refused_for_members(client, username, display_name, field):
    response = _sign_up(client, username, "carla@example.org", display_name)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


def test_ordinary_words_containing_staff_words_are_fine():
    assert not imitates_staff("badminton_fan")
    assert not imitates_staff("Stafford")
    assert imitates_staff("Support Team") and imitates_staff("admin42")


def test_staff_may_create_a_staff_name_in_the_admin_but_not_a_look_alike(client, make_user):
    boss = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(boss)
    form = {"username": "support", "usable_password": "false"}
    assert client.post("/admin/accounts/user/add/", form).status_code == 302
    clash = client.post("/admin/accounts/user/add/", {**form, "username": "ѕupport"})
    assert clash.status_code == 200 and "looks like one" in clash.content.decode()
    assert User.objects.filter(username__endswith="upport").count() == 1


def test_signing_up_with_a_taken_address_answers_the_same_and_tells_its_owner(
    client, make_user, django_capture_on_commit_callbacks
):
    owner = make_user("owner")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _sign_up(client, "fresh", "fresh@example.org")
        taken = _sign_up(client, "someone", owner.email.upper())
    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"]
    assert not User.objects.filter(username="someone").exists()
    assert mail.outbox[-1].to == [owner.email]
    assert "tried to create" in mail.outbox[-1].subject


@pytest.mark.usefixtures("production_rates")
def test_sign_up_is_limited_per_address_typed_and_per_client(client, settings):
    for i in range(3):
        _sign_up(client, f"name{i}", "same@example.org")
    response = _sign_up(client, "name9", "same@example.org")
    assert response.status_code == 429
    assert "try again in" in response.content.decode()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"signup_ip": "2/hour"},
    }
    _sign_up(client, "other1", "o1@example.org")
    _sign_up(client, "other2", "o2@example.org")
    assert _sign_up(client, "other3", "o3@example.org").status_code == 429


def test_the_register_api_is_limited_with_the_json_shape(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"signup_email": "1/hour"},
    }
    body = {"username": "dev", "email": "dev@example.org", "password": PASSWORD}
    assert api_client.post("/api/v1/auth/register/", body, format="json").status_code == 202
    again = api_client.post("/api/v1/auth/register/", {**body, "username": "dev2"}, format="json")
    assert again.status_code == 429 and again.json()["error"]["status"] == 429
    assert int(again["Retry-After"]) > 0


@pytest.mark.usefixtures("production_rates")
def test_password_reset_answers_the_same_for_any_address_and_is_limited(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user("forgetful")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
        unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
        limited = client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
    assert limited.status_code == 429 and "try again in" in limited.content.decode()
    assert len(mail.outbox) == 3


def test_the_reset_mail_is_sent_by_a_task_after_the_answer(
    client, make_user, django_capture_on_commit_callbacks
):
    """Nothing is sent while the request runs, so an address with an account is not slower to
    answer than one without; the link goes out from a task once the request committed."""
    make_user("forgetful")
    with django_capture_on_commit_callbacks() as known_queued:
        client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
    with django_capture_on_commit_callbacks() as unknown_queued:
        client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert mail.outbox == []
    assert (len(known_queued), len(unknown_queued)) == (1, 0)
    known_queued[0]()  # the commit: the task runs (in-process here, on a worker in production)
    assert mail.outbox[0].to == ["forgetful@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.usefixtures("production_rates")
def test_asking_for_the_confirmation_link_again_is_limited(client, make_user):
    client.force_login(make_user("newbie", verified=False))
    for _ in range(3):
        client.post("/accounts/verify-resend/")
    assert len(mail.outbox) == 3
    response = client.post("/accounts/verify-resend/", follow=True)
    assert "ask again in" in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_of_look_alike_names_make_one_account(monkeypatch, settings):
    """Both check "does a look-alike exist?" before either inserts: without the skeleton lock
    both would pass. The check is slowed so the two really overlap."""
    import threading

    from django.db import connection

    from accounts import rules as account_rules
    from accounts.services import user_register
    from core.errors import ValidationFailed
    from tests.helpers import slowed

    settings.EMAIL_VERIFICATION = "none"
    slowed(monkeypatch, account_rules, "may_take_username", seconds=0.5)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def sign_up(n: int, name: str) -> None:
        try:
            barrier.wait()
            user_register(username=name, email=f"member{n}@example.org", password="a-Good-pass-991")
            outcomes.append("created")
        except ValidationFailed:
            outcomes.append("refused")
        finally:
            connection.close()

    names = ("carla", "CARLA", "саrla")  # the last with a Cyrillic а
    threads = [threading.Thread(target=sign_up, args=pair) for pair in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "refused", "refused"]
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["Admin", "АHHHA team", "The Administrator", "support"])
def test_settings_refuse_the_staff_names_sign_up_refuses(client, make_user, name):
    member = make_user("carla")
    client.force_login(member)
    response = client.post("/accounts/settings/", {"display_name": name})
    assert "names that look like staff are reserved" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == ""
    staff = make_user("root", is_staff=True)
    client.force_login(staff)
    client.post("/accounts/settings/", {"display_name": name})
    staff.refresh_from_db()
    assert staff.display_name == name


@pytest.mark.parametrize("name", ["ᴀdmin", "ꓮdmin", "adrnin", "Ꭺdmin", "suppοrt"])
def test_look_alikes_of_staff_names_are_refused_at_sign_up(client, name):
    _sign_up(client, name, "carla@example.org")
    assert not User.objects.filter(username=name).exists()
    assert imitates_staff(name)


def test_a_look_alike_of_an_existing_username_gets_no_account(client, make_user):
    make_user("alice")
    _sign_up(client, "ɑlice", "other-alice@example.org")
    assert not User.objects.filter(username="ɑlice").exists()
    assert skeleton("ɑlice") == skeleton("alice") == skeleton("ALICE")
    assert skeleton("adrnin") == "admin" and skeleton("adm1n") != "admin"


@pytest.mark.parametrize(
    "email", ["sock@mailinator.com", "sock@MAILINATOR.com", "x@a.mailinator.com"]
)
def test_throw_away_mailboxes_cannot_sign_up(client, api_client, email):
    response = _sign_up(client, "sock", email)
    assert response.status_code == 200
    assert "throw-away" in str(response.context["form"].errors["email"])
    api = api_client.post(
        "/api/v1/auth/register/", {"username": "sock2", "email": email, "password": PASSWORD}
    )
    assert api.status_code == 400 and api.json()["error"]["fields"]["email"]
    assert not User.objects.exists()


def test_a_lasting_mailbox_still_signs_up(client):
    _sign_up(client, "honest", "honest@example.org")
    assert User.objects.filter(username="honest").exists()


def test_one_address_guessing_many_accounts_is_slowed(client, make_user, rates):
    rates("signin_ip", "3/hour")
    make_user("owner")
    statuses = [
        client.post("/accounts/login/", {"username": f"victim{n}", "password": "guess"}).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    other = client.post(
        "/accounts/login/",
        {"username": "owner", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert other.status_code == 302  # the owner, from their own address, is not slowed


def test_the_reset_mail_waits_in_the_outbox_while_the_broker_is_down(
    client, make_user, django_capture_on_commit_callbacks
):
    """Account e-mails go through notifications' transactional outbox (accounts.hooks): with
    the broker down at the commit the link is kept, and beat sends it once it is back."""
    from notifications.models import OutboxMessage
    from notifications.tasks import outbox_publish_task

    make_user("forgetful")
    with django_capture_on_commit_callbacks() as queued:
        client.post("/accounts/password-reset/", {"email": "forgetful@example.org"})
    kept = OutboxMessage.objects.get()
    assert kept.task == "accounts.tasks.account_email_task" and kept.sent_at is None
    assert kept.args[2] == "forgetful@example.org"
    assert len(queued) == 1 and mail.outbox == []  # the broker never took it
    outbox_publish_task()  # beat, the broker back
    assert mail.outbox[0].to == ["forgetful@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body
