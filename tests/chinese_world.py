"""A world whose people write only Chinese, and detectors of the site's own words in the wrong
language (used by tests/core/test_every_page_in_its_language.py).

The world is the demo (``seed_demo``: every state an idea, a product, a claim, a settlement and a
payout batch can reach) with one change: everything a person types — names, titles, summaries,
bodies, comments, reasons, notes, tags — is turned into Chinese as it is saved, and every
member reads Chinese. What the site writes itself (texts from its catalog, stored today in the
language of whoever acted) is left exactly as the site wrote it, so English left there shows.
"""

import functools
import html
import re
import zlib
from contextlib import contextmanager
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.db.models.signals import pre_save

# The people's words are made of the heavenly stems and earthly branches: Chinese, and never
# the site's own vocabulary.
STEMS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def chinese(text: str) -> str:
    """Every Latin word of ``text`` becomes a Chinese word of two or three characters (the same
    word always the same); digits, punctuation and line breaks stay."""

    def word(match: re.Match) -> str:
        number = zlib.crc32(match.group().lower().encode())
        size = 2 + number % 2
        return "".join(STEMS[(number >> (5 * i)) % len(STEMS)] for i in range(size))

    return LATIN_WORD.sub(word, text)


def chinese_html(markup: str) -> str:
    """``chinese`` on the text between tags only (links and attributes stay working)."""
    parts = re.split(r"(<[^>]+>)", markup)
    return "".join(p if p.startswith("<") else chinese(p) for p in parts)


@functools.cache
def _catalog_shapes() -> list[tuple[int, re.Pattern]]:
    """The English texts the site's catalog can produce: (length of the words, a pattern where
    placeholders match anything)."""
    po = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"
    with po.open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    shapes = {}
    for msgid in ids:
        for text in msgid if isinstance(msgid, tuple) else (msgid,):
            pieces = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", text)
            if len(LATIN_WORD.findall("".join(pieces))) < 2:
                continue  # "%(name)s: %(text)s" would match anything a person wrote
            pattern = ".+?".join(re.escape(p) for p in pieces)
            shapes[pattern] = len("".join(pieces))
    return [(size, re.compile(pattern, re.S)) for pattern, size in shapes.items()]


# What fills a catalog text's placeholders (names, titles, amounts) is at most this long.
FILLED = 300


def from_the_catalog(text: str) -> bool:
    text = text.strip()
    return any(
        size <= len(text) <= size + FILLED and pattern.fullmatch(text)
        for size, pattern in _catalog_shapes()
    )


def _typed_fields():
    from accounts.models import ApiToken, User
    from community.models import IdeaUpdate
    from contributions.models import Contribution
    from funding.models import ReviewDecision
    from ideas.models import Comment, Flag, Idea, IdeaTransition, ModerationEvent, Tag
    from payouts.models import Period, Settlement

    return {
        User: ["display_name"],
        Idea: ["title", "summary", "body", "hidden_reason", "body_html"],
        Comment: ["body", "hidden_reason", "body_html"],
        Flag: ["reason"],
        ModerationEvent: ["reason"],
        IdeaTransition: ["reason"],
        ReviewDecision: ["reason"],
        Contribution: ["description", "decision_reason"],
        Period: ["notes"],
        Settlement: ["discard_reason", "reversal_reason"],
        IdeaUpdate: ["body", "body_html"],
        Tag: ["name"],
        ApiToken: ["name"],
    }


@contextmanager
def people_write_chinese():
    """While active, what people type is saved in Chinese and every member reads Chinese."""
    from accounts.models import User

    fields = _typed_fields()

    def to_chinese(sender, instance, **kwargs):
        for name in fields[sender]:
            value = getattr(instance, name)
            if not value or not LATIN_WORD.search(value) or from_the_catalog(value):
                continue
            words = chinese_html(value) if name.endswith("html") else chinese(value)
            setattr(instance, name, words)
        if sender is User:
            instance.language = "zh-hans"

    for model in fields:
        pre_save.connect(to_chinese, sender=model, weak=False, dispatch_uid=f"zh-{model.__name__}")
    try:
        yield
    finally:
        for model in fields:
            pre_save.disconnect(sender=model, dispatch_uid=f"zh-{model.__name__}")


def people_words() -> tuple[set[str], str]:
    """What people wrote, as read back from the database: their user names (Latin, allowed on
    Chinese pages) and every Han run of their texts joined (allowed on English pages)."""
    from accounts.models import User

    names = set(User.objects.values_list("username", flat=True))
    han = []
    for model, fields in _typed_fields().items():
        for row in model.objects.values_list(*fields):
            han += [run for value in row if value for run in HAN.findall(value)]
    return names, "\n".join(han)


# --- What a reader sees --------------------------------------------------------------------------

SHOWN_ATTRIBUTES = re.compile(
    r'(?:placeholder|aria-label|title|alt|data-confirm|data-prompt|label)="([^"]*)"'
    r'|<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"'
)
HIDDEN_VALUE = re.compile(r'<input[^>]*type="(?:hidden|checkbox|radio|email|url|password)"[^>]*>')
# Brand, standards, formats and products named by their own names.
KEPT = {
    "AHHHA", "API", "UTC", "CSV", "XLSX", "JSON", "Markdown", "JavaScript", "YouTube", "Vimeo",
    "MB", "KB", "GB", "IBAN", "BIC", "SEPA", "Alipay", "Stripe", "OpenAPI", "Swagger", "URL",
    "PDF", "PNG", "JPEG", "WebP", "MP4", "WebM", "English", "pain", "OK", "ID",
    "QuickTime", "Facebook", "LinkedIn", "WhatsApp", "Weibo", "X",
}  # fmt: skip
CODE = re.compile(r"[A-Z]{2,}|[A-Z]+-[\w-]+")  # currency codes, BICs, references
# Proper names of the site's configuration (the payee account's holder).
PROPER_NAMES = re.compile(r"AHHHA Platform")
URL_OR_MAIL = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|\b[\w-]+\.(?:org|com|local|xml)\b|/\S*")


def shown_text(page: str) -> str:
    """The text a reader of the page sees or hears: its visible text and the attributes that
    are read out or shown (not scripts, styles, the time-zone names or hidden values)."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<select[^>]*name="time_zone".*?</select>', " ", page, flags=re.S)
    page = re.sub(r"<textarea\b.*?</textarea>", " ", page, flags=re.S)  # what the member typed
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)  # names of fields, types, paths
    page = HIDDEN_VALUE.sub(" ", page)
    # The API reference's operation descriptions: the API's docstrings, marked as English.
    page = re.sub(r'<(\w+)[^>]*class="api-reference"[^>]*>.*?</\1>', " ", page, flags=re.S)
    shown = " ".join(" ".join(pair) for pair in SHOWN_ATTRIBUTES.findall(page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + shown)


def latin_words(text: str, names: set[str]) -> list[str]:
    """Latin words in Chinese text, besides brand and technical names, codes and user names."""
    text = PROPER_NAMES.sub(" ", URL_OR_MAIL.sub(" ", text))
    found = []
    for word in re.findall(r"@?[A-Za-z][A-Za-z0-9_.'’-]*", text):
        bare = word.lstrip("@").rstrip(".")
        if bare in KEPT or bare in names or CODE.fullmatch(bare) or re.search(r"\d", bare):
            continue
        found.append(bare)
    return sorted(set(found))


def han_words(text: str, people: str) -> list[str]:
    """Han characters in English text that no person of the world wrote."""
    return sorted({run for run in HAN.findall(text) if run not in people and run != "简体中文"})
