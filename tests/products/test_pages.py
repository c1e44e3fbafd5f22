"""The product page's life panels, the idea page's progress strip and the workspace."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.services import idea_update_post
from funding.models import Product
from products.life_models import Abandonment, Milestone
from products.services import milestone_add, product_stage_move, product_team_add
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_the_product_and_idea_pages_show_the_strip(client, cast, product):
    product_stage_move(product=product, actor=cast.creator, stage="prototype", note="Bench.")
    milestone_add(
        product=product,
        actor=cast.creator,
        title="Ten testers",
        due_date=timezone.localdate() - timedelta(days=2),
    )
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert 'aria-current="step"><span class="stage-label">Prototype' in page
    assert "Ten testers" in page and "overdue" in page
    assert "Moved from Design to Prototype." in page and "Bench." in page
    assert "No update from the creator" not in page
    idea_page = client.get(f"/ideas/{product.idea_id}/").content.decode()
    assert 'id="progress-strip"' in idea_page and "Ten testers" in idea_page


def test_a_quiet_product_says_so_and_an_update_ends_it(client, cast, product):
    Product.objects.filter(pk=product.pk).update(created_at=timezone.now() - timedelta(days=31))
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert "No update from the creator for 31 days." in page
    idea_update_post(idea=product.idea, author=cast.creator, body="Still here.")
    assert (
        "No update from the creator" not in client.get(f"/products/{product.pk}/").content.decode()
    )


def test_the_strip_speaks_chinese(client, cast, product):
    product_stage_move(product=product, actor=cast.creator, stage="on_sale", note="开售。")
    page = client.get(f"/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "进展" in page and "在售" in page and "从设计进入在售。" in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("mo", 403), ("bob", 403), ("tess", 200), ("creator", 200), ("reviewer", 200)],
)
def test_who_may_open_the_workspace(client, cast, product, who, expected):
    product_team_add(product=product, actor=cast.creator, member=cast.tess)
    if who:
        _login(client, getattr(cast, who))
    assert client.get(f"/products/{product.pk}/workspace/").status_code == expected


def test_the_creator_plans_and_moves_from_the_workspace(client, cast, product):
    _login(client, cast.creator)
    base = f"/products/{product.pk}/workspace/"
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    added = client.post(f"{base}milestones/", {"ms-title": "Moulds", "ms-due_date": due})
    assert added.status_code == 302
    milestone = Milestone.objects.get()
    missing = client.post(f"{base}milestones/{milestone.pk}/done/", {})
    assert missing.status_code == 400
    assert "Say how it was met" in missing.content.decode()
    done = client.post(
        f"{base}milestones/{milestone.pk}/done/", {f"done{milestone.pk}-note": "In."}
    )
    assert done.status_code == 302
    moved = client.post(f"{base}stage/", {"stage-stage": "prototype", "stage-note": "Ready."})
    assert moved.status_code == 302
    assert client.post(f"{base}team/", {"team-username": "tess"}).status_code == 302
    page = client.get(base).content.decode()
    assert "Tess" in page or "tess" in page
    milestone.refresh_from_db()
    assert milestone.done_note == "In."


def test_a_stranger_posting_to_the_workspace_is_refused(client, cast, product):
    _login(client, cast.mo)
    base = f"/products/{product.pk}/workspace/"
    assert (
        client.post(f"{base}stage/", {"stage-stage": "prototype", "stage-note": "x"}).status_code
        == 403
    )
    assert client.post(f"{base}abandon/", {"abandon-reason": "x"}).status_code == 403


def test_the_creator_asks_to_abandon_and_another_reviewer_confirms_from_the_workspace(
    client, cast, product, monkeypatch, django_capture_on_commit_callbacks
):
    from products import refunds

    started = []
    monkeypatch.setattr(
        refunds, "abandonment_refunds_start", lambda abandonment_id: started.append(abandonment_id)
    )
    base = f"/products/{product.pk}/workspace/"
    _login(client, cast.creator)
    empty = client.post(f"{base}abandon/", {"abandon-reason": ""})
    assert empty.status_code == 400
    asked = client.post(f"{base}abandon/", {"abandon-reason": "The supplier closed."})
    assert asked.status_code == 302
    refused = client.post(f"{base}abandon/confirm/", follow=True)
    assert "Only reviewers confirm an abandonment." in refused.content.decode()
    assert not Abandonment.objects.get(product=product).confirmed_at
    _login(client, cast.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"{base}abandon/confirm/", follow=True)
    assert "The product is abandoned; its backers are refunded." in confirmed.content.decode()
    abandonment = Abandonment.objects.get(product=product)
    assert abandonment.confirmed_at is not None and started == [abandonment.pk]
