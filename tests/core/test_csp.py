"""The Content-Security-Policy: sent on every page, and nothing in the templates needs it
loosened (no inline scripts, event handlers or style attributes)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=|<style\b", re.IGNORECASE)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/ideas/new/", "/products/", "/accounts/login/", "/api/docs/"]
)
def test_every_page_carries_the_policy(client, make_user, url):
    client.force_login(make_user("reader"))
    policy = _policy(client.get(url))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["img-src"] == "img-src 'self' data:"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    frames = policy["frame-src"].split()[1:]
    assert sorted(frames) == ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]


@pytest.mark.django_db
def test_the_api_docs_are_a_page_of_the_site_without_a_script_of_their_own(client):
    page = client.get("/api/docs/").content.decode()
    scripts = SCRIPT.findall(page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "swagger" not in page.lower() and 'class="brand"' in page


def test_the_scan_finds_templates():
    assert len(_templates()) > 20


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_an_inline_script_handler_or_style(template):
    text = template.read_text()
    inline = [attributes for attributes in SCRIPT.findall(text) if "src=" not in attributes]
    assert inline == [], "move the script to a static file"
    assert HANDLER.findall(text) == [], "attach the handler from a static script"
    assert STYLE.findall(text) == [], "use a class (static CSS) or data-width"
