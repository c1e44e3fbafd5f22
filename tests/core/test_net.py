"""Client addresses from trusted proxies only, redirects to this site only, strict ids."""

import pytest
from django.test import RequestFactory

from core.net import client_ip, parse_id, safe_next
from tests.factories import idea_in_voting
from tests.helpers import PASSWORD
from voting.clusters import keyed_hash
from voting.models import VoteEvent

EVIL = ["https://evil.example/", "//evil.example", "https:evil.example", "/\\evil.example",
        "\\\\evil.example", "http://testserver@evil.example/"]  # fmt: skip


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_address_is_the_peer_and_the_header_is_ignored():
    request = _request(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.5"


def test_with_one_trusted_proxy_the_address_is_the_last_one_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(forged) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(forged) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3  # a shorter header than the proxies: the peer
    assert client_ip(forged) == "10.0.0.2"
    assert client_ip(_request(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_token_apis_address_limit(api_client):
    answers = [
        api_client.post(
            "/api/v1/auth/token/",
            {"username": "victim", "password": "x"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(31)
    ]
    # Locked for this account from this address (the pair), whatever the header says.
    assert answers[-1] == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("production_rates")
def test_behind_one_trusted_proxy_each_client_address_has_its_own_limit(api_client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 1000  # count the rate limit here, not the lockout

    def ask(address: str) -> int:
        return api_client.post(
            "/api/v1/auth/token/",
            {"username": "nobody", "password": "x"},
            format="json",
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {address}",
        ).status_code

    assert [ask("203.0.113.5") for _ in range(31)][-1] == 429
    assert ask("203.0.113.6") == 400  # another client behind the same proxy: its own limit


@pytest.mark.parametrize("target", EVIL)
def test_safe_next_refuses_other_sites(target):
    request = RequestFactory().get("/", {"next": target})
    assert safe_next(request, "/home/") == "/home/"


def test_safe_next_keeps_a_local_path_and_refuses_http_on_a_secure_request():
    assert (
        safe_next(RequestFactory().get("/", {"next": "/ideas/3/?tab=new"})) == "/ideas/3/?tab=new"
    )
    secure = RequestFactory().get("/", {"next": "http://testserver/x"}, secure=True)
    assert safe_next(secure, "/") == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL)
def test_sign_up_sign_in_and_verify_resend_never_send_you_to_another_site(
    client, make_user, target
):
    signup = client.post(
        f"/accounts/signup/?next={target}",
        {"username": "newbie", "email": "newbie@example.org", "password": PASSWORD},
    )
    assert signup.status_code == 302 and signup["Location"] == "/"
    make_user("member", verified=False)
    login = client.post(
        "/accounts/login/", {"username": "member", "password": PASSWORD, "next": target}
    )
    assert login.status_code == 302 and login["Location"] == "/"
    resend = client.post("/accounts/verify-resend/", {"next": target})
    assert resend.status_code == 302 and resend["Location"] == "/"


@pytest.mark.django_db
def test_a_local_next_is_followed(client, make_user):
    make_user("member", verified=False)
    login = client.post(
        "/accounts/login/", {"username": "member", "password": PASSWORD, "next": "/search/"}
    )
    assert login["Location"] == "/search/"
    resend = client.post("/accounts/verify-resend/", {"next": "/me/ideas/"})
    assert resend["Location"] == "/me/ideas/"


@pytest.mark.parametrize(
    "value, expected",
    [("42", 42), ("0", 0), ("9223372036854775807", 2**63 - 1), (7, 7)],
)
def test_parse_id_reads_plain_ascii_digits(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", " 42", "42 ", "+4", "-4", "4.0", "³", "١٢", "４２", "9223372036854775808",
     "99999999999999999999999", None, True, 4.0, -1, 2**63],
)  # fmt: skip
def test_parse_id_refuses_everything_else(value):
    assert parse_id(value) is None


@pytest.mark.django_db
def test_the_vote_record_keeps_the_clients_network_behind_a_trusted_proxy(
    make_user, client_for, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    idea = idea_in_voting(make_user("carla"))
    client_for(make_user("alice")).post(
        f"/api/v1/ideas/{idea.pk}/vote/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.77",
    )
    assert VoteEvent.objects.get(idea=idea).network == keyed_hash("198.51.100.0/24", kind="network")
