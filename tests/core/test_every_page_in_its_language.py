"""Every page each role can reach speaks the reader's language, whatever the catalog says.

The world is the demo with every person's words in Chinese (tests/chinese_world.py). The crawl
(tests/crawl.py) reads the pages a visitor, a member, a creator, a reviewer and a finance
member reach from the home page and their navigation, once with ``zh-Hans`` (no Latin word may
be left but brand and technical names, codes and user names) and once in English (no Han
character but the people's own words). The e-mails the world's story sent and the API's error
messages are read the same way. Then Chromium opens every page the crawl read, at a desktop's
and a phone's width: axe-core finds no violation and nothing scrolls sideways.
"""

import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings

from accounts.models import User
from config.celery import app as celery_app
from tests.a11y import report
from tests.chinese_world import han_words, latin_words, people_words, people_write_chinese
from tests.chinese_world import shown_text as shown
from tests.crawl import crawl as read_pages

pytestmark = pytest.mark.xdist_group("chinese_world")

ZH = "zh-Hans,zh;q=0.9"
EN = "en"
# Who reads, and where their navigation starts (the home page and the navigation's links).
ROLES = {
    "visitor": (None, ["/", "/products/", "/search/?q=甲子", "/accounts/login/",
                       "/accounts/signup/", "/accounts/password-reset/"]),
    "member": ("alice", ["/", "/me/ideas/", "/me/earnings/", "/accounts/settings/",
                         "/notifications/", "/notifications/settings/", "/ideas/new/"]),
    "creator": ("creator", ["/", "/me/ideas/", "/me/earnings/", "/notifications/"]),
    "reviewer": ("reviewer", ["/review/", "/review/contributions/", "/review/moderation/"]),
    "finance": ("finance", ["/finance/", "/finance/payments/"]),
}  # fmt: skip
LIMIT = {"visitor": 50, "member": 60, "creator": 50, "reviewer": 50, "finance": 60}


class World:
    """The seeded world and what the crawls read."""

    mails: list
    names: set
    people: str
    zh: dict  # role → Crawl
    en: dict
    media: str


def _client(username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    found = World()
    found.media = str(tmp_path_factory.mktemp("media"))
    celery_app.conf.task_always_eager = True
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=found.media):
        mail.outbox = []
        with people_write_chinese():
            call_command("seed_demo", stdout=io.StringIO())
        found.mails = list(mail.outbox)
        found.names, found.people = people_words()
        found.zh = {
            role: read_pages(_client(user), start, language=ZH, limit=LIMIT[role])
            for role, (user, start) in ROLES.items()
        }
        User.objects.update(language="en")
        found.en = {
            role: read_pages(_client(user), start, language=EN, limit=LIMIT[role])
            for role, (user, start) in ROLES.items()
        }
        User.objects.update(language="zh-hans")
        yield found
        call_command("flush", interactive=False, verbosity=0)  # the next tests start empty


def test_the_crawl_reads_more_than_sixty_pages_and_every_link_works(world):
    pages = {url for found in world.zh.values() for url in found.pages}
    assert len(pages) >= 60, sorted(pages)
    broken = {
        f"{role}: {url} ({status}, linked from {found.found_on[url]})"
        for role, found in world.zh.items()
        for url, status in found.broken.items()
    }
    assert broken == set()


def test_chinese_pages_have_no_english_word(world):
    left = {}
    for role, found in world.zh.items():
        for url, page in found.pages.items():
            assert '<html lang="zh-hans"' in page, url
            if words := latin_words(shown(page), world.names):
                left[f"{role} {url}"] = words
    assert left == {}, "\n".join(f"{page}: {words}" for page, words in left.items())


def test_english_pages_have_no_chinese_but_the_peoples_words(world):
    left = {}
    for role, found in world.en.items():
        for url, page in found.pages.items():
            assert '<html lang="en"' in page, url
            if words := han_words(shown(page), world.people):
                left[f"{role} {url}"] = words
    assert left == {}, "\n".join(f"{page}: {words}" for page, words in left.items())


def test_every_email_of_the_story_is_in_chinese(world):
    assert len(world.mails) > 10
    left = {}
    for message in world.mails:
        parts = [message.subject, message.body]
        parts += [body for body, kind in getattr(message, "alternatives", []) if "html" in kind]
        words = latin_words(" ".join(shown(p) for p in parts), world.names)
        if words:
            left.setdefault(message.subject, set()).update(words)
    assert left == {}, "\n".join(f"{subject}: {sorted(w)}" for subject, w in left.items())


API_MISTAKES = [
    ("get", "/api/v1/me/", None, None),
    ("get", "/api/v1/ideas/999999/", None, None),
    ("post", "/api/v1/ideas/", "alice", {}),
    ("post", "/api/v1/ideas/", "alice", {"title": "", "summary": "x" * 5000}),
    ("post", "/api/v1/auth/token/", None, {"username": "alice", "password": "wrong"}),
    ("delete", "/api/v1/ideas/", "alice", None),
    ("get", "/api/v1/finance/periods/", "alice", None),
]


@pytest.mark.django_db
def test_api_error_messages_are_in_chinese(world):
    left = {}
    for method, url, who, data in API_MISTAKES:
        response = getattr(_client(who), method)(
            url, data=json.dumps(data or {}), content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=ZH,
        )  # fmt: skip
        assert response.status_code >= 400, url
        error = response.json()["error"]
        texts = [error["message"]] + [m for ms in error["fields"].values() for m in ms]
        if words := latin_words(" ".join(texts), world.names):
            left[f"{method} {url}"] = words
    assert left == {}, "\n".join(f"{call}: {words}" for call, words in left.items())


# --- In Chromium: axe-core and the width of every page the crawl read ----------------------------

WIDTHS = {"desktop": (1280, 900), "phone": (375, 800)}
WIDER = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.browser
def test_every_page_passes_axe_and_fits_the_width(world, browser, live_server, settings):
    """The crawl's pages in Chinese at both widths: no WCAG 2.1 A/AA violation, no sideways
    scrolling. One test for both widths: the live server's transactional test empties the
    database when it ends."""
    settings.MEDIA_ROOT = world.media
    found, opened = [], {"/no-such-page/"}
    for role, (user, _start) in ROLES.items():
        # Each address once, as the first role that reached it (pages differ little by role).
        urls = [url for url in world.zh[role].pages if url not in opened]
        opened.update(urls)
        cookie = None
        if user:
            session = _client(user).cookies[settings.SESSION_COOKIE_NAME].value
            cookie = {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            }
        urls += ["/no-such-page/"] if role == "visitor" else []
        for w, h in WIDTHS.values():
            found += _check_in_chromium(browser, live_server.url, (w, h), cookie, urls, role)
    found = [f for f in found if f]
    assert not found, "\n".join(found)


def _check_in_chromium(browser, base_url, size, cookie, urls, role) -> list[str]:
    w, h = size
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": w, "height": h},
        extra_http_headers={"Accept-Language": ZH},
    )
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = []
    try:
        for url in urls:
            page.goto(url, wait_until="load")
            found.append(report(page, f"{url} as {role} at {w} px"))
            if page.evaluate(WIDER):
                wide = page.evaluate("document.documentElement.scrollWidth")
                found.append(f"{url} as {role} is {wide} px wide at {w} px")
    finally:
        context.close()
    return found
