"""Shared fixtures. Settings: config/test_settings.py (fast hasher, in-memory mail and cache, no
rate limits); builders: tests/factories.py.

* The database is PostgreSQL, always: the one DATABASE_URL names (CI), else the embedded server
  that `make test` starts (config/embedded_db.py). Every test runs on it.
* ``pytest.mark.browser`` tests drive Debian's Chromium through Playwright; without it they
  skip, unless ``REQUIRE_BROWSER=1`` (CI).
* Celery runs tasks in-process in tests (even when REDIS_URL is set); the real-worker tests
  switch that off themselves.
* Tests that need Redis (the real-worker tests, the rate limits on Redis) take the ``redis_url``
  fixture: REDIS_URL (CI), else TEST_REDIS_URL, the embedded Redis that `make test` starts
  (config/embedded_redis.py). With neither, or nothing answering there, they fail, never skip.
* Under pytest-xdist (``-n auto``) each worker has its own test database, media directory and
  cache. The real-worker tests share one Redis database, so they run on one xdist worker
  (``xdist_group("celery_worker")``, honoured by ``--dist loadgroup``).
"""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from config.celery import app as celery_app
from tests import factories
from tests.db_flush import flush_quickly

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


# tryfirst: the xdist_group marker must be on the items before xdist reads it (--dist loadgroup).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "celery_worker" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("celery_worker"))


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis of the tests that need one: REDIS_URL, else TEST_REDIS_URL (`make test`'s
    embedded Redis). A test that takes it fails, with how to get one, when there is none."""
    url = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.fail(
            "this test needs Redis: run it through `make test` or `python -m "
            "config.embedded_redis run CMD` (which start one), or set REDIS_URL",
            pytrace=False,
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"this test needs Redis, and none answers at {url}: {error}", pytrace=False)
    return url


@pytest.fixture(scope="session", autouse=True)
def _quick_flush_after_transactional_tests():
    """A transactional test leaves the database empty, as Django's flush would, in a fraction
    of its time (tests/db_flush.py)."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def teardown(self):
        if self.available_apps is not None or self.serialized_rollback:
            return flush(self)  # Django's partial or serialized flush, as it is
        for alias in self._databases_names(include_mirrors=False):
            flush_quickly(alias)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", teardown)
        yield


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache():
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request leaves its language active in the thread (the next request's LocaleMiddleware
    sets its own); code a test calls outside a request starts in the site's default."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def production_rates(settings):
    """The rate limits as configured for production (config/settings.py), for tests of the
    limits themselves; the test settings turn them all off."""
    from config import settings as production

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": production.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    }


@pytest.fixture
def rates(settings):
    """rates("vote_user", "2/min"): turn on one rate limit for this test (the test settings
    have none; the throttles read the rates per request)."""

    def set_rate(scope: str, rate: str) -> None:
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, scope: rate},
        }

    return set_rate


@pytest.fixture
def make_user(db):
    """make_user("alice", verified=True, role="reviewer") → a saved member (tests.factories)."""
    return factories.make_user


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def client_for(api_client):
    """client_for(user) → an APIClient sending user's API token (or anonymous for None): the
    credentials travel in the request as a real client's do, so middleware sees them too."""
    from tests.helpers import api_client_as

    return api_client_as


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
