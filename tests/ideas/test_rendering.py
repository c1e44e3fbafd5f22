from ideas.rendering import render_markdown


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
        '<img src="https://e.org/a.png" onerror="alert(1)"> <b onclick="x()">b</b>'
    )
    assert "onerror" not in html
    assert "onclick" not in html
    assert 'src="https://e.org/a.png"' in html


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
