"""Ids in queries and bodies are plain ASCII digits: anything else is a 400 or no match, never
a 500 (``str.isdigit()`` accepts "³", which neither ``int()`` nor the database does)."""

import pytest

from ideas.models import Category, Idea

pytestmark = pytest.mark.django_db

ODD_IDS = ["³", "²³", "١", "４", "99999999999999999999999", "9223372036854775808", " 1", "-1"]


@pytest.mark.parametrize("value", ODD_IDS)
def test_a_visitor_filtering_by_an_odd_category_gets_an_empty_list(client_for, idea, value):
    response = client_for(None).get("/api/v1/ideas/", {"category": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize("value", ODD_IDS)
def test_the_pages_filtering_by_an_odd_category_do_not_fail(client, idea, value):
    for path in ("/", "/search/"):
        response = client.get(path, {"category": value})
        assert response.status_code in (200, 400)


def test_a_category_id_or_slug_still_filters(client_for, make_idea):
    gadgets = Category.objects.create(name="Gadgets", slug="gadgets")
    kettle = make_idea("Solar kettle", category=gadgets)
    make_idea("Bike lock")
    for value in (str(gadgets.pk), "gadgets"):
        results = client_for(None).get("/api/v1/ideas/", {"category": value}).json()["results"]
        assert [i["id"] for i in results] == [kettle.pk]


@pytest.mark.parametrize("value", ODD_IDS)
def test_an_odd_category_on_create_and_edit_is_a_400_naming_the_field(client_for, member, value):
    client = client_for(member)
    created = client.post(
        "/api/v1/ideas/",
        {"title": "Bee hotel", "summary": "Homes for bees", "body": "Wood.", "category": value},
        format="json",
    )
    assert created.status_code == 400
    assert "category" in created.json()["error"]["fields"]
    assert not Idea.objects.exists()
    draft = client.post(
        "/api/v1/ideas/", {"title": "Bee hotel", "summary": "s", "body": "b"}, format="json"
    ).json()
    patched = client.patch(f"/api/v1/ideas/{draft['id']}/", {"category": value}, format="json")
    assert patched.status_code == 400
    assert "category" in patched.json()["error"]["fields"]
