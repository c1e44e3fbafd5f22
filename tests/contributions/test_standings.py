"""The stored contribution table: rebuilt after every approved change, read a page at a time,
identical to the table computed live; a large table being rebuilt is served as last built."""

import pytest

from contributions import standings as st
from contributions.models import Contribution, Standing, StandingBuild
from contributions.selectors import contribution_table
from contributions.services import contribution_approve, contribution_submit

pytestmark = pytest.mark.django_db


def _claim_and_approve(product, member, reviewer, points, capture):
    claim = contribution_submit(
        product=product,
        member=member,
        kind="design",
        description="Drew the hinge.",
        proposed_points=10,
    )
    with capture(execute=True):
        contribution_approve(contribution=claim, reviewer=reviewer, points=points)
    return claim


def test_an_approval_stores_the_table_as_the_live_one(
    product, people, client, django_capture_on_commit_callbacks
):
    _claim_and_approve(
        product, people.alice, people.reviewer, 120, django_capture_on_commit_callbacks
    )
    build = StandingBuild.objects.get(idea=product.idea)
    assert build.built_version == build.version and build.contributors == 2
    live = contribution_table(idea=product.idea)
    stored = st.standings(idea=product.idea)
    assert isinstance(stored, st.StoredTable)
    assert [(r.member_id, r.points, r.share) for r in stored] == [
        (r.member_id, r.points, r.share) for r in live
    ]
    assert stored.total_points == sum(r.points for r in live) == 420
    summary = client.get(f"/api/v1/products/{product.pk}/").json()["contribution_summary"]
    assert (summary["contributor_count"], summary["total_points"]) == (2, 420)
    rows = client.get(f"/api/v1/products/{product.pk}/contributions/?page_size=1&page=2").json()
    assert rows["count"] == 2 and rows["results"][0]["member"] == people.alice.pk


def test_pages_read_rows_by_rank(product, people, django_capture_on_commit_callbacks):
    _claim_and_approve(
        product, people.alice, people.reviewer, 50, django_capture_on_commit_callbacks
    )
    stored = st.standings(idea=product.idea)
    assert len(stored) == 2
    assert [r.points for r in stored[0:1]] == [300] and [r.points for r in stored[1:2]] == [50]
    assert Standing.objects.filter(idea=product.idea).count() == 2


def test_a_large_table_being_rebuilt_is_served_as_last_built(
    product, people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(st, "SYNC_LIMIT", 0)  # every table counts as large
    st.standings_rebuild(idea_id=product.idea_id)  # stored: bob, 300 points
    claim = contribution_submit(
        product=product,
        member=people.alice,
        kind="design",
        description="Drew the hinge.",
        proposed_points=10,
    )
    contribution_approve(contribution=claim, reviewer=people.reviewer, points=80)  # no commit yet
    stale = st.standings(idea=product.idea)
    assert isinstance(stale, st.StoredTable) and stale.updating
    assert [r.points for r in stale] == [300]
    st.standings_rebuild(idea_id=product.idea_id)  # what the task does
    fresh = st.standings(idea=product.idea)
    assert not fresh.updating and [r.points for r in fresh] == [300, 80]


def test_a_rebuild_twice_changes_nothing(product):
    first = st.standings_rebuild(idea_id=product.idea_id)
    ids = list(Standing.objects.values_list("pk", flat=True))
    second = st.standings_rebuild(idea_id=product.idea_id)
    assert first.built_version == second.built_version
    assert list(Standing.objects.values_list("pk", flat=True)) == ids
    assert Contribution.objects.filter(idea=product.idea).count() == 1


def test_the_product_list_shows_the_totals_its_tables_show(
    product, people, client, monkeypatch, django_capture_on_commit_callbacks
):
    """A stored table's totals (as last built, while a large one is rebuilt), never a sum over
    every product's contributions; a product without a stored table is counted live."""
    listed = client.get("/api/v1/products/").json()["results"][0]
    assert (listed["contributor_count"], listed["total_points"]) == (1, 300)  # live: no build
    _claim_and_approve(
        product, people.alice, people.reviewer, 120, django_capture_on_commit_callbacks
    )
    listed = client.get("/api/v1/products/").json()["results"][0]
    assert (listed["contributor_count"], listed["total_points"]) == (2, 420)
    monkeypatch.setattr(st, "SYNC_LIMIT", 1)  # "large": served as last built while rebuilding
    StandingBuild.objects.filter(idea=product.idea).update(version=99)
    Contribution.objects.filter(idea=product.idea, member=people.alice).update(points=1)
    listed = client.get("/api/v1/products/").json()["results"][0]
    assert (listed["contributor_count"], listed["total_points"]) == (2, 420)
    page = client.get("/products/").content.decode()
    assert "2 contributors · 420 points" in page
