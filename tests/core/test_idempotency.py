"""Every state-changing request happens once: Idempotency-Key on the API, one-time tokens on
plain forms."""

import re
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template import Context, Template
from django.test import RequestFactory

from core.idempotency import FORM_FIELD, once_per_submission
from core.models import IdempotencyRecord
from ideas.models import Idea
from tests.helpers import api_client_as, api_key_for

IDEA = {"title": "A solar kettle", "summary": "Boils water with sunlight.", "body": "It works."}


@pytest.fixture
def member_client(client, make_user):
    client.force_login(make_user("mo"))
    return client


def _post(client, body, key):
    return client.post(
        "/api/v1/ideas/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


@pytest.mark.django_db
def test_the_same_key_and_body_return_the_first_response_and_make_one_idea(member_client):
    first = _post(member_client, IDEA, "k-1")
    again = _post(member_client, IDEA, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Idea.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_conflict(member_client):
    _post(member_client, IDEA, "k-2")
    other = _post(member_client, {**IDEA, "title": "Another kettle"}, "k-2")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Idea.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_caller(client, make_user):
    for name in ("mo", "nia"):
        client.force_login(make_user(name))
        assert _post(client, IDEA, "shared-key").status_code == 201
    assert Idea.objects.count() == 2


@pytest.mark.django_db
def test_without_a_key_every_post_runs_and_a_bad_key_is_refused(member_client):
    member_client.post("/api/v1/ideas/", IDEA, content_type="application/json")
    member_client.post("/api/v1/ideas/", IDEA, content_type="application/json")
    assert Idea.objects.count() == 2
    bad = _post(member_client, IDEA, "x" * 300)
    assert bad.status_code == 400
    assert "Idempotency-Key" in bad.json()["error"]["fields"]


@pytest.mark.django_db
def test_a_refused_request_is_replayed_as_refused(member_client):
    first = _post(member_client, {"title": ""}, "k-3")
    again = _post(member_client, {"title": ""}, "k-3")
    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()


@pytest.mark.django_db
def test_an_expired_key_may_be_used_again(member_client, settings):
    settings.IDEMPOTENCY_TTL_SECONDS = 0
    _post(member_client, IDEA, "k-4")
    assert _post(member_client, IDEA, "k-4").status_code == 201
    assert Idea.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_make_one_idea_and_all_get_its_id(make_user):
    from django.test import Client

    user = make_user("mo")
    results: list = []

    def send():
        client = Client()
        client.force_login(user)
        try:
            results.append(_post(client, IDEA, "race-key"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Idea.objects.count() == 1
    assert {r.status_code for r in results} == {201}
    assert {r.json()["id"] for r in results} == {Idea.objects.get().pk}
    assert IdempotencyRecord.objects.count() == 1


# --- One-time form tokens ---------------------------------------------------------------------

made: list[int] = []


@once_per_submission
def _make_view(request):
    if request.POST.get("title"):
        made.append(1)
        return HttpResponseRedirect(f"/made/{len(made)}/")
    return render(request, "base.html", status=400)


def _form_post(user, token, title="Kettle"):
    request = RequestFactory().post("/make/", {FORM_FIELD: token, "title": title})
    request.user = user
    return _make_view(request)


@pytest.mark.django_db
def test_a_resubmitted_form_lands_on_the_first_result_and_makes_one_row(make_user):
    made.clear()
    user = make_user("mo")
    first = _form_post(user, "tok-1")
    again = _form_post(user, "tok-1")
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == "/made/1/"
    assert made == [1]
    assert _form_post(user, "tok-2")["Location"] == "/made/2/"


@pytest.mark.django_db
def test_a_form_that_came_back_with_errors_can_be_corrected_and_sent(make_user):
    made.clear()
    user = make_user("mo")
    assert _form_post(user, "tok-3", title="").status_code == 400
    assert _form_post(user, "tok-3")["Location"] == "/made/1/"


def test_the_template_tag_renders_a_fresh_hidden_token_each_time():
    template = Template("{% load once %}{% once_token %}")
    first, second = template.render(Context()), template.render(Context())
    assert f'name="{FORM_FIELD}"' in first and 'type="hidden"' in first
    assert first != second


# --- Every plain POST form carries a token ----------------------------------------------------

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)


def _post_forms_without_token(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    if re.search(r"""\{%\s*extends\s+["']admin/""", source):
        return []  # the Django admin's own pages (admin action forms)
    missing = []
    for match in FORM.finditer(source):
        attributes, inner = match.groups()
        if POST.search(attributes) and not re.search(r"\{%\s*once_token\s*%\}", inner):
            line = source.count("\n", 0, match.start()) + 1
            missing.append(f"{path.relative_to(TEMPLATES_DIR)}:{line}")
    return missing


def test_every_post_form_in_the_templates_carries_a_one_time_token():
    templates = sorted(TEMPLATES_DIR.rglob("*.html"))
    assert len(templates) > 20
    missing = [where for path in templates for where in _post_forms_without_token(path)]
    assert missing == [], "POST forms without {% once_token %}: " + ", ".join(missing)


def test_the_form_scan_notices_a_form_without_a_token(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_text('<form method="post">{% csrf_token %}<button>Go</button></form>')
    monkeypatch.setattr(sys.modules[__name__], "TEMPLATES_DIR", tmp_path)
    assert _post_forms_without_token(page) == ["page.html:1"]
    page.write_text('<form method="get"></form><form method="post">{% once_token %}</form>')
    assert _post_forms_without_token(page) == []


# --- The creating routes of ideas, discussion, contributions and sign-up ------------------------

CLAIM = {"kind": "design", "description": "Designed the folding hinge.", "proposed_points": 120}


def _route(name: str, make_user):
    """(client, url, body, another body, the rows it creates) for one creating route."""
    from rest_framework.test import APIClient

    from accounts.models import User
    from contributions.models import Contribution
    from ideas.models import Comment
    from ideas.services import idea_create, idea_publish
    from tests.factories import make_product

    client = APIClient()
    if name == "register":
        body = {"username": "dev", "email": "dev@example.org", "password": "a-Good-pass-991"}
        return client, "/api/v1/auth/register/", body, {**body, "username": "dev2"}, User.objects
    member = make_user("mo")
    client = api_client_as(member)
    if name == "idea":
        return client, "/api/v1/ideas/", IDEA, {**IDEA, "title": "Another kettle"}, Idea.objects
    if name == "comment":
        idea = idea_create(
            creator=make_user("carla"), title="Bike lock", summary="Smart.", body="B."
        )
        idea_publish(idea=idea, actor=idea.creator)
        url = f"/api/v1/ideas/{idea.pk}/comments/"
        return (
            client,
            url,
            {"body": "Does it work in the rain?"},
            {"body": "Other."},
            Comment.objects,
        )
    product = make_product(creator=make_user("carla"), pledges={make_user("bob"): 30_000})
    url = f"/api/v1/products/{product.pk}/contributions/"
    rows = Contribution.objects.filter(member=member)
    return client, url, CLAIM, {**CLAIM, "proposed_points": 90}, rows


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["idea", "comment", "claim", "register"])
def test_a_creating_route_replays_its_first_answer_and_refuses_the_key_for_another_body(
    name, make_user
):
    client, url, body, other, rows = _route(name, make_user)
    before = rows.count()
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    # Sign-up answers 202 ("check your e-mail", the same for any name); the others 201.
    assert first.status_code == again.status_code == (202 if name == "register" else 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert rows.count() == before + 1

    conflict = client.post(url, other, format="json", HTTP_IDEMPOTENCY_KEY="create-1")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_key_reused"
    assert rows.count() == before + 1


def _race(client_for_thread, url, body, key: str, threads: int = 6) -> list:
    results: list = []

    def send():
        try:
            results.append(
                client_for_thread().post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
            )
        finally:
            connection.close()

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["comment", "claim"])
def test_concurrent_replays_of_a_comment_or_a_claim_make_one_row_and_all_get_its_id(
    name, make_user
):

    _, url, body, _, rows = _route(name, make_user)
    member = make_user("nia")
    api_key_for(member)  # one token for all the threads: a key is scoped to its token

    def client():
        return api_client_as(member)

    results = _race(client, url, body, key=f"race-{name}")
    assert {r.status_code for r in results} == {201}
    made = rows.model.objects.filter(**{"author" if name == "comment" else "member": member})
    assert made.count() == 1
    assert {r.json()["id"] for r in results} == {made.get().pk}
    assert sum(r.get("Idempotent-Replayed") == "true" for r in results) == len(results) - 1


@pytest.mark.django_db
def test_the_api_schema_documents_the_key_and_its_409_on_every_post(client):
    schema = client.get("/api/schema/?format=json").json()
    posts = {
        path: operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "post"
    }
    assert "/api/v1/ideas/" in posts and "/api/v1/products/{product_id}/contributions/" in posts
    for path, operation in posts.items():
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert "Idempotency-Key" in headers, path
        assert "Idempotency-Key" in operation["responses"]["409"]["description"], path
    ideas = schema["paths"]["/api/v1/ideas/"]["get"]
    assert "Idempotency-Key" not in [p["name"] for p in ideas.get("parameters", [])]


@pytest.mark.django_db
def test_expired_records_are_purged_and_live_ones_kept(member_client, settings):
    from core.tasks import idempotency_records_purge_task

    settings.IDEMPOTENCY_TTL_SECONDS = 0
    _post(member_client, IDEA, "old-key")
    settings.IDEMPOTENCY_TTL_SECONDS = 3600
    _post(member_client, IDEA, "new-key")
    assert idempotency_records_purge_task.delay().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new-key"]


@pytest.mark.django_db
def test_a_key_reused_on_a_multipart_request_with_another_body_of_the_same_length_is_409(
    member_client,
):
    """Issue 26: the length of an upload stood for its body, so another body of the same
    length replayed the first answer."""
    first = member_client.post(
        "/api/v1/ideas/", {**IDEA, "title": "Kettle A"}, HTTP_IDEMPOTENCY_KEY="mp-1"
    )
    assert first.status_code == 201
    same = member_client.post(
        "/api/v1/ideas/", {**IDEA, "title": "Kettle A"}, HTTP_IDEMPOTENCY_KEY="mp-1"
    )
    assert same.status_code == 201 and same.json()["id"] == first.json()["id"]
    other = member_client.post(
        "/api/v1/ideas/", {**IDEA, "title": "Kettle B"}, HTTP_IDEMPOTENCY_KEY="mp-1"
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert list(Idea.objects.values_list("title", flat=True)) == ["Kettle A"]
