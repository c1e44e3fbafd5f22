"""Shared fixtures.

* ``pytest.mark.postgres`` tests need PostgreSQL; on SQLite they are skipped with a reason,
  unless ``REQUIRE_POSTGRES=1`` (CI), where running on SQLite is an error.
* ``pytest.mark.browser`` tests drive Debian's Chromium through Playwright; without it they
  skip, unless ``REQUIRE_BROWSER=1`` (CI).
* Celery runs tasks in-process in tests (even when REDIS_URL is set); the real-worker tests
  switch that off themselves.
"""

import os
import shutil

import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.helpers import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    require_pg = os.environ.get("REQUIRE_POSTGRES") == "1"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            if require_pg:
                raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache(settings):
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_user(db):
    """make_user("alice", verified=True, role="reviewer") → a saved member."""
    from accounts.models import User
    from accounts.services import role_grant

    def make(username: str, *, verified: bool = True, role: str | None = None, **extra):
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password=PASSWORD,
            email_verified=verified,
            **extra,
        )
        if role:
            role_grant(user=user, role=role)
        return user

    return make


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def client_for(api_client):
    """client_for(user) → an APIClient signed in as user (or anonymous for None)."""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
