import io

import pytest

from ideas.models import Comment, Flag, Idea, IdeaStatus
from tests.module_data import module_data

# The two tests share one build of the ideas demo (tests/module_data.py), on one xdist worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("ideas_demo")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The members' and the ideas' parts of the demo; what they printed."""
    from accounts import demo as accounts_demo
    from ideas import demo

    def seed() -> str:
        out = io.StringIO()
        accounts_demo.seed(out)
        demo.seed(out)
        return out.getvalue()

    with module_data(django_db_blocker, tmp_path_factory, seed) as text:
        yield text


def test_the_demo_has_ideas_in_every_state_and_lively_discussions(seeded):
    from voting import demo as voting_demo

    voting_demo.seed_reviewed_ideas()  # the ideas meant for review/rejection get their votes
    states = {s: Idea.objects.filter(status=s).count() for s in IdeaStatus.values}
    for state in ("draft", "voting", "rejected", "expired", "withdrawn"):
        assert states[state] >= 2, state
    assert states["review"] >= 8
    assert Idea.objects.count() >= 30
    assert len(set(Idea.objects.values_list("title", flat=True))) == Idea.objects.count()
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(is_suggestion=True, contribution__kind="suggestion").exists()
    assert Flag.objects.filter(status="open").exists()
    published = Idea.objects.exclude(published_at=None)
    assert len({i.published_at.date() for i in published}) > 10  # spread over weeks
    assert "Demo ideas" in seeded


def test_a_visitor_meets_the_demo_in_both_languages(client, seeded):
    kettle = Idea.objects.get(title="太阳能水壶")
    assert kettle.creator.display_name == "李华"
    assert "<h2>问题</h2>" in kettle.body_html
    assert Comment.objects.filter(idea=kettle, body__contains="建议").exists()
    home = client.get("/?tab=new").content.decode()
    assert "太阳能水壶" in home and "Electric cargo trailer for any bike" in home
    found = client.get("/search/", {"q": "露营"}).content.decode()
    assert "太阳能水壶" in found
