"""What only PostgreSQL can show: full-text search with weights and its index, and races."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection

from contributions.models import Contribution
from core.errors import Conflict
from ideas.models import Comment, Idea
from ideas.selectors import idea_list, idea_search
from ideas.services import comment_accept, comment_create, idea_create, idea_publish


@pytest.mark.django_db
def test_search_weighs_title_over_summary_over_body(make_idea):
    in_body = make_idea("Garden thing", summary="For plants", body="It has a solar panel.")
    in_summary = make_idea("Garden lamp", summary="A solar light", body="Glows at night.")
    in_title = make_idea("Solar shower", summary="Warm water", body="Hang it in a tree.")
    found = list(idea_list(ordering="", q="solar"))
    assert found == [in_title, in_summary, in_body]


@pytest.mark.django_db
def test_search_understands_stems_phrases_and_exclusions(make_idea):
    kettles = make_idea("Folding kettles", summary="Boil", body="Camping stoves")
    cups = make_idea("Folding cups", summary="Drink", body="Camping gear")
    assert list(idea_list(ordering="", q="kettle")) == [kettles]
    assert set(idea_list(ordering="", q="folding -kettle")) == {cups}
    assert list(idea_list(ordering="", q='"folding cups"')) == [cups]


@pytest.mark.django_db
def test_search_uses_the_gin_index(make_idea):
    make_idea("Solar kettle")
    with connection.cursor() as cursor:
        # A tiny table is cheaper to scan; forbid that so the plan shows the index is usable.
        # Plain index scans of another index (walking a tiny table, filtering each row) are
        # cheap too; forbid them as well, so the plan shows the search can use its own index.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plan = idea_search(Idea.objects.only("id"), "solar", rank=False).explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "idea_search_vector_gin" in plan, plan


@pytest.mark.django_db
def test_search_ranks_its_best_known_matches_and_counts_cheaply(client, make_idea, monkeypatch):
    """Only the SEARCH_RANK_WINDOW matches with the highest hot score are ranked (the best
    first), the rest follow in hot order; past SEARCH_EXACT_COUNT the count is "about"."""
    from django.db.models import F

    from ideas import ranked_search, selectors

    monkeypatch.setattr(ranked_search, "SEARCH_RANK_WINDOW", 2)
    in_body = make_idea("Garden thing", summary="For plants", body="It has a solar panel.")
    in_title = make_idea("Solar shower", summary="Warm water", body="Hang it in a tree.")
    unpopular = make_idea("Solar lamp", summary="Light", body="Solar, solar.")
    Idea.objects.filter(pk=in_body.pk).update(votes_folded=F("votes_folded") + 90)
    Idea.objects.filter(pk=in_title.pk).update(votes_folded=F("votes_folded") + 50)
    make_idea("Bike lock")
    results = ranked_search.idea_search_ranked(selectors.idea_list(ordering=""), "solar")
    assert results.count() == 3 and not results.estimated
    # The window (the two hottest matches) ranked by relevance, then the rest by hot score.
    assert results[0:3] == [in_title, in_body, unpopular]
    assert results[1:3] == [in_body, unpopular] and results[2:20] == [unpopular]
    page = client.get("/search/?q=solar").content.decode()
    assert "3 ideas" in page
    assert page.index("Solar shower") < page.index("Garden thing") < page.index("Solar lamp")
    monkeypatch.setattr(ranked_search, "SEARCH_EXACT_COUNT", 1)
    cache.clear()  # the results of a query are cached (ideas.listcache); count them afresh
    page = client.get("/search/?q=solar").content.decode()
    assert "About " in page and " ideas" in page


@pytest.mark.django_db
def test_the_search_vector_follows_edits(make_idea, creator):
    from ideas.services import idea_update

    idea = make_idea("Bike lock")
    idea_update(idea=idea, actor=creator, title="Smart padlock")
    assert list(idea_list(ordering="", q="padlock")) == [idea]
    assert list(idea_list(ordering="", q="bike")) == []


@pytest.mark.django_db(transaction=True)
def test_two_tabs_accepting_the_same_suggestion_make_one_claim(make_user):
    creator = make_user("carla2")
    suggester = make_user("sam2")
    idea = idea_create(creator=creator, title="Kettle", summary="S", body="B")
    idea_publish(idea=idea, actor=creator)
    comment = comment_create(idea=idea, author=suggester, body="Add a lid", is_suggestion=True)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def accept():
        try:
            barrier.wait()
            mine = Comment.objects.select_related("idea").get(pk=comment.pk)
            comment_accept(comment=mine, actor=creator)
            outcomes.append("accepted")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["accepted", "conflict", "conflict", "conflict"]
    assert Contribution.objects.filter(member=suggester).count() == 1
