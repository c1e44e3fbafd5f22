"""Search as the search page pages through it: only the best-known matches ranked, the count
exact or estimated (ideas.selectors.idea_search finds the matches)."""

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import Idea
from .selectors import _hot, idea_queryset, idea_search

# Search ranks only its best-known matches: the SEARCH_RANK_WINDOW matches with the highest hot
# score, found through the hot index (idea_hot_idx) or the text index (idea_search_vector_gin),
# whichever the planner finds cheaper, and never more. Results past the window follow in hot
# order. The count is exact up to SEARCH_EXACT_COUNT, else the planner's estimate ("about").
SEARCH_RANK_WINDOW = 200
SEARCH_EXACT_COUNT = 1000


class RankedSearch:
    """The matches of a search in a Paginator: the window ranked by relevance, then the rest
    in hot order; ``count()`` exact or estimated (``estimated`` says which)."""

    ordered = True

    def __init__(self, matches: QuerySet[Idea], q: str) -> None:
        self.matches = matches.alias(hot=_hot()).order_by("-hot", "-id")
        # Compiled alone, not as a subquery (which would alias the table raw SQL names).
        sql, params = self.matches.values("pk")[:SEARCH_RANK_WINDOW].query.sql_with_params()
        window = idea_queryset().filter(pk__in=RawSQL(sql, params))
        self.ranked = idea_search(window, q, rank=True)
        self.estimated = False

    def count(self) -> int:
        exact = self.matches.values("pk")[: SEARCH_EXACT_COUNT + 1].count()
        if exact <= SEARCH_EXACT_COUNT:
            return exact
        self.estimated = True
        return max(exact, _planned_rows(self.matches.values("pk")))

    def __getitem__(self, part: slice) -> list[Idea]:
        start, stop = part.start or 0, part.stop
        items = list(self.ranked[start : min(stop, SEARCH_RANK_WINDOW)])
        if stop > SEARCH_RANK_WINDOW:
            items += self.matches[max(start, SEARCH_RANK_WINDOW) : stop]
        return items


def _planned_rows(qs: QuerySet) -> int:
    """The planner's estimate of the rows ``qs`` returns (EXPLAIN: nothing is read)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"])  # psycopg reads the JSON


def idea_search_ranked(qs: QuerySet[Idea], q: str) -> RankedSearch:
    """The ideas of ``qs`` matching ``q``, the best first, ready for a Paginator."""
    return RankedSearch(idea_search(qs, q, rank=False), q)
