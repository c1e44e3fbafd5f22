"""API tokens (issue 26): a new one each time it is asked for, kept hashed, expiring, listed
and revoked by their member (API and Settings), all revoked when the password changes or is
reset; each request looks its token up in one query."""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.helpers import PASSWORD, api_client_as

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/payout-destination/"


def _token(username: str, **extra) -> dict:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_token_endpoint_issues_a_new_token_each_time(make_user):
    make_user("ming")
    first, second = _token("ming"), _token("ming", name="laptop")
    assert first["token"] != second["token"]
    assert second["name"] == "laptop" and second["prefix"] == second["token"][:6]
    assert _client(first["token"]).get(ME).status_code == 200
    assert _client(second["token"]).get(ME).status_code == 200


def test_only_a_hash_of_the_key_is_stored(make_user):
    make_user("ming")
    key = _token("ming")["token"]
    stored = ApiToken.objects.get()
    assert key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64


def test_a_token_expires(make_user, settings):
    settings.API_TOKEN_TTL_DAYS = 90
    make_user("ming")
    issued = _token("ming")
    expires = timezone.datetime.fromisoformat(issued["expires_at"])
    assert timedelta(days=89) < expires - timezone.now() <= timedelta(days=90)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _client(issued["token"]).get(ME).status_code == 401


def test_a_password_reset_revokes_every_token(client, make_user):
    member = make_user("ming")
    keys = [_token("ming")["token"], _token("ming")["token"]]
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    link = f"/accounts/reset/{uid}/{default_token_generator.make_token(member)}/"
    form = client.get(link, follow=True).redirect_chain[-1][0]
    new = "another-Good-pass-4471"
    response = client.post(form, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302, response.content
    assert [_client(key).get(ME).status_code for key in keys] == [401, 401]
    assert not ApiToken.objects.filter(member=member).exists()


def test_a_password_change_revokes_every_token(client, make_user):
    member = make_user("ming")
    key = _token("ming")["token"]
    client.force_login(member)
    new = "another-Good-pass-4471"
    response = client.post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert _client(key).get(ME).status_code == 401


def test_a_member_lists_their_own_tokens_and_never_sees_keys(make_user):
    make_user("ming"), make_user("nora")
    mine = _token("ming", name="phone")
    _token("nora")
    listed = _client(mine["token"]).get("/api/v1/auth/tokens/")
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json()] == [mine["id"]]
    assert "token" not in listed.json()[0] and mine["token"] not in listed.content.decode()


def test_listing_tokens_needs_a_signed_in_member():
    assert APIClient().get("/api/v1/auth/tokens/").status_code == 401


def test_a_member_revokes_their_token_and_it_is_refused_at_once(make_user):
    make_user("ming")
    keep, drop = _token("ming"), _token("ming")
    client = _client(keep["token"])
    assert client.delete(f"/api/v1/auth/tokens/{drop['id']}/").status_code == 204
    assert _client(drop["token"]).get(ME).status_code == 401
    assert client.get(ME).status_code == 200


def test_nobody_revokes_another_members_token(make_user):
    make_user("ming"), make_user("nora")
    theirs = _token("nora")
    mine = _token("ming")
    assert _client(mine["token"]).delete(f"/api/v1/auth/tokens/{theirs['id']}/").status_code == 404
    assert APIClient().delete(f"/api/v1/auth/tokens/{theirs['id']}/").status_code == 401
    assert _client(mine["token"]).delete(f"/api/v1/auth/tokens/{2**63}/").status_code == 404
    assert _client(theirs["token"]).get(ME).status_code == 200


def test_settings_list_tokens_and_revoke_only_ones_own(client, make_user):
    member, other = make_user("ming"), make_user("nora")
    mine, theirs = _token("ming", name="phone"), _token("nora")
    url = f"/accounts/settings/tokens/{mine['id']}/revoke/"
    assert client.post(url).status_code == 302  # anonymous: to the sign-in page
    assert "/accounts/login/" in client.post(url)["Location"]
    client.force_login(other)
    assert client.post(url).status_code == 404
    client.force_login(member)
    page = client.get("/accounts/settings/").content.decode()
    assert mine["prefix"] in page and "phone" in page and theirs["prefix"] not in page
    assert mine["token"] not in page
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert _client(mine["token"]).get(ME).status_code == 401
    assert _client(theirs["token"]).get(ME).status_code == 200


def test_a_token_request_looks_the_token_up_in_one_query(make_user):
    client = api_client_as(make_user("ming"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).status_code == 200
    assert len([q for q in queries.captured_queries if "accounts_apitoken" in q["sql"]]) == 1


def test_a_deactivated_member_is_refused_at_once(make_user):
    member = make_user("ming")
    client = api_client_as(member)
    assert client.get(ME).status_code == 200
    member.is_active = False
    member.save()
    assert client.get(ME).status_code == 401


def test_signing_in_does_not_read_tokens(client, make_user):
    make_user("ming")
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/login/", {"username": "ming", "password": PASSWORD})
    assert response.status_code == 302
    assert not [q for q in queries.captured_queries if "token" in q["sql"]]
