"""Markdown → safe HTML, done once when an idea or a comment is saved.

Markdown passes raw HTML through, so the output always goes through nh3 (a whitelist
sanitiser): no ``<script>``/``<style>``/``<iframe>``, no ``on*`` event handlers, no ``style``,
only http/https/mailto URLs (so no ``javascript:`` or ``data:``), and every link gets
``rel="nofollow noopener"``.
"""

import markdown
import nh3

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
_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]


def render_markdown(text: str, *, comment: bool = False) -> str:
    """The sanitised HTML of ``text``. Comments get a smaller set of tags (no headings, tables)."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, output_format="html")
    tags = _INLINE_TAGS if comment else _INLINE_TAGS | _BLOCK_TAGS
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes={k: v for k, v in _ATTRIBUTES.items() if k in tags},
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
