"""Every queue is reachable from the navigation, with the number of items waiting in it."""

import re

import pytest

from ideas.models import Idea, IdeaStatus
from tests import factories

pytestmark = pytest.mark.django_db


def nav(client) -> str:
    page = client.get("/").content.decode()
    return page[
        page.index('<nav class="nav"') : page.index("</nav>", page.index('<nav class="nav"'))
    ]


def waiting(html: str, href: str) -> str:
    """The link's visible count ('' when nothing waits)."""
    link = re.search(rf'<a href="{href}">(.*?)</a>', html, re.S)
    assert link, f"no link to {href}"
    badge = re.search(r'class="badge"[^>]*>(\d+)<', link.group(1))
    return badge.group(1) if badge else ""


def test_a_reviewer_sees_each_queue_with_what_waits_in_it(client):
    reviewer = factories.make_user("rita", role="reviewer")
    creator = factories.make_user("cara")
    idea = factories.make_idea(creator=creator, title="Solar kettle", publish=True)
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.REVIEW)
    client.force_login(reviewer)
    html = nav(client)
    assert waiting(html, "/review/") == "1"
    assert waiting(html, "/review/contributions/") == ""  # nothing to review: no badge
    assert waiting(html, "/review/moderation/") == ""
    assert "(1 waiting)" in html
    assert "/finance/payments/" not in html


def test_finance_sees_payments_and_a_member_sees_no_queue(client):
    client.force_login(factories.make_user("fiona", role="finance"))
    html = nav(client)
    assert '<a href="/finance/payments/">' in html and "/review/" not in html
    client.force_login(factories.make_user("mia"))
    html = nav(client)
    assert "/review/" not in html and "/finance/" not in html


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_the_language_switch_names_each_language_in_itself(client, language):
    """Its options are marked with their language (lang="en"): their words are that language's,
    "English" on a Chinese page too (Django's translated name was 英语, marked English)."""
    page = client.get("/", headers={"accept-language": language}).content.decode()
    options = re.findall(r'<option value="[^"]*" lang="([^"]*)"[^>]*>([^<]*)</option>', page)
    assert options == [("en", "English"), ("zh-hans", "简体中文")]
