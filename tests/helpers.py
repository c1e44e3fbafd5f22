"""Helpers for tests that are not fixtures."""

import time

PASSWORD = "a-Good-pass-991"


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form and wait to leave it."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('Sign in')")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# Long enough for a second, unprotected request to have written its row before we count.
SETTLE_MS = 700


def slowed(monkeypatch, module, name: str, seconds: float = 0.6) -> None:
    """The server takes a while to answer, as over a slow network: time for a second click."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def double_click(page, button) -> None:
    """Click, and click again while the first submission is on its way. (Playwright's dblclick
    clicks twice in one instant, before Chromium even sent the first form: it sends one.)"""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    # The page is still there while the first answer is on its way: the second click lands.
    with page.expect_response(landing_page), page.expect_request(lambda r: r.method == "POST"):
        page.mouse.click(x, y)
    page.wait_for_load_state()


def landing_page(response) -> bool:
    return response.request.method == "GET" and response.request.resource_type == "document"


def api_client_as(user):
    """An APIClient that sends ``user``'s API token, as a real client does (None: anonymous)."""
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def api_key_for(user) -> str:
    """An API token's key for ``user``, issued once per user object (as a script keeps the
    token it was given; an Idempotency-Key is scoped to the token that sent it)."""
    from accounts.services import token_issue

    key = getattr(user, "_test_api_key", None)
    if key is None:
        key = user._test_api_key = token_issue(member=user, name="tests")[1]
    return key


def queries_for(client, url: str, *, status: int = 200) -> int:
    """How many SQL queries answering a GET of ``url`` costs (its status checked)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return len(queries)
