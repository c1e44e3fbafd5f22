"""Markdown → safe HTML, done once when an idea or a comment is saved.

Three steps, each linear in the length of the text (bench/markdown_bench.py measures them on
the pathological inputs at the longest body the site takes):

1. ``pyromark`` (pulldown-cmark, CommonMark + GFM tables and strikethrough) renders the text.
   Python-Markdown's link and image patterns were quadratic (19 s for ``"[" * 8000``).
2. ``_guard`` walks the tags once: it keeps at most ``MAX_DEPTH`` nested elements (the HTML
   parser inside nh3 is quadratic in nesting depth: 25,000 nested block quotes took 4 s), drops
   tags nh3 would strip anyway, and turns images that are not the site's own uploads into links
   (so no tracking pixel fires when a page is read).
3. nh3 (a whitelist sanitiser) is the final gate: no ``<script>``/``<style>``/``<iframe>``, no
   ``on*`` event handlers, no ``style``, only http/https/mailto URLs (so no ``javascript:`` or
   ``data:``), every link gets ``rel="nofollow noopener"``, and an ``<img>`` keeps its ``src``
   only when it points at the site's uploads (a backstop for whatever step 2 did not see).
"""

import html
import re
from urllib.parse import urlsplit

import nh3
import pyromark
from django.conf import settings

MAX_DEPTH = 48
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
_BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th"}
_INLINE_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "del", "s", "sup", "sub", "td", "img", "span",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
_VOID = {"br", "hr", "img"}
# Their content is removed by nh3: keep the tags so it still knows what to remove.
_CONTENT_TAGS = {"script", "style"}
# A tag, or (first group) a whole inline element holding only text, like ``<em>a</em>``: it is
# balanced and one level deep, so it passes as it is (most of the tags of an emphasis-heavy
# text). Table parts are left alone (they cannot nest without a <table>, which is counted).
_TAG = re.compile(
    r"(<(em|strong|del|code|b|i|s|sub|sup|span)>[^<]*</\2>)"
    r"|<(/?)(?!(?i:tr|td|th|thead|tbody)[\t\n\f\r />])([A-Za-z][^\t\n\f\r />]*)([^>]*)>"
)
# A line opening more than MAX_DEPTH quotes or list items at once keeps the first MAX_DEPTH
# (the guard below would drop the rest; doing it in the text is a hundred times faster).
_MARKER = r"[ \t]{0,3}(?:>|[*+-][ \t]|\d{1,9}[.)][ \t])[ \t]*"
_DEEP_LINE = re.compile(rf"^((?:{_MARKER}){{{MAX_DEPTH}}})(?:{_MARKER})+", re.MULTILINE)
# pulldown-cmark writes a column's alignment as a style attribute, which the Content-Security-
# Policy (style-src 'self') would refuse and nh3 strips: the table keeps it as ``align``.
_ALIGN = re.compile(r'<(t[hd]) style="text-align: (left|center|right)">')
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def render_markdown(text: str, *, comment: bool = False) -> str:
    """The sanitised HTML of ``text``. Comments get a smaller set of tags (no headings, tables)."""
    tags = _INLINE_TAGS if comment else _INLINE_TAGS | _BLOCK_TAGS
    rendered = pyromark.html(_DEEP_LINE.sub(r"\1", text or ""), options=_OPTIONS)
    rendered = _ALIGN.sub(r'<\1 align="\2">', rendered)
    return nh3.clean(
        _guard(rendered, tags),
        tags=tags,
        clean_content_tags=_CONTENT_TAGS,
        attributes={k: v for k, v in _ATTRIBUTES.items() if k in tags},
        attribute_filter=_local_images_only,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    ).rstrip("\n")


def is_own_upload(url: str) -> bool:
    """Whether ``url`` is a file the site serves from MEDIA_URL (a path, or the site's host)."""
    url = url.strip()
    if not url or "\\" in url or "%2e" in url.lower() or any(ord(c) < 33 for c in url):
        return False
    media = urlsplit(settings.MEDIA_URL)
    parts = urlsplit(url)
    if "/../" in f"{parts.path}/" or "/./" in f"{parts.path}/":
        return False
    if parts.scheme or parts.netloc:
        if media.netloc:
            same_origin = (parts.scheme, parts.netloc) == (media.scheme, media.netloc)
        else:
            site = urlsplit(settings.SITE_URL)
            same_origin = (parts.scheme, parts.netloc) == (site.scheme, site.netloc)
        if not same_origin:
            return False
    elif media.netloc:
        return False
    return parts.path.startswith(media.path)


def _local_images_only(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not is_own_upload(value):
        return None
    return value


def _guard(rendered: str, tags: set[str]) -> str:
    """``rendered`` with at most MAX_DEPTH open elements, without tags nh3 would strip, and with
    images from elsewhere as links. One pass; nh3 still checks everything that comes out."""
    parts = _TAG.split(rendered)  # text, then (element, _, slash, name, attributes, text)…
    out = [parts[0]]
    open_tags: list[tuple[str, bool]] = []  # (name, kept)
    depth = 0  # kept elements open
    tokens = iter(parts[1:])
    for element, _, slash, raw, attributes, text in zip(*[tokens] * 6, strict=True):
        if element:
            out.append(element)
            out.append(text)
            continue
        name = raw.lower()
        if name in tags:
            if slash:
                depth -= _close(open_tags, name, out, raw)
            elif name == "img":
                out.append(_image(attributes))
            elif name in _VOID:
                out.append(f"<{raw}{attributes}>")
            else:
                kept = depth < MAX_DEPTH
                open_tags.append((name, kept))
                if kept:
                    depth += 1
                    out.append(f"<{raw}{attributes}>")
        elif name in _CONTENT_TAGS:
            out.append(f"<{slash}{raw}{attributes}>")
        out.append(text)
    return "".join(out)


def _close(open_tags: list[tuple[str, bool]], name: str, out: list[str], raw: str) -> int:
    """Close the innermost open ``name`` (and what it encloses) among the last few; the number
    of kept elements closed. A closing tag with nothing to close is dropped."""
    for index in range(len(open_tags) - 1, max(-1, len(open_tags) - 1 - MAX_DEPTH * 2), -1):
        if open_tags[index][0] == name:
            closed = open_tags[index:]
            del open_tags[index:]
            if closed[0][1]:
                out.append(f"</{raw}>")
            return sum(1 for _name, kept in closed if kept)
    return 0


def _image(attributes: str) -> str:
    values = {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(attributes)
    }
    src = values.get("src", "")
    if is_own_upload(src):
        return f"<img{attributes}>"
    label = values.get("alt") or src or "image"
    return f'<a href="{html.escape(src)}">{html.escape(label)}</a>'
