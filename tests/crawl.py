"""A crawler over the site's pages through Django's test client: from the home page and the
role's navigation, following every link of every page it reads, a few of each kind (used by
tests/core/test_every_page_in_its_language.py)."""

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Links a crawl does not follow: signing out, other hosts' worlds, files, the admin, the API's
# JSON (checked on its own), the language switch (the crawl is in one language).
SKIPPED = re.compile(
    r"^/(?:static|media|admin|i18n|api/v1|api/schema)/|/logout/|/export|\.(?:csv|xlsx|xml)$"
)
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)', re.S)
PER_KIND = 3  # pages of one kind (same view, same query keys) worth reading in one crawl


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # url → html
    broken: dict[str, int] = field(default_factory=dict)  # url → status
    found_on: dict[str, str] = field(default_factory=dict)  # url → where it was linked


def _kind(url: str) -> tuple | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("missing", parts.path)
    keys = tuple(sorted({k for k, _ in parse_qsl(parts.query)} - {"page"}))
    return (match.view_name, keys)


def _normal(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + (f"?{query}" if query else "")


def crawl(client: Client, start: list[str], *, language: str, limit: int = 60) -> Crawl:
    """Read pages breadth first from ``start`` (at most ``limit``, ``PER_KIND`` of a kind)."""
    result = Crawl()
    seen_kinds: Counter = Counter()
    queue = deque((url, "start") for url in start)
    queued = set(start)
    while queue and len(result.pages) < limit:
        url, origin = queue.popleft()
        kind = _kind(url)
        if seen_kinds[kind] >= PER_KIND and origin != "start":
            continue
        seen_kinds[kind] += 1
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            if response.status_code >= 400 and origin != "start":
                result.broken[url] = response.status_code
                result.found_on[url] = origin
            continue
        page = response.content.decode()
        result.pages[url] = page
        result.found_on[url] = origin
        for href in HREF.findall(page):
            link = _normal(html_unescape(href))
            if link and link not in queued:
                queued.add(link)
                queue.append((link, url))
    return result


def html_unescape(text: str) -> str:
    return text.replace("&amp;", "&")
