"""The idea page's discussion: a page of threads, rendered, from the cache when it may be
(ideas.listcache.cached_threads)."""

from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string

from . import listcache, rules, selectors
from .models import Idea

THREADS_PER_PAGE = 20


def threads_page(request, roots) -> Page:
    """The page of top-level comments asked for. The first page of a discussion that fits on
    one (most of them) is counted by reading it: one query, not a count and a read."""
    paginator = Paginator(roots, THREADS_PER_PAGE)
    if request.GET.get("page", "1") == "1":
        first = list(roots[: THREADS_PER_PAGE + 1])
        if len(first) <= THREADS_PER_PAGE:
            paginator.count = len(first)
            return Page(first, 1, paginator)
    return paginator.get_page(request.GET.get("page"))


def threads_html(request, idea: Idea) -> str:
    """The idea's threads and their pagination, rendered. A page of a public idea reads the
    same for every reader of a bucket (anonymous, member, reviewer), so it is cached
    (ideas.listcache.cached_threads) — but for the readers whose buttons differ: the idea's
    creator (accepting suggestions) and a member who wrote one of the page's comments (no flag
    on their own, their hidden comment's text shown to them)."""

    def render_threads() -> tuple[str, set[int]]:
        page = threads_page(request, selectors.comment_roots(idea=idea))
        threads = selectors.comment_threads(roots=list(page.object_list))
        context = {"idea": idea, "page": page, "threads": threads, "times_later": True}
        html = render_to_string("ideas/_threads.html", context, request)
        return html, {row.comment.author_id for row in threads}

    user = request.user
    if not idea.is_public or (user.is_authenticated and user.pk == idea.creator_id):
        html, _ = render_threads()
        return listcache.fill_times(html)
    bucket = "anonymous"
    if user.is_authenticated:
        bucket = "reviewer" if rules.may_moderate(member=user) is None else "member"
    html, authors = listcache.cached_threads(
        idea.pk, request.GET.urlencode(), bucket, render_threads
    )
    if user.is_authenticated and user.pk in authors:
        html, _ = render_threads()  # their own comments: no flag button, hidden text shown
    return listcache.fill_times(html)
