"""The home page lists live ideas, filtered by state and category, with their progress on the
cards: what a visitor looking for something to back would check."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Pledge
from ideas.models import Category, IdeaStatus
from ideas.transitions import idea_transition
from tests.factories import (
    idea_in_funding,
    idea_in_review,
    idea_in_voting,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db


def _titles(client, query: str = "") -> list[str]:
    html = client.get(f"/{query}").content.decode()
    return re.findall(r'<h3><a href="/ideas/\d+/">([^<]+)</a></h3>', html)


@pytest.fixture
def world(settings):
    settings.VOTE_THRESHOLD = 10
    carla, rita = make_user("carla"), make_user("rita", role="reviewer")
    gadgets = Category.objects.create(name="Gadgets", slug="gadgets")
    voting = idea_in_voting(carla, title="Voting kettle", category=gadgets)
    idea_in_voting(carla, title="Voting lamp")
    funding = idea_in_funding(carla, rita, title="Funding bell", goal=10_000)
    make_product(carla, reviewer=rita, title="Product clock")
    dead = idea_in_voting(carla, title="Rejected chair")
    idea_transition(idea=dead, to_status=IdeaStatus.REVIEW, reason="Threshold.")
    idea_transition(idea=dead, to_status=IdeaStatus.REJECTED, actor=rita, reason="No.")
    dead.votes_folded = 999  # the most voted of all: "Top" used to lead with it
    dead.save()
    expired = idea_in_voting(carla, title="Expired mug")
    idea_transition(idea=expired, to_status=IdeaStatus.EXPIRED, reason="Window ended.")
    return {"voting": voting, "funding": funding, "gadgets": gadgets, "rita": rita}


def test_only_live_ideas_are_listed_and_top_is_the_top_of_those(client, world):
    for tab in ("hot", "top", "new"):
        titles = _titles(client, f"?tab={tab}")
        assert "Rejected chair" not in titles and "Expired mug" not in titles, tab
        assert {"Voting kettle", "Voting lamp", "Funding bell", "Product clock"} <= set(titles)
    # Ended ideas are still found through search.
    assert "Rejected chair" in client.get("/search/?status=rejected").content.decode()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("voting", {"Voting kettle", "Voting lamp"}),
        ("funding", {"Funding bell"}),
        ("products", {"Product clock"}),
        ("nonsense", {"Voting kettle", "Voting lamp", "Funding bell", "Product clock"}),
    ],
)
def test_the_state_filter_lists_what_it_says(client, world, state, expected):
    assert set(_titles(client, f"?state={state}")) >= expected
    assert set(_titles(client, f"?state={state}")) - expected <= (
        {"Voting kettle", "Voting lamp", "Funding bell", "Product clock"}
        if state == "nonsense"
        else set()
    )


def test_the_category_filter_keeps_the_tab_and_the_state(client, world):
    assert _titles(client, "?tab=new&state=voting&category=gadgets") == ["Voting kettle"]
    html = client.get("/?tab=top&state=voting&category=gadgets").content.decode()
    assert 'href="?tab=new&amp;state=voting&amp;category=gadgets"' in html  # tabs keep filters
    assert '<option value="gadgets" selected>' in html
    assert "Clear the filters" in html
    assert "No live idea matches" in client.get("/?state=funding&category=gadgets").content.decode()


def test_cached_cards_are_kept_apart_per_filter(client, world, settings):
    settings.IDEA_LIST_CACHE_SECONDS = 60
    assert set(_titles(client, "?state=voting")) == {"Voting kettle", "Voting lamp"}
    assert _titles(client, "?state=funding") == ["Funding bell"]


def test_cards_show_vote_progress_and_percent_funded(client, world):
    voting, funding = world["voting"], world["funding"]
    voting.votes_folded = 4
    voting.save()
    Pledge.objects.create(idea=funding, member=make_user("bea"), amount=2_500, currency="EUR")
    Pledge.objects.create(idea=funding, member=make_user("bo"), amount=1_250, currency="EUR")
    html = client.get("/?tab=new").content.decode()
    assert "4 of 10 votes" in html
    assert 'aria-label="4 of 10 votes needed for review"' in html and 'data-width="40"' in html
    assert "37% funded" in html and 'data-width="37"' in html


def test_funding_cards_cost_one_query_however_many_there_are(client, world):
    rita, carla = world["rita"], make_user("cara")
    with CaptureQueriesContext(connection) as one:
        client.get("/?state=funding")
    for n in range(5):
        idea = idea_in_funding(carla, rita, title=f"More funding {n}")
        Pledge.objects.create(idea=idea, member=make_user(f"b{n}"), amount=100, currency="EUR")
    with CaptureQueriesContext(connection) as six:
        html = client.get("/?state=funding").content.decode()
    assert html.count("% funded</p>") == 6
    assert len(one.captured_queries) == len(six.captured_queries)


def test_ideas_in_review_stay_on_the_home_page(client, world):
    idea_in_review(make_user("rev"), title="Waiting ladder")
    assert "Waiting ladder" in _titles(client, "?tab=new")
