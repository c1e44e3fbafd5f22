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


@pytest.mark.postgres
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
