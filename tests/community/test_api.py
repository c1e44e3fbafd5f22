"""The community API: who may do what, and what each answer says."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from community.models import IdeaFollow, IdeaUpdate, MemberFollow
from notifications.services import notification_settings_of
from tests.factories import approve_contribution, make_idea, make_product, make_user
from tests.helpers import api_client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    carla = make_user("carla", display_name="Carla Q")
    mo = make_user("mo")
    idea = make_idea(creator=carla, title="Wind lamp")
    draft = make_idea(creator=carla, title="Secret", publish=False)
    return carla, mo, idea, draft


@pytest.mark.parametrize(
    ("who", "method", "expected"),
    [
        ("anonymous", "get", 200),
        ("anonymous", "post", 401),
        ("anonymous", "delete", 401),
        ("mo", "get", 200),
        ("mo", "post", 201),
        ("mo", "delete", 200),
    ],
)
def test_who_may_follow_an_idea(world, who, method, expected):
    carla, mo, idea, _ = world
    client = APIClient() if who == "anonymous" else api_client_as(mo)
    response = getattr(client, method)(f"/api/v1/ideas/{idea.pk}/follow/")
    assert response.status_code == expected, response.content


def test_following_an_idea_twice_is_one_follow_and_drafts_are_404(world):
    carla, mo, idea, draft = world
    client = api_client_as(mo)
    assert client.post(f"/api/v1/ideas/{idea.pk}/follow/").json() == {
        "following": True,
        "followers": 1,
    }
    again = client.post(f"/api/v1/ideas/{idea.pk}/follow/")
    assert again.status_code == 200 and again.json()["followers"] == 1
    assert client.post(f"/api/v1/ideas/{draft.pk}/follow/").status_code == 404
    assert api_client_as(carla).post(f"/api/v1/ideas/{draft.pk}/follow/").status_code == 404
    assert client.delete(f"/api/v1/ideas/{idea.pk}/follow/").json()["following"] is False
    assert IdeaFollow.objects.count() == 0


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 401), ("mo", 403), ("carla", 201)])
def test_who_may_post_a_creator_update(world, who, expected, django_capture_on_commit_callbacks):
    carla, mo, idea, _ = world
    client = APIClient() if who == "anonymous" else api_client_as(carla if who == "carla" else mo)
    api_client_as(mo).post(f"/api/v1/ideas/{idea.pk}/follow/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/ideas/{idea.pk}/updates/", {"body": "**Prototype** done."})
    assert response.status_code == expected, response.content
    if expected == 201:
        assert "<strong>Prototype</strong>" in response.json()["body_html"]
        assert [m.to for m in mail.outbox] == [["mo@example.org"]]
        listed = APIClient().get(f"/api/v1/ideas/{idea.pk}/updates/").json()
        assert listed["count"] == 1 and listed["results"][0]["id"] == response.json()["id"]
    else:
        assert IdeaUpdate.objects.count() == 0


def test_a_bad_update_is_a_400_naming_the_field(world):
    carla, _, idea, draft = world
    client = api_client_as(carla)
    empty = client.post(f"/api/v1/ideas/{idea.pk}/updates/", {"body": "   "}, format="json")
    assert empty.status_code == 400 and "body" in empty.json()["error"]["fields"]
    long = client.post(f"/api/v1/ideas/{idea.pk}/updates/", {"body": "x" * 5001}, format="json")
    assert long.status_code == 400
    assert client.post(f"/api/v1/ideas/{draft.pk}/updates/", {"body": "Hi"}).status_code == 404


def test_profiles_are_public_and_show_earnings_only_when_chosen(world):
    carla, mo, idea, _ = world
    product = make_product(mo, title="Tide clock")
    approve_contribution(product, carla, 30)
    profile = APIClient().get("/api/v1/members/carla/").json()
    assert profile["name"] == "Carla Q" and profile["earned"] is None
    assert [i["title"] for i in profile["ideas"]] == ["Wind lamp"]  # not the draft
    assert profile["contributions"] == [
        {"idea": product.idea_id, "idea_title": "Tide clock", "kind": "design", "points": 30}
    ]
    assert "email" not in str(profile)
    carla.profile_shows_earnings = True
    carla.save()
    assert APIClient().get("/api/v1/members/carla/").json()["earned"] == {}
    assert APIClient().get("/api/v1/members/nobody/").status_code == 404


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 401), ("mo", 201)])
def test_who_may_follow_a_member(world, who, expected):
    carla, mo, _, _ = world
    client = APIClient() if who == "anonymous" else api_client_as(mo)
    assert client.post("/api/v1/members/carla/follow/").status_code == expected
    assert MemberFollow.objects.filter(followed=carla).count() == (1 if expected == 201 else 0)


def test_following_yourself_is_a_400(world):
    _, mo, _, _ = world
    response = api_client_as(mo).post("/api/v1/members/mo/follow/")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Follow someone other than yourself."


def test_notification_settings_are_read_and_changed_by_their_member_only(world):
    _, mo, _, _ = world
    assert APIClient().get("/api/v1/me/notification-settings/").status_code == 401
    client = api_client_as(mo)
    assert client.get("/api/v1/me/notification-settings/").json()["discussion"] == "digest"
    changed = client.patch(
        "/api/v1/me/notification-settings/", {"discussion": "off"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["discussion"] == "off"
    assert notification_settings_of(member=mo)["discussion"] == "off"
    refused = client.patch("/api/v1/me/notification-settings/", {"money": "off"}, format="json")
    assert refused.status_code == 400 and "money" in refused.json()["error"]["fields"]
    unknown = client.patch(
        "/api/v1/me/notification-settings/", {"discussion": "pigeon"}, format="json"
    )
    assert unknown.status_code == 400


def test_creator_updates_are_rate_limited(world, production_rates):
    """Issue 26: 30 updates in 2.8 s sent 60 e-mails. Production allows 10 an hour."""
    carla, _, idea, _ = world
    client = api_client_as(carla)
    codes = [
        client.post(f"/api/v1/ideas/{idea.pk}/updates/", {"body": f"Update {n}"}).status_code
        for n in range(12)
    ]
    assert codes == [201] * 10 + [429, 429]
    assert IdeaUpdate.objects.count() == 10


def test_follows_are_rate_limited_in_the_api_and_the_pages(world, rates, client):
    carla, mo, idea, _ = world
    rates("follow_user", "3/hour")
    api = api_client_as(mo)
    codes = [api.post(f"/api/v1/ideas/{idea.pk}/follow/").status_code for _ in range(3)]
    assert codes == [201, 200, 200]
    assert api.delete(f"/api/v1/ideas/{idea.pk}/follow/").status_code == 429
    client.force_login(carla)
    pages = [client.post(f"/members/{mo.username}/follow/").status_code for _ in range(4)]
    assert pages == [302, 302, 302, 429]
    page = client.post(f"/members/{mo.username}/follow/", {"follow": "0"})
    assert page.status_code == 429 and "too often" in page.content.decode()
    assert MemberFollow.objects.count() == 1
