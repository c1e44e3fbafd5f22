import re
from html.parser import HTMLParser

import pytest

from bench.markdown_bench import normal_document, patterns
from ideas.rendering import MAX_DEPTH, is_own_upload, render_markdown


def test_markdown_becomes_html():
    html = render_markdown("# Title\n\nSome **bold** and a [link](https://example.org).")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Hi <script>alert('x')</script> there")
    assert "<script" not in html
    assert "alert" not in html


def test_event_handlers_are_removed():
    html = render_markdown(
        '<img src="/media/ideas/a.png" onerror="alert(1)"> <b onclick="x()">b</b>'
    )
    assert "onerror" not in html
    assert "onclick" not in html
    assert 'src="/media/ideas/a.png"' in html


def test_javascript_links_lose_their_href():
    html = render_markdown("[click](javascript:alert(1)) <a href='JaVaScRiPt:alert(2)'>x</a>")
    assert "javascript" not in html.lower()


def test_links_get_nofollow_noopener():
    html = render_markdown("[site](https://example.org)")
    assert 'rel="nofollow noopener"' in html


def test_iframes_styles_and_data_urls_are_refused():
    html = render_markdown(
        '<iframe src="https://evil.example"></iframe><p style="color:red">x</p>'
        '<a href="data:text/html,<script>alert(1)</script>">d</a>'
    )
    assert "<iframe" not in html
    assert "style=" not in html
    assert "data:" not in html


def test_comments_get_no_headings():
    assert "<h1>" not in render_markdown("# Loud", comment=True)


def test_images_from_the_sites_uploads_are_shown(settings):
    settings.SITE_URL = "https://ahhha.example"
    html = render_markdown(
        "![chart](/media/ideas/chart.png) ![logo](https://ahhha.example/media/logo.png)"
    )
    assert '<img src="/media/ideas/chart.png" alt="chart">' in html
    assert '<img src="https://ahhha.example/media/logo.png" alt="logo">' in html


@pytest.mark.parametrize(
    "source",
    [
        "![pixel](https://tracker.example/p.gif)",
        "![pixel](//tracker.example/media/p.gif)",
        "![pixel](/static/p.gif)",
        "![pixel](/media/../api/v1/ideas/)",
        '<img src="https://tracker.example/p.gif" alt="pixel">',
        "<IMG SRC='https://tracker.example/p.gif' alt=pixel>",
    ],
)
def test_images_from_elsewhere_become_links_so_nothing_loads(source):
    html = render_markdown(source)
    assert "<img" not in html
    assert ">pixel</a>" in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.parametrize(
    "url, own",
    [
        ("/media/ideas/a.png", True),
        ("https://ahhha.example/media/a.png", True),
        ("http://ahhha.example/media/a.png", False),
        ("https://ahhha.example.evil/media/a.png", False),
        ("//tracker.example/media/a.png", False),
        ("/media/%2e%2e/admin/", False),
        ("/media\\..\\a.png", False),
        ("media/a.png", False),
        ("javascript:alert(1)", False),
    ],
)
def test_only_the_sites_uploads_count_as_its_own_images(settings, url, own):
    """The sanitiser keeps an <img src> only when this says yes (behind the guard's links)."""
    settings.SITE_URL = "https://ahhha.example"
    assert is_own_upload(url) is own


class _Depth(HTMLParser):
    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)


def _read(html: str) -> _Depth:
    parser = _Depth()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("name", ["link openers [", "image openers ![", "unclosed links [a]("])
def test_the_patterns_that_were_quadratic_render_as_the_text_typed(name):
    text = patterns()[name]
    html = render_markdown(text)
    assert "<a" not in html
    assert "<img" not in html
    assert "".join(_read(html).text).strip() == text


@pytest.mark.parametrize("name", list(patterns()))
def test_every_pathological_text_renders_balanced_and_at_most_max_depth_deep(name):
    parser = _read(render_markdown(patterns()[name]))
    assert parser.depth == 0
    assert parser.deepest <= MAX_DEPTH + 4  # the guard's limit, plus the table parts it leaves


def test_deep_quotes_keep_their_words_and_the_first_levels():
    html = render_markdown("> " * 1000 + "deep words")
    assert html.count("<blockquote>") == MAX_DEPTH
    assert "deep words" in html


def test_deep_raw_html_keeps_its_text_but_not_the_excess_levels():
    html = render_markdown("<ul><li>" * 5000 + "inner")
    assert html.count("<ul>") <= MAX_DEPTH
    assert "inner" in html


def test_a_normal_long_document_renders_whole():
    html = render_markdown(normal_document())
    sections = normal_document().count("## A heading")
    assert html.count("<h2>A heading</h2>") == sections
    assert html.count('<img src="/media/ideas/chart.png" alt="chart">') >= sections - 1
    assert len(re.findall(r"<table>", html)) >= sections - 1


def test_table_columns_keep_their_alignment_without_a_style_attribute():
    html = render_markdown("| item | qty | price |\n|:--|:-:|--:|\n| kettle | 2 | 19.90 |")
    assert '<th align="left">item</th><th align="center">qty</th><th align="right">price</th>' in (
        html
    )
    assert '<td align="right">19.90</td>' in html
    assert "style" not in html
