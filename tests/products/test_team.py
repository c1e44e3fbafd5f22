"""A product's team: the creator adds members; the team may manage the product."""

import pytest
from rest_framework.test import APIClient

from products.life_models import ProductTeamMember
from products.rules import may_manage_product
from products.services import product_team_add
from tests.helpers import api_client_as

pytestmark = pytest.mark.django_db


def _client(cast, who):
    return APIClient() if who == "anonymous" else api_client_as(getattr(cast, who))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("mo", 403),
        ("bob", 403),
        ("reviewer", 403),
        ("creator", 201),
        ("staff", 201),
    ],
)
def test_who_may_add_a_team_member(cast, product, who, expected):
    response = _client(cast, who).post(
        f"/api/v1/products/{product.pk}/team/", {"username": "tess"}, format="json"
    )
    assert response.status_code == expected, response.content
    assert ProductTeamMember.objects.filter(member=cast.tess).exists() == (expected == 201)


@pytest.mark.parametrize("who", ["anonymous", "mo", "creator"])
def test_anyone_sees_the_team(cast, product, who):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    response = _client(cast, who).get(f"/api/v1/products/{product.pk}/team/")
    assert response.status_code == 200
    assert [(row["username"], row["role"]) for row in response.json()] == [
        ("carla", "creator"),
        ("tess", "member"),
    ]


def test_a_member_joins_once_and_unknown_names_say_so(cast, product):
    client = api_client_as(cast.creator)
    url = f"/api/v1/products/{product.pk}/team/"
    assert client.post(url, {"username": "tess"}, format="json").status_code == 201
    again = client.post(url, {"username": "tess"}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["username"] == ["This member is on the team already."]
    nobody = client.post(url, {"username": "nobody"}, format="json")
    assert nobody.json()["error"]["fields"]["username"] == ["No member has this username."]
    assert client.post(url, {"username": "carla"}, format="json").status_code == 400
    assert client.get("/api/v1/products/999999/team/").status_code == 404


def test_the_creator_the_team_and_staff_may_manage_the_product(cast, product):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    assert may_manage_product(product=product, member=cast.creator) is None
    assert may_manage_product(product=product, member=cast.tess) is None
    assert may_manage_product(product=product, member=cast.staff) is None
    for outsider in (cast.mo, cast.bob, cast.reviewer):
        assert may_manage_product(product=product, member=outsider).status_code == 403
    from django.contrib.auth.models import AnonymousUser

    assert may_manage_product(product=product, member=AnonymousUser()) is not None
