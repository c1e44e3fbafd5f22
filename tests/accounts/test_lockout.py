"""Login protection: the page, admin and token logins lock out after repeated failures."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import F

from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"


def _cool_off_passes():
    """Move every recorded failure back past the cool-off (15 minutes by default)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))


def _signed_in(client) -> bool:
    return client.get("/").context["user"].is_authenticated


def test_a_hundred_wrong_passwords_lock_the_sign_in_page_even_for_the_right_one(client, make_user):
    make_user("victim")
    for _ in range(100):
        client.post(LOGIN, {"username": "victim", "password": "wrong-guess"})
    response = client.post(LOGIN, {"username": "victim", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page and "Try again in 15 minutes" in page
    assert int(response["Retry-After"]) > 14 * 60
    assert not _signed_in(client)

    _cool_off_passes()
    response = client.post(LOGIN, {"username": "victim", "password": PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)


def test_the_fifth_failure_locks_and_the_fourth_does_not(client, make_user, settings):
    make_user("victim")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(LOGIN, {"username": "victim", "password": "x"}).status_code == 200
    assert client.post(LOGIN, {"username": "victim", "password": "x"}).status_code == 429


def test_the_owner_signs_in_from_another_address_while_the_guessers_is_locked(client, make_user):
    """Issue 26: five wrong passwords locked the account out from every address (staff
    included); the lockout is now the guesser's address for that account."""
    make_user("victim", is_staff=True)
    for _ in range(5):
        client.post(LOGIN, {"username": "victim", "password": "x"}, REMOTE_ADDR="192.0.2.1")
    guesser = client.post(
        LOGIN, {"username": "victim", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert guesser.status_code == 429
    owner = client.post(
        LOGIN, {"username": "victim", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
    )
    assert owner.status_code == 302
    assert _signed_in(client)


def test_an_address_guessing_other_accounts_does_not_lock_a_bystander(client, make_user):
    make_user("bystander")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        client.post(LOGIN, {"username": name, "password": "x"}, REMOTE_ADDR="192.0.2.1")
    same_address = client.post(
        LOGIN, {"username": "bystander", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert same_address.status_code == 302


def test_the_admin_login_locks_out_too(client, make_user):
    make_user("boss", is_staff=True, is_superuser=True)
    for _ in range(100):
        client.post(ADMIN_LOGIN, {"username": "boss", "password": "wrong"})
    response = client.post(ADMIN_LOGIN, {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    _cool_off_passes()
    assert client.post(ADMIN_LOGIN, {"username": "boss", "password": PASSWORD}).status_code == 302


def test_the_token_api_locks_out_with_the_json_error_shape(api_client, make_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {},  # the lockout alone, not the per-address rate limit
    }
    make_user("dev")
    for _ in range(100):
        wrong = api_client.post(TOKEN, {"username": "dev", "password": "nope"}, format="json")
    assert wrong.status_code == 429
    response = api_client.post(TOKEN, {"username": "dev", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["status"] == 429 and error["code"] == "locked_out" and error["fields"] == {}
    assert "Try again in 15 minutes" in error["message"]
    assert int(response["Retry-After"]) > 14 * 60

    _cool_off_passes()
    response = api_client.post(TOKEN, {"username": "dev", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["token"]


def test_failed_sign_ins_are_kept_and_shown_in_the_admin(client, make_user):
    make_user("victim")
    client.post(LOGIN, {"username": "victim", "password": "x"}, REMOTE_ADDR="192.0.2.44")
    assert AccessFailureLog.objects.filter(username="victim", ip_address="192.0.2.44").exists()
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    attempts = client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200 and "192.0.2.44" in attempts.content.decode()
    failures = client.get("/admin/axes/accessfailurelog/")
    assert failures.status_code == 200 and "victim" in failures.content.decode()
