"""A product's contribution table, stored: pages read 50 rows by rank, never the whole table.

``contribution_table`` (selectors) computes the table from the approved contributions: every
contributor's points and exact pool share (largest remainder over all rows). With a million
contributors that is seconds, too slow for every page view. So the table is stored
(``Standing`` rows in display order, ``StandingBuild`` totals):

* every change to an idea's approved contributions bumps ``StandingBuild.version`` in the same
  transaction (``standings_stale``) and, after commit, rebuilds the table: at once for tables
  up to ``SYNC_LIMIT`` contributors (so small products are exact immediately), by a task above;
* readers (``standings``) use the stored rows when they are current, or while a large table is
  being rebuilt (the page says so); a small or never-built table is computed live.
"""

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from .models import Contribution, ContributionStatus, Standing, StandingBuild
from .selectors import TableRow, contribution_table

SYNC_LIMIT = 20_000


def standings_stale(*, idea_id: int) -> None:
    """Call inside the transaction that changes the idea's approved contributions."""
    updated = StandingBuild.objects.filter(idea_id=idea_id).update(version=F("version") + 1)
    if not updated:
        StandingBuild.objects.get_or_create(idea_id=idea_id)
    transaction.on_commit(lambda: standings_refresh(idea_id=idea_id))


def standings_refresh(*, idea_id: int) -> None:
    build = StandingBuild.objects.filter(idea_id=idea_id).first()
    if build is not None and build.contributors > SYNC_LIMIT:
        from .tasks import standings_rebuild_task

        if cache.add(f"standings-rebuild:{idea_id}", 1, timeout=300):
            standings_rebuild_task.delay(idea_id)
        return
    standings_rebuild(idea_id=idea_id)


@transaction.atomic
def standings_rebuild(*, idea_id: int) -> StandingBuild:
    """Store the idea's table as it is now (safe to run twice, or at once: the build row is
    locked, and a rebuild that finds the table current does nothing)."""
    from ideas.selectors import idea_by_id

    build, _ = StandingBuild.objects.get_or_create(idea_id=idea_id)
    build = StandingBuild.objects.select_for_update().get(pk=build.pk)
    if build.built_version == build.version and build.built_at is not None:
        cache.delete(f"standings-rebuild:{idea_id}")
        return build
    version = build.version
    table = contribution_table(idea=idea_by_id(idea_id=idea_id))
    Standing.objects.filter(idea_id=idea_id).delete()
    _store(idea_id, table)
    StandingBuild.objects.filter(pk=idea_id).update(
        built_version=version,
        contributors=len(table),
        total_points=sum(r.points for r in table),
        built_at=timezone.now(),
    )
    cache.delete(f"standings-rebuild:{idea_id}")
    build.refresh_from_db()
    return build


def _store(idea_id: int, table: list[TableRow]) -> None:
    # COPY: a million rows in seconds.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY contributions_standing (idea_id, rank, member_id, name, points, share) FROM STDIN"
        ) as copy,
    ):
        for rank, row in enumerate(table, start=1):
            copy.write_row((idea_id, rank, row.member_id, row.member_name[:150], row.points,
                            row.share))  # fmt: skip


class StoredTable:
    """The stored table as a sequence: ``len`` from the totals, slices by rank (an index range),
    so Django's and DRF's paginators read one page."""

    def __init__(self, build: StandingBuild):
        self.build = build
        self.total_points = build.total_points
        self.updating = build.built_version != build.version

    def __len__(self) -> int:
        return self.build.contributors

    def count(self) -> int:
        return len(self)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        rows = Standing.objects.filter(
            idea_id=self.build.idea_id, rank__gt=start, rank__lte=stop
        ).order_by("rank")
        return [TableRow(s.member_id, s.name, s.points, s.share) for s in rows]

    def __iter__(self):
        return iter(self[0 : len(self)])


class LiveTable(list):
    """The table computed now (small or never stored), with the same attributes."""

    def __init__(self, rows: list[TableRow]):
        super().__init__(rows)
        self.total_points = sum(r.points for r in rows)
        self.updating = False


def _serves(build: StandingBuild | None) -> bool:
    """Whether readers take this stored table: built, and current — or large and being rebuilt
    (served as last built meanwhile)."""
    if build is None or build.built_at is None:
        return False
    return build.built_version == build.version or build.contributors > SYNC_LIMIT


def standings(*, idea) -> StoredTable | LiveTable:
    """The idea's contribution table for pages and the API (see the module's docstring)."""
    build = StandingBuild.objects.filter(idea_id=idea.pk).first()
    if _serves(build):
        return StoredTable(build)
    table = LiveTable(contribution_table(idea=idea))
    if len(table) > SYNC_LIMIT:  # large and never stored: store it for the next readers
        standings_refresh_later(idea_id=idea.pk)
    return table


def with_totals(products: list) -> list:
    """``products`` (one page of a list) with ``contributor_count`` and ``total_points`` set, as
    their tables show them: a stored table's totals, else one aggregate over the approved
    contributions of the products that have no usable stored table (small ones)."""
    ideas = [p.idea_id for p in products]
    builds = {b.idea_id: b for b in StandingBuild.objects.filter(idea_id__in=ideas) if _serves(b)}
    live = {
        row["idea_id"]: row
        for row in Contribution.objects.filter(
            idea_id__in=[i for i in ideas if i not in builds], status=ContributionStatus.APPROVED
        )
        .values("idea_id")
        .annotate(points=Sum("points"), members=Count("member", distinct=True))
    }
    for product in products:
        build = builds.get(product.idea_id)
        row = live.get(product.idea_id, {})
        product.contributor_count = build.contributors if build else row.get("members", 0)
        product.total_points = build.total_points if build else row.get("points") or 0
    return products


def standings_refresh_later(*, idea_id: int) -> None:
    from .tasks import standings_rebuild_task

    if cache.add(f"standings-rebuild:{idea_id}", 1, timeout=300):
        standings_rebuild_task.delay(idea_id)
