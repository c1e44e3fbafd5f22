"""The product's life through the API: stage moves, milestones, abandonment — who may, and
what each answer says."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.services import idea_update_post
from products.life_models import Abandonment, Milestone, ProductEvent
from products.services import abandonment_ask, milestone_add, product_team_add
from tests.helpers import api_client_as

pytestmark = pytest.mark.django_db


def _client(cast, who):
    return APIClient() if who == "anonymous" else api_client_as(getattr(cast, who))


def _milestone(cast, product, days=10, title="Tooling ordered"):
    return milestone_add(
        product=product,
        actor=cast.creator,
        title=title,
        due_date=timezone.localdate() + timedelta(days=days),
    )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("mo", 403),
        ("bob", 403),
        ("tess", 403),  # the team plans; the creator or a reviewer moves the stage
        ("creator", 200),
        ("reviewer", 200),
        ("staff", 200),
    ],
)
def test_who_may_move_the_stage(cast, product, who, expected):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    response = _client(cast, who).patch(
        f"/api/v1/products/{product.pk}/",
        {"stage": "prototype", "note": "First prototype on the bench."},
        format="json",
    )
    assert response.status_code == expected, response.content
    stage = APIClient().get(f"/api/v1/products/{product.pk}/").json()["life"]["stage"]
    assert stage == ("prototype" if expected == 200 else "design")


def test_a_stage_move_is_on_the_public_timeline_as_a_code(cast, product):
    client = api_client_as(cast.creator)
    url = f"/api/v1/products/{product.pk}/"
    moved = client.patch(url, {"stage": "production", "note": "Factory booked."}, format="json")
    assert moved.status_code == 200, moved.content
    event = ProductEvent.objects.get(product=product)
    assert (event.code, event.params, event.note) == (
        "stage_moved",
        {"from": "design", "to": "production"},
        "Factory booked.",
    )
    life = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["life"]
    assert life["timeline"][0]["code"] == "stage_moved"
    assert "生产" in life["timeline"][0]["text"]
    product.idea.refresh_from_db()
    assert product.idea.status == "in_production"
    back = client.patch(url, {"stage": "prototype", "note": "Oops."}, format="json")
    assert back.status_code == 400
    assert "after the current one" in back.json()["error"]["fields"]["stage"][0]
    no_note = client.patch(url, {"stage": "on_sale", "note": ""}, format="json")
    assert no_note.status_code == 400


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("mo", 403),
        ("bob", 403),
        ("reviewer", 403),
        ("tess", 201),
        ("creator", 201),
        ("staff", 201),
    ],
)
def test_who_may_add_a_milestone(cast, product, who, expected):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = _client(cast, who).post(
        f"/api/v1/products/{product.pk}/milestones/",
        {"title": "Prototype tested", "due_date": due, "description": "With ten users."},
        format="json",
    )
    assert response.status_code == expected, response.content
    listed = APIClient().get(f"/api/v1/products/{product.pk}/milestones/").json()
    assert len(listed) == (1 if expected == 201 else 0)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("mo", 403), ("reviewer", 403), ("tess", 200), ("creator", 200)],
)
def test_who_may_mark_a_milestone_done(cast, product, who, expected):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    milestone = _milestone(cast, product)
    response = _client(cast, who).patch(
        f"/api/v1/products/{product.pk}/milestones/{milestone.pk}/",
        {"done": True, "note": "Invoice 17 paid."},
        format="json",
    )
    assert response.status_code == expected, response.content
    milestone.refresh_from_db()
    assert (milestone.done_at is not None) == (expected == 200)


def test_a_milestone_is_done_with_evidence_and_overdue_shows_as_overdue(cast, product):
    client = api_client_as(cast.creator)
    late = _milestone(cast, product, days=-3, title="Late one")
    url = f"/api/v1/products/{product.pk}/milestones/{late.pk}/"
    listed = APIClient().get(f"/api/v1/products/{product.pk}/milestones/").json()
    assert [m["status"] for m in listed] == ["overdue"]
    assert (
        APIClient()
        .get(f"/api/v1/products/{product.pk}/")
        .json()["life"]["next_milestone"]["status"]
        == "overdue"
    )
    no_evidence = client.patch(url, {"done": True}, format="json")
    assert no_evidence.status_code == 400
    assert no_evidence.json()["error"]["fields"]["note"] == [
        "Say how it was met: write a note or choose an update."
    ]
    update = idea_update_post(idea=product.idea, author=cast.creator, body="Moulds are here.")
    done = client.patch(url, {"done": True, "update": update.pk}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["done_update"]) == ("done", update.pk)
    again = client.patch(url, {"title": "Renamed"}, format="json")
    assert again.status_code == 409
    other = client.patch(f"/api/v1/products/{product.pk}/milestones/999999/", {}, format="json")
    assert other.status_code == 404


def test_rescheduling_a_milestone_is_on_the_timeline(cast, product):
    milestone = _milestone(cast, product)
    new_due = (timezone.localdate() + timedelta(days=40)).isoformat()
    response = api_client_as(cast.creator).patch(
        f"/api/v1/products/{product.pk}/milestones/{milestone.pk}/",
        {"due_date": new_due},
        format="json",
    )
    assert response.json()["due_date"] == new_due
    assert ProductEvent.objects.filter(code="milestone_rescheduled").get().params["to"] == new_due


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("mo", 403),
        ("bob", 403),
        ("tess", 403),
        ("reviewer", 409),  # a reviewer asks only after 90 silent days
        ("creator", 201),
    ],
)
def test_who_may_ask_to_abandon(cast, product, who, expected):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    response = _client(cast, who).post(
        f"/api/v1/products/{product.pk}/abandon/", {"reason": "The supplier closed."}, format="json"
    )
    assert response.status_code == expected, response.content
    assert Abandonment.objects.filter(product=product).exists() == (expected == 201)


def test_a_reviewer_asks_after_90_days_without_update_or_milestone_met(cast, product):
    from funding.models import Product

    long_ago = timezone.now() - timedelta(days=91)
    Product.objects.filter(pk=product.pk).update(created_at=long_ago)
    product.refresh_from_db()
    response = api_client_as(cast.reviewer).post(
        f"/api/v1/products/{product.pk}/abandon/", {"reason": "Silent for months."}, format="json"
    )
    assert response.status_code == 201, response.content
    twice = api_client_as(cast.creator).post(
        f"/api/v1/products/{product.pk}/abandon/", {"reason": "Me too."}, format="json"
    )
    assert twice.status_code == 400


def test_a_recent_update_keeps_a_reviewer_from_asking(cast, product):
    from funding.models import Product

    Product.objects.filter(pk=product.pk).update(created_at=timezone.now() - timedelta(days=200))
    product.refresh_from_db()
    idea_update_post(idea=product.idea, author=cast.creator, body="Still at it.")
    response = api_client_as(cast.reviewer).post(
        f"/api/v1/products/{product.pk}/abandon/", {"reason": "Silent?"}, format="json"
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("mo", 403),
        ("creator", 403),
        ("bob", 403),
        ("reviewer", 403),  # asked it: a different reviewer confirms
        ("reviewer2", 200),
        ("staff", 200),
    ],
)
def test_who_may_confirm_an_abandonment(
    cast, product, who, expected, monkeypatch, django_capture_on_commit_callbacks
):
    from funding.models import Product
    from products import refunds

    started = []

    def start(*, abandonment_id):
        started.append(abandonment_id)

    monkeypatch.setattr(refunds, "abandonment_refunds_start", start)
    Product.objects.filter(pk=product.pk).update(created_at=timezone.now() - timedelta(days=120))
    product.refresh_from_db()
    asked = abandonment_ask(product=product, actor=cast.reviewer, reason="Nothing for months.")
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cast, who).post(f"/api/v1/products/{product.pk}/abandon/confirm/")
    assert response.status_code == expected, response.content
    life = APIClient().get(f"/api/v1/products/{product.pk}/").json()["life"]
    if expected == 200:
        assert started == [asked.pk]
        assert (life["stage"], life["ending"], life["abandonment"]) == (
            "ended",
            "abandoned",
            "confirmed",
        )
    else:
        assert started == []
        assert (life["stage"], life["abandonment"]) == ("design", "asked")


def test_confirming_without_an_ask_and_an_ended_product_refuse(cast, product, monkeypatch):
    from products import refunds

    monkeypatch.setattr(refunds, "abandonment_refunds_start", lambda **kw: None)
    url = f"/api/v1/products/{product.pk}/abandon/confirm/"
    assert api_client_as(cast.reviewer2).post(url).status_code == 400
    abandonment_ask(product=product, actor=cast.creator, reason="No supplier.")
    assert api_client_as(cast.reviewer2).post(url).status_code == 200
    assert api_client_as(cast.reviewer).post(url).status_code == 409
    moved = api_client_as(cast.creator).patch(
        f"/api/v1/products/{product.pk}/", {"stage": "ended", "note": "x"}, format="json"
    )
    assert moved.status_code == 409
    assert Milestone.objects.count() == 0


def test_the_stage_keeps_up_with_funding_s_own_move_of_the_idea(cast, product):
    from funding.services import product_advance

    product_advance(product=product, actor=cast.reviewer, reason="Factory booked.")
    url = f"/api/v1/products/{product.pk}/"
    assert APIClient().get(url).json()["life"]["stage"] == "production"
    back = api_client_as(cast.creator).patch(
        url, {"stage": "prototype", "note": "Back?"}, format="json"
    )
    assert back.status_code == 400
    on = api_client_as(cast.creator).patch(url, {"stage": "on_sale", "note": "Out!"}, format="json")
    assert on.status_code == 200, on.content
    product.idea.refresh_from_db()
    assert product.idea.status == "launched"
    event = ProductEvent.objects.get(code="stage_moved")
    assert event.params == {"from": "production", "to": "on_sale"}
