"""Every page each role can reach speaks the reader's language, whatever the catalog says.

A world whose people write only Chinese (tests/language_world.py: the whole story, idea to
payout batch, through the platform's services) is crawled from the home page and each role's
navigation (tests/crawl.py) by a visitor, a member, a creator, a reviewer and a finance member
with ``Accept-Language: zh-Hans``: any Latin word left but brand and technical names, currency
codes and user names is the site's own English. The e-mails the story sent and the API's error
messages are read the same way; an English world, crawled in English, shows no Han character.
Then Chromium opens every page the Chinese crawl read: axe-core at 1280 and 375 px wide,
and nothing wider than a phone.
"""

import json
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from accounts.services import token_issue
from config.celery import app as celery_app
from tests.a11y import report
from tests.crawl import crawl, han_words, latin_words, shown
from tests.language_world import build_world

pytestmark = pytest.mark.xdist_group("language_world")
# The tests that only read what the crawl read are marked django_db: pytest-django sets up the
# test database only for a run that has tests marked so (the browser test is not: its sessions
# must be committed for the live server to see them). `read` refuses any other database.
reads_the_world = pytest.mark.django_db

ZH = "zh-Hans,zh;q=0.9"
LITERAL = re.compile(r"[“'\"][a-z_]+[”'\"]")
JSON_WORDS = re.compile(r"\b(?:true|false|null)\b")
EN = "en"
# Who reads, and where they start: the home page and their navigation.
ROLES = {
    "visitor": (None, ["/", "/products/", "/search/?q=", "/accounts/login/",
                       "/accounts/signup/", "/accounts/password-reset/", "/api/docs/"]),
    "member": ("alice", ["/", "/me/ideas/", "/votes/mine/", "/me/earnings/",
                         "/accounts/settings/", "/notifications/",
                         "/notifications/settings/", "/ideas/new/", "/members/alice/"]),
    "creator": ("creator", ["/", "/me/ideas/", "/me/earnings/", "/notifications/",
                            "/members/creator/", "/products/{product}/profit/"]),
    "reviewer": ("rita", ["/", "/review/", "/review/contributions/", "/review/moderation/",
                          "/review/votes/", "/notifications/"]),
    "finance": ("fiona", ["/", "/finance/", "/finance/payments/", "/finance/expenses/",
                          "/notifications/", "/products/{product}/sales/",
                          "/products/{product}/profit/", "/finance/periods/{period}/"]),
}  # fmt: skip
LIMIT = 50  # pages per role and language
SEARCHED = {ZH: "厨房", EN: "kitchen"}  # a tag of the world, in its language


def configured_names() -> list[str]:
    """Proper names the site's configuration shows as they are: the accounts members pay into
    (holder and bank, written as the bank knows them)."""
    return [
        account.get(key, "")
        for accounts in settings.PAYMENT_PAYEE_ACCOUNTS.values()
        for account in accounts
        for key in ("holder", "bank")
    ]


def client_of(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def crawl_roles(world, language: str) -> dict:
    """Each role's crawl. The profit and sales pages are the creator's and finance's own pages,
    though no page links to them (their addresses come from the world)."""
    return {
        role: crawl(
            client_of(user),
            [
                url.format(**world.ids) + (SEARCHED[language] if url.endswith("?q=") else "")
                for url in start
            ],
            language=language,
            limit=LIMIT,
        )
        for role, (user, start) in ROLES.items()
    }


class Read:
    """What the crawls read: ``zh`` / ``en`` (role → Crawl), the Chinese story's e-mails, the
    user names of the world and the Chinese world's ideas (for the API's cases)."""


@pytest.fixture(scope="module")
def read(django_db_setup, django_db_blocker, tmp_path_factory):
    found = Read()
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    media = str(tmp_path_factory.mktemp("media"))
    # The story's e-mails are read from Django's in-memory outbox, whatever an earlier test on
    # this worker left configured.
    memory = "django.core.mail.backends.locmem.EmailBackend"
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    assert name.startswith("test_"), f"the world would be built in {name}: run the whole module"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, EMAIL_BACKEND=memory):
        mail.outbox = []
        found.en = crawl_roles(build_world("en"), EN)
        found.en_mails = list(mail.outbox)
        call_command("flush", interactive=False, verbosity=0)
        mail.outbox = []
        world = build_world("zh")
        found.mails = list(mail.outbox)
        found.names = set(User.objects.values_list("username", flat=True))
        found.names |= {word for name in configured_names() for word in name.split()}
        found.ideas = {role: idea.pk for role, idea in world.ideas.items()}
        found.zh = crawl_roles(world, ZH)
        found.errors = {
            f"{who or 'visitor'} {url}": client_of(who).get(url, headers={"accept-language": ZH})
            for who, url, _status in ERRORS
        }
        found.media = media
        yield found
        call_command("flush", interactive=False, verbosity=0)  # the next tests start empty


# Pages a reader meets by mistake: an address that is not there, a page that is not theirs.
# (who, address, status); a reset link that is no good is a page saying so.
ERRORS = [(None, "/no-such-page/", 404), ("alice", "/finance/", 403),
          ("alice", "/ideas/999999/", 404), ("alice", "/review/", 403),
          (None, "/accounts/reset/x/y/", 200)]  # fmt: skip


def _report(left: dict) -> str:
    return "\n".join(f"{where}: {words}" for where, words in sorted(left.items()))


@reads_the_world
def test_the_crawl_reads_over_sixty_pages_across_the_roles_and_no_link_is_broken(read):
    pages = {url for found in read.zh.values() for url in found.pages}
    counts = {role: len(found.pages) for role, found in read.zh.items()}
    print("pages read per role (zh-Hans):", counts, "distinct:", len(pages), sorted(pages))
    assert len(pages) >= 60, sorted(pages)
    assert all(count >= 8 for count in counts.values()), counts
    broken = {f"{role} {url}": why for role, c in read.zh.items() for url, why in c.broken.items()}
    assert broken == {}, _report(broken)


@reads_the_world
def test_chinese_pages_have_no_english_word(read):
    left = {}
    for role, found in read.zh.items():
        for url, page in found.pages.items():
            assert '<html lang="zh-hans"' in page, url
            if words := latin_words(shown(page), read.names):
                left[f"{role} {url}"] = words
    assert left == {}, _report(left)


@reads_the_world
def test_english_pages_have_no_chinese(read):
    left = {}
    for role, found in read.en.items():
        for url, page in found.pages.items():
            assert '<html lang="en"' in page, url
            if words := han_words(shown(page), "\n".join(configured_names())):
                left[f"{role} {url}"] = words
    assert left == {}, _report(left)


@reads_the_world
def test_error_pages_are_in_chinese(read):
    statuses = [response.status_code for response in read.errors.values()]
    assert statuses == [status for *_, status in ERRORS]
    left = {}
    for where, response in read.errors.items():
        if words := latin_words(shown(response.content.decode()), read.names):
            left[f"{where} ({response.status_code})"] = words
    assert left == {}, _report(left)


def _mail_text(message) -> str:
    parts = [message.subject, message.body]
    parts += [shown(body) for body, kind in getattr(message, "alternatives", []) if "html" in kind]
    return "\n".join(parts)


@reads_the_world
def test_every_email_of_the_chinese_story_is_in_chinese(read):
    print(f"e-mails of the story: {len(read.mails)} in Chinese, {len(read.en_mails)} in English")
    assert len(read.mails) >= 20, [m.subject for m in read.mails]
    left = {}
    for message in read.mails:
        if words := latin_words(_mail_text(message), read.names):
            left[f"{message.to[0]}: {message.subject}"] = words
    assert left == {}, _report(left)


@reads_the_world
def test_every_email_of_the_english_story_is_in_english(read):
    assert len(read.en_mails) >= 20, [m.subject for m in read.en_mails]
    left = {}
    for message in read.en_mails:
        if words := han_words(_mail_text(message), "\n".join(configured_names())):
            left[f"{message.to[0]}: {message.subject}"] = words
    assert left == {}, _report(left)


def _api_cases(ideas: dict) -> list[tuple]:
    """(method, url, who, body, expected status): mistakes a client of the API makes."""
    voting, review, draft = ideas["voting"], ideas["review"], ideas["draft"]
    funding, launched = ideas["funding"], ideas["launched"]
    return [
        ("get", "/api/v1/me/earnings/", None, None, 401),
        ("get", "/api/v1/me/earnings/", "bad-token", None, 401),
        ("get", "/api/v1/ideas/999999/", "alice", None, 404),
        ("get", f"/api/v1/ideas/{draft}/", "bob", None, 404),
        ("post", "/api/v1/ideas/", "alice", {}, 400),
        ("post", "/api/v1/ideas/", "alice", {"title": "甲" * 200, "summary": "", "body": 3}, 400),
        ("post", "/api/v1/ideas/", "alice", "{not json", 400),
        ("post", f"/api/v1/ideas/{funding}/pledges/", "chen", {"amount": "很多"}, 400),
        ("post", f"/api/v1/ideas/{funding}/pledges/", "chen", {"amount": -5}, 400),
        ("post", f"/api/v1/ideas/{review}/review/", "alice", {"decision": "approve"}, 403),
        ("post", f"/api/v1/ideas/{review}/review/", "rita", {"decision": "maybe"}, 400),
        ("post", f"/api/v1/ideas/{launched}/vote/", "bob", None, 409),
        ("post", f"/api/v1/ideas/{voting}/vote/", "alice", None, 403),
        ("get", "/api/v1/payout-batches/", "alice", None, 403),
        ("delete", "/api/v1/categories/", "alice", None, 405),
        ("put", f"/api/v1/ideas/{voting}/vote/", "bob", None, 405),
        ("post", "/api/v1/auth/token/", None, {"username": "alice", "password": "错"}, 400),
        ("post", "/api/v1/markdown/preview/", "alice", {"text": "甲"}, 429),
    ]


@reads_the_world
def test_api_error_messages_are_in_chinese(read, rates):
    from rest_framework.test import APIClient

    rates("preview_user", "0/min")
    left, statuses = {}, {}
    # Each member's token, named as they would name it (its name shows in their Settings).
    keys = {u.username: token_issue(member=u, name="接口测试")[1] for u in User.objects.all()}
    for method, url, who, body, status in _api_cases(read.ideas):
        client = APIClient()
        if who == "bad-token":
            client.credentials(HTTP_AUTHORIZATION="Token 00000000")
        elif who:
            client.credentials(HTTP_AUTHORIZATION=f"Token {keys[who]}")
        data = body if isinstance(body, str) or body is None else json.dumps(body)
        response = getattr(client, method)(
            url, data=data, content_type="application/json", headers={"accept-language": ZH}
        )
        statuses[f"{method} {url}"] = (response.status_code, status)
        error = response.json()["error"]
        texts = [error["message"], *(m for ms in error["fields"].values() for m in ms)]
        # Values the API takes as they are: quoted in the message (“approve”), JSON's words.
        said = JSON_WORDS.sub(" ", LITERAL.sub(" ", "\n".join(texts)))
        if words := latin_words(said, read.names):
            left[f"{method} {url} ({response.status_code})"] = words
    assert {k: v for k, v in statuses.items() if v[0] != v[1]} == {}
    assert left == {}, _report(left)


# --- In Chromium: axe-core and the width of every page the Chinese crawl read ---------------------

WIDE, NARROW = (1280, 900), (375, 800)


def _session_cookie(username: str, base_url: str) -> list[dict]:
    if not username:
        return []
    value = client_of(username).cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}]


@pytest.fixture
def site(read):
    """The world's site served from this process. Not pytest-django's ``live_server``: it
    brings a transactional database, which empties the database after the test and makes
    pytest-django run the test apart from the module's others (the world built twice)."""
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost"]):
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()


@pytest.mark.browser
def test_every_page_read_passes_axe_at_both_widths_and_fits_a_phone(read, browser, site):
    """One Chromium, one context per role, the pages in turn: each page at 1280 px (axe-core,
    and the page as its scripts left it has no English word), then the same page at 375 px
    (axe-core again, and nothing scrolls sideways). Each address once, as the first role that
    read it."""
    found, opened, started = [], set(), time.monotonic()
    with override_settings(MEDIA_ROOT=read.media):
        for role, (username, _start) in ROLES.items():
            urls = [url for url in read.zh[role].pages if url not in opened]
            opened.update(urls)
            context = browser.new_context(
                base_url=site.url,
                viewport={"width": WIDE[0], "height": WIDE[1]},
                extra_http_headers={"Accept-Language": ZH},
            )
            context.add_cookies(_session_cookie(username, site.url))
            page = context.new_page()
            page.set_default_timeout(15_000)
            try:
                for url in urls:
                    found += _check(page, url, role, read.names)
            finally:
                context.close()
    print(f"browser half: {len(opened)} pages at 2 widths in {time.monotonic() - started:.0f} s")
    found = [f for f in found if f]
    assert not found, "\n".join(found)


def _check(page, url: str, role: str, names: set[str]) -> list[str]:
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    page.goto(url, wait_until="load")
    assert "/accounts/login/" not in page.url or url.startswith("/accounts/"), (url, role)
    found = [report(page, f"{url} as {role} at {WIDE[0]} px")]
    # What the page's scripts wrote (charts, confirmations, counters) is Chinese too.
    if words := latin_words(shown(page.content()), names):
        found.append(f"{url} as {role} in Chromium: {words}")
    page.set_viewport_size({"width": NARROW[0], "height": NARROW[1]})
    found.append(report(page, f"{url} as {role} at {NARROW[0]} px"))
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    if wide > NARROW[0]:
        found.append(f"{url} as {role} is {wide} px wide at {NARROW[0]} px")
    return found
