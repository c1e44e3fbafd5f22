"""In a real Chromium with the Content-Security-Policy on: the pages that carry scripts, charts,
Markdown and video embeds run without a single CSP violation."""

import pytest

from ideas.models import Idea
from ideas.rendering import render_markdown
from ideas.video import video_embed_url
from tests.factories import idea_in_voting
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "A *kettle*.\n\n![tracking pixel](https://tracker.example/p.gif)\n\n![chart](/media/c.png)"
VIDEO = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


def _watch(page) -> list[str]:
    """The console messages about the policy, as Chromium logs them."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def _visit(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.locator(ready).first.wait_for()


def test_the_policy_is_seen_when_it_is_broken(page, live_server):
    """The control: what the other test looks for is what Chromium says."""
    violations = _watch(page)
    _visit(page, "/", "main")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan === undefined")
    assert violations


def test_pages_run_without_a_policy_violation(team, posted_settlement, page, live_server):
    idea = idea_in_voting(team.creator)
    Idea.objects.filter(pk=idea.pk).update(
        body=BODY,
        body_html=render_markdown(BODY),
        video_url=VIDEO,
        video_embed_url=video_embed_url(VIDEO),
    )
    violations = _watch(page)
    _visit(page, "/", "main")
    _visit(page, f"/ideas/{idea.pk}/", "#idea")
    assert page.locator("#idea a", has_text="tracking pixel").count() == 1
    page.click("[data-action=play-embed]")
    page.locator("iframe[src*='youtube-nocookie.com']").wait_for(state="attached")
    _visit(page, f"/products/{team.product.pk}/", "main")
    _visit(page, "/api/docs/", ".api-operation")
    browser_login(page, "fin")
    _visit(page, "/finance/", "#settlements-table")
    _visit(page, f"/finance/settlements/{posted_settlement.pk}/", ".legend")
    widths = page.eval_on_selector(".progress > span", "el => el.style.width")
    assert widths == "100%"
    page.wait_for_timeout(300)
    assert violations == []
