"""Reads of ideas and discussions. Every idea list and page starts from ``idea_queryset()``."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from core.net import parse_id

from . import rules
from .models import Category, Comment, Flag, FlagStatus, Idea, IdeaStatus, Tag
from .search import query_words, tag_slug
from .threads import ThreadRow, row_of, thread_rows_link

ORDERINGS = ("hot", "top", "new", "closing")
# Hot: log10(max(votes, 1)) + published_epoch / HOT_DECADE_SECONDS. Ordering by this is the
# same as ordering by votes × 10^(−age / 2 days): every two days of age costs a factor of ten
# in votes. It does not depend on "now", so pages stay stable while people page through.
HOT_DECADE_SECONDS = 2 * 24 * 3600
# The home page's state filter: what each choice lists. With no choice it lists every live idea
# (open, waiting for review, or on its way to be a product); ideas that ended (withdrawn,
# expired, rejected, failed funding) are found through search.
PRODUCT_STATES = (IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION, IdeaStatus.LAUNCHED)
HOME_STATES: dict[str, tuple[str, ...]] = {
    "": (IdeaStatus.VOTING, IdeaStatus.REVIEW, IdeaStatus.FUNDING, *PRODUCT_STATES),
    "voting": (IdeaStatus.VOTING,),
    "funding": (IdeaStatus.FUNDING,),
    "products": PRODUCT_STATES,
}


def idea_queryset() -> QuerySet[Idea]:
    """Ideas with everything a list or a page shows, in a constant number of queries."""
    # The reverse relations to funding are named, not imported: the round's terms and the
    # product ride along with the idea (funding.selectors.round_for reads them without a query).
    return Idea.objects.select_related(
        "creator", "category", "product", "funding_round"
    ).prefetch_related("tags")


def ideas_public(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Published and not hidden: what visitors may list and search."""
    qs = idea_queryset() if qs is None else qs
    return qs.filter(published_at__isnull=False, hidden_at__isnull=True)


def _hot():
    # Why: the home page's hot path reads the indexed generated column (migration 0005).
    return RawSQL("ideas_idea.hot_score", (), output_field=FloatField())


def _closes_at():
    """When the idea's open window (voting or funding) ends; None when it has none. The funding
    deadline is the round's (``funding.FundingRound``, named through the reverse relation)."""
    return Case(
        When(status=IdeaStatus.FUNDING, then=F("funding_round__deadline")),
        When(status=IdeaStatus.VOTING, then=F("voting_deadline")),
        default=Value(None),
        output_field=DateTimeField(),
    )


def idea_order(qs: QuerySet[Idea], ordering: str) -> QuerySet[Idea]:
    if ordering == "hot":
        return qs.alias(hot=_hot()).order_by("-hot", "-id")
    if ordering == "top":
        return qs.order_by("-votes_folded", "-id")  # the index; lags by the fold interval
    if ordering == "closing":
        return qs.alias(deadline=_closes_at()).order_by(F("deadline").asc(nulls_last=True), "id")
    return qs.order_by("-published_at", "-id")


def ideas_closing_soon(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """Open ideas whose voting or funding window has not ended yet, ending first first."""
    return idea_order(qs, "closing").filter(deadline__gt=timezone.now())


def idea_search(qs: QuerySet[Idea], q: str, *, rank: bool = True) -> QuerySet[Idea]:
    """Ideas matching ``q``: full-text, title > summary > body, or tagged with one of its
    words ("camping" and "#camping" find every idea tagged #camping, "露营" those tagged 露营).

    The generated ``search_vector`` column (GIN-indexed) answers ``websearch_to_tsquery``
    (quotes, ``-word``, ``or``); Chinese runs of the query are split into words as the
    document's were (``ideas.search``); with ``rank`` the best matches come first.
    """
    q = (q or "").strip()[:200]
    if not q:
        return qs
    slugs = sorted({tag_slug(word.strip("#\"'")) for word in [q, *q.split()]} - {""})
    q = query_words(q)
    query = "websearch_to_tsquery('english', %s)"
    through = Idea.tags.through._meta.db_table
    # One set of ids from the text index (GIN) and the tag links, so neither side is a filter
    # run on every row (an OR with the tag subquery would make the planner scan them all).
    matching = (
        f"ideas_idea.id IN (SELECT s.id FROM {Idea._meta.db_table} s "  # noqa: S608
        f"WHERE s.search_vector @@ {query} UNION SELECT it.idea_id FROM {through} it "
        f"JOIN {Tag._meta.db_table} t ON t.id = it.tag_id WHERE t.slug = ANY(%s))"
    )
    qs = qs.filter(RawSQL(matching, (q, slugs), output_field=BooleanField()))
    if rank:
        qs = qs.alias(
            rank=RawSQL(
                f"ts_rank_cd(ideas_idea.search_vector, {query})",
                (q,),
                output_field=FloatField(),
            )
        ).order_by("-rank", "-id")
    return qs


def idea_list(
    *,
    ordering: str = "new",
    status: str | None = None,
    category: str | None = None,
    tag: str | None = None,
    q: str | None = None,
) -> QuerySet[Idea]:
    """The public list behind the home page, search and ``GET /api/v1/ideas/``.

    With ``q`` and no explicit ordering the best matches come first.
    """
    qs = ideas_public()
    if status:
        qs = qs.filter(status__in=[s for s in status.split(",") if s])
    if category:
        category_id = parse_id(category)
        qs = (
            qs.filter(category__id=category_id)
            if category_id is not None
            else qs.filter(category__slug=category)
        )
    if tag:
        qs = qs.filter(tags__slug=tag)
    if q:
        qs = idea_search(qs, q, rank=not ordering)
    if ordering:
        qs = idea_order(qs, ordering)
    return qs


def idea_visible_to(*, user) -> Q:
    """Public ideas, plus the member's own (drafts and hidden ones), plus all for reviewers."""
    if user is not None and user.is_authenticated:
        if rules.may_moderate(member=user) is None:
            return Q()
        return Q(published_at__isnull=False) | Q(creator=user)
    return Q(published_at__isnull=False)


def idea_get(*, idea_id: int, user, with_transitions: bool = False) -> Idea | None:
    """An idea the user may see, or None. Hidden ideas are seen (as a notice) by everyone."""
    qs = idea_queryset().filter(idea_visible_to(user=user))
    if with_transitions:
        qs = qs.prefetch_related("transitions__actor")
    return qs.filter(pk=idea_id).first()


def ideas_visible(*, user) -> QuerySet[Idea]:
    return Idea.objects.filter(idea_visible_to(user=user))


def idea_voters(*, idea: Idea, exclude=None) -> list[User]:
    """The members who voted for ``idea`` (through voting's ``votes`` relation)."""
    qs = User.objects.filter(votes__idea=idea)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs)


def category_find(value) -> Category | None:
    """A category by id or slug, or None."""
    value = str(value).strip()
    category_id = parse_id(value)
    if category_id is not None:
        return Category.objects.filter(pk=category_id).first()
    return Category.objects.filter(slug=value).first()


def ideas_home(*, tab: str, state: str = "", category: Category | None = None) -> QuerySet[Idea]:
    """The home page's list: live ideas only (``HOME_STATES``), of one state group and one
    category when chosen, in the tab's order."""
    qs = ideas_public().filter(status__in=HOME_STATES.get(state, HOME_STATES[""]))
    if category is not None:
        qs = qs.filter(category=category)
    if tab == "closing":
        return ideas_closing_soon(qs)
    return idea_order(qs, tab)


def categories() -> QuerySet[Category]:
    return Category.objects.all()


def ideas_of_member(*, member) -> QuerySet[Idea]:
    return idea_queryset().filter(creator=member).order_by("-created_at", "-id")


def idea_product_id(idea: Idea) -> int | None:
    """The Product's id once funded, else None (the reverse one-to-one may be missing)."""
    try:
        return idea.product.pk
    except Exception:  # RelatedObjectDoesNotExist (funding.models.Product.DoesNotExist)
        return None


# --- Discussion -----------------------------------------------------------------------------

DISCUSSION_PREVIEW_THREADS = 10


def discussion_preview(*, idea: Idea) -> dict:
    """An idea's discussion as another page shows it (a funded idea's product page): the first
    threads, a link to the rest, the comment form when open. The view passes it in the context
    and includes ``ideas/_discussion.html`` (replies, flags and accepting work as on the idea
    page)."""
    roots = list(comment_roots(idea=idea)[: DISCUSSION_PREVIEW_THREADS + 1])
    more = len(roots) > DISCUSSION_PREVIEW_THREADS
    return {
        "idea": idea,
        "threads": comment_threads(roots=roots[:DISCUSSION_PREVIEW_THREADS]),
        "page": None,
        "more_url": f"{idea.get_absolute_url()}#discussion" if more else "",
        "can_comment": rules.may_comment(idea=idea) is None,
        "standalone": True,
    }


def comment_queryset() -> QuerySet[Comment]:
    return Comment.objects.select_related("author", "hidden_by")


def comment_roots(*, idea: Idea) -> QuerySet[Comment]:
    """The top-level comments of an idea, oldest first (pages of threads)."""
    return comment_queryset().filter(idea=idea, root__isnull=True).order_by("created_at", "id")


def comment_threads(*, roots: list[Comment]) -> list[ThreadRow]:
    """The threads under a page of top-level comments as flat rows in display order (each
    comment, then its replies oldest first), in two queries whatever their size or depth."""
    replies = comment_queryset().filter(root__in=[r.pk for r in roots]).order_by("created_at", "id")
    by_id = {c.pk: c for c in roots}
    children: dict[int, list[Comment]] = {}
    for reply in replies:
        by_id[reply.pk] = reply
        children.setdefault(reply.parent_id, []).append(reply)
    rows: list[ThreadRow] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:  # depth-first, iterative: a thread of any depth costs no recursion
        comment, depth = stack.pop()
        parent = by_id.get(comment.parent_id)
        rows.append(row_of(comment, depth, parent))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.pk, [])))
    return thread_rows_link(rows)


def comment_get(*, comment_id: int, user=None, idea: Idea | None = None) -> Comment | None:
    """A comment on an idea ``user`` may see (or on ``idea``), with its idea and author."""
    qs = Comment.objects.select_related("idea__creator", "author").filter(pk=comment_id)
    if idea is not None:
        qs = qs.filter(idea=idea)
    else:
        qs = qs.filter(idea__in=ideas_visible(user=user))
    return qs.first()


def moderation_target(*, kind: str, target_id: int) -> Idea | Comment | None:
    """The idea or comment a reviewer acts on (hidden or not)."""
    if kind == "comment":
        return Comment.objects.select_related("idea", "author").filter(pk=target_id).first()
    return Idea.objects.select_related("creator").filter(pk=target_id).first()


def comments_flat(*, idea: Idea) -> QuerySet[Comment]:
    """All comments of an idea in thread order for the API: threads oldest first, replies after."""
    return (
        comment_queryset()
        .filter(idea=idea)
        .order_by(Coalesce("root_id", "id"), "created_at", "id")  # comment_thread_order_idx
    )


# --- Moderation -----------------------------------------------------------------------------


@dataclass
class FlaggedItem:
    kind: str  # "idea" or "comment"
    target: object
    flags: list[Flag]


def moderation_queue(*, kind: str = "") -> list[FlaggedItem]:
    """Content with open flags, most-flagged first, each with its flags; ``kind`` "idea" or
    "comment" keeps one kind."""
    flags = Flag.objects.filter(status=FlagStatus.OPEN)
    if kind == "idea":
        flags = flags.filter(idea__isnull=False)
    elif kind == "comment":
        flags = flags.filter(comment__isnull=False)
    flags = flags.select_related(
        "reporter", "idea__creator", "comment__author", "comment__idea"
    ).order_by("created_at", "id")
    items: dict[tuple[str, int], FlaggedItem] = {}
    for flag in flags[:500]:
        key = ("comment", flag.comment_id) if flag.comment_id else ("idea", flag.idea_id)
        item = items.get(key)
        if item is None:
            item = items[key] = FlaggedItem(kind=key[0], target=flag.target, flags=[])
        item.flags.append(flag)
    return sorted(items.values(), key=lambda i: (-len(i.flags), i.flags[0].created_at))


def recently_hidden(limit: int = 30) -> tuple[list[Idea], list[Comment]]:
    ideas = list(
        Idea.objects.filter(hidden_at__isnull=False)
        .select_related("hidden_by", "creator")
        .order_by("-hidden_at")[:limit]
    )
    comments = list(
        Comment.objects.filter(hidden_at__isnull=False)
        .select_related("hidden_by", "author", "idea")
        .order_by("-hidden_at")[:limit]
    )
    return ideas, comments


def idea_by_id(*, idea_id: int) -> Idea | None:
    """Any idea (drafts and hidden ones too), for staff pages that checked their role first."""
    return Idea.objects.filter(pk=idea_id).first()


def idea_unhidden_get(*, idea_id: int) -> Idea | None:
    """An idea that is not hidden (drafts included), whoever asks; None otherwise."""
    return Idea.objects.filter(pk=idea_id, hidden_at__isnull=True).first()


def moderation_waiting() -> int:
    """How many ideas and comments have open flags (the moderation queue's length)."""
    return (
        Flag.objects.filter(status=FlagStatus.OPEN).values("idea_id", "comment_id").distinct()
    ).count()
