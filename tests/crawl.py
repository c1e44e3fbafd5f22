"""Reading the site as a person does, through Django's test client (used by
tests/core/test_every_page_in_its_language.py).

``crawl`` follows same-site links breadth first (GET only, a few pages of each kind), ``shown``
is the text a reader sees or hears on a page (visible text and the attributes read out), and
``latin_words`` / ``han_words`` find the words of the wrong language in it."""

import html
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from accounts.timezones import zone_names

# Not followed: signing out, the language switch (the crawl reads one language), the admin,
# files (CSV, XLSX, XML, media), the API's JSON (its errors are checked on their own).
SKIPPED = re.compile(
    r"^/(?:static|media|admin|i18n|jsi18n|api/v1|api/schema|healthz|metrics)/"
    r"|/logout/|\.(?:csv|xlsx|xml|json|py|ico)$"
)
HREF = re.compile(r'<a\b[^>]*?\bhref="([^"#]*)', re.S)
PER_KIND = 8  # pages of one kind (one view, the same query keys) read in one crawl


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # url → html
    broken: dict[str, str] = field(default_factory=dict)  # url → "status, linked from …"


def _kind(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path
    return (view, tuple(sorted({k for k, _ in parse_qsl(parts.query)} - {"page"})))


def _same_site(href: str) -> str | None:
    parts = urlsplit(html.unescape(href))
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIPPED.search(parts.path):
        return None
    # Where to go after signing in changes nothing on the page: one sign-in page, not one a link.
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next"]
    query = urlencode(sorted(pairs))
    return parts.path + (f"?{query}" if query else "")


def crawl(client: Client, start: list[str], *, language: str, limit: int) -> Crawl:
    """At most ``limit`` HTML pages from ``start`` (every start page is read)."""
    found = Crawl()
    kinds: Counter = Counter()
    queue = deque((url, None) for url in start)
    queued = set(start)
    while queue and len(found.pages) < limit:
        url, origin = queue.popleft()
        kind = _kind(url)
        if origin is not None and kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        response = client.get(url, headers={"accept-language": language})
        if response.status_code >= 400:
            found.broken[url] = f"{response.status_code}, linked from {origin}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        found.pages[url] = page
        for href in HREF.findall(page):
            link = _same_site(href)
            if link and link not in queued:
                queued.add(link)
                queue.append((link, url))
    return found


# --- What a reader sees or hears ---------------------------------------------------------------

READ_OUT = re.compile(r'\b(?:title|aria-label|alt|placeholder|data-confirm|data-prompt)="([^"]*)"')
BUTTON_VALUE = re.compile(r'<input\b[^>]*\btype="(?:submit|button|reset)"[^>]*>')
VALUE = re.compile(r'\bvalue="([^"]*)"')


ZONE_OPTION = re.compile(r'<option value="([\w/+-]+)"[^>]*>([^<]*)</option>')


def _zone_as_named(match: re.Match) -> str:
    """A time zone CLDR has no name for in the reader's language is shown by its IANA name."""
    value, label = match.groups()
    return " " if value in zone_names() and label == value.replace("_", " ") else match[0]


def shown(page: str) -> str:
    """The page's visible text plus what is read out (title, aria-label, alt, placeholder, the
    confirmations buttons ask, the value of buttons); not scripts, styles or templates, nor
    ``<code>`` (field names, paths, headers: identifiers). Nothing is skipped for being marked
    in another language: every text is the reader's (the language switch names English as
    "English", which ``KEPT`` holds)."""
    page = re.sub(r"<(script|style|template|code)\b.*?</\1\s*>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = ZONE_OPTION.sub(_zone_as_named, page)
    read_out = READ_OUT.findall(page)
    read_out += [v for tag in BUTTON_VALUE.findall(page) for v in VALUE.findall(tag)]
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(text + " \n " + " \n ".join(read_out))


# Names that are the same in every language: the brand, standards and formats the pages name,
# the payment providers and the sites a member shares to or links by their own name.
KEPT = {
    "AHHHA",  # the site's name
    "API", "JSON", "OpenAPI", "CSV", "XLSX", "URL", "HTTP", "HTML", "ASCII", "Cookie",
    "JavaScript",  # technical names
    "GET", "POST", "PUT", "PATCH", "DELETE",  # HTTP methods (the API's reference and errors)
    "UTC", "ISO",  # time and standard names
    "IBAN", "BIC", "SEPA", "TARGET2", "Alipay", "PayPal", "Stripe",  # payment rails, providers
    "Markdown", "YouTube", "Vimeo",  # formats and video sites a member may link
    "JPEG", "PNG", "WebP", "PDF", "MP4", "WebM", "QuickTime", "MB",  # file formats and sizes
    "Facebook", "LinkedIn", "WhatsApp", "X",  # where the share buttons share to
    "Shopify",  # a shop whose export files the sales import reads
    "English",  # the language choice names each language in itself
}  # fmt: skip
# Codes: ISO 4217 currencies (CNY), IBAN and BIC starts (DE89), payment references (AHHHA-P4).
CODE = re.compile(r"[A-Z]{3}|[A-Z]{2}\d{2}|[A-Z]+(?:-[A-Z]*\d+)+")
URL_OR_MAIL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w])/[\w./?=&%{}-]*")
# File names: verify.py, docs/sales-import.md.
FILE_NAME = re.compile(r"[\w./-]+\.(?:py|md|csv|xlsx|xml|json)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def latin_words(text: str, names: set[str]) -> list[str]:
    """Latin words in a Chinese text, but for the names above, currency codes, addresses and
    the user names (``names``) of the world."""
    text = FILE_NAME.sub(" ", URL_OR_MAIL.sub(" ", text))
    found = set()
    for word in WORD.findall(text):
        word = word.strip("'’-")
        if word in KEPT or word in names or CODE.fullmatch(word):
            continue
        found.add(word)
    return sorted(found)


def han_words(text: str, people: str) -> list[str]:
    """Runs of Han characters in an English text that no person of the world wrote
    (``people``: their words joined), but for the language switch's own name for Chinese."""
    return sorted({run for run in HAN.findall(text) if run not in people and run != "简体中文"})
