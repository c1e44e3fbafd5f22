"""The idea pages: home, search, idea page, submit/edit, my ideas, moderation queue."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, NotAllowed
from core.forms import add_application_error
from core.idempotency import once_per_submission
from core.net import parse_id, safe_next

from . import hooks, listcache, ranked_search, rules, selectors, services, thread_pages
from .forms import ORDERING_LABELS, IdeaForm, SearchForm
from .models import Idea, IdeaStatus
from .video import VideoUploadLimitHandler

PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 20
HOME_TABS = ORDERING_LABELS


def _page(request, qs, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """The page of ``qs`` asked for; ``count``: how many items there are, when it is known
    (kept in the cache) without counting them again."""
    paginator = Paginator(qs, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


HOME_STATE_LABELS = {
    "": gettext_lazy("All live ideas"),
    "voting": gettext_lazy("Open for votes"),
    "funding": gettext_lazy("Funding"),
    "products": gettext_lazy("Products"),
}
assert set(HOME_STATE_LABELS) == set(selectors.HOME_STATES)  # the selector owns the states


def home(request):
    """Live ideas in four orders (tabs), narrowed by state and category; a filter the page
    does not offer (an old link) falls back to all, never to an error."""
    tab = request.GET.get("tab", "hot")
    if tab not in HOME_TABS:
        tab = "hot"
    state = request.GET.get("state", "")
    if state not in HOME_STATE_LABELS:
        state = ""
    categories = listcache.cached_value(
        "categories", lambda: list(selectors.categories()), exact=True
    )
    category = next((c for c in categories if c.slug == request.GET.get("category")), None)
    ideas = selectors.ideas_home(tab=tab, state=state, category=category)
    name = f"{tab}:{state}:{category.pk if category else ''}"
    page = _page(request, ideas, count=listcache.cached_value(f"home:{name}", ideas.count))
    context = {"page": page, "tab": tab, "state": state, "category": category}

    def render_cards() -> str:
        ideas = hooks.idea_cards(ideas=page.object_list)  # + funding progress, one query
        return render_to_string("ideas/_idea_cards.html", {**context, "ideas": ideas}, request)

    cards = listcache.cached_cards(f"{name}:{page.number}", render_cards)
    return render(
        request,
        "ideas/home.html",
        {
            **context,
            "tabs": HOME_TABS,
            "states": HOME_STATE_LABELS,
            "categories": categories,
            "cards": cards,
        },
    )


def search(request):
    """The search page. The results (count, cards, pagination) are the same for every reader
    of a query in a language, so they are cached like the home cards (ideas.listcache)."""
    form = SearchForm(request.GET or None)

    def render_filters() -> str:
        return render_to_string("ideas/_search_form.html", {"form": form}, request)

    if request.GET and not form.is_valid():
        context = {"form": form, "filters": render_filters(), "results": ""}
        return render(request, "ideas/search.html", context)
    data = form.cleaned_data if request.GET else {}

    def render_results() -> str:
        results = _search_results(data)
        # The matches' count is the same on every page of the query and exact under the list
        # version (the search reads no time): kept apart, longer than the cards.
        asked = request.GET.copy()
        asked.pop("page", None)
        count, estimated = listcache.cached_value(
            f"search:{_digest(asked.urlencode())}",
            lambda: (Paginator(results, PAGE_SIZE).count, getattr(results, "estimated", False)),
            exact=True,
        )
        if hasattr(results, "estimated"):
            results.estimated = estimated  # "About N ideas"
        page = _page(request, results, count=count)
        ideas = hooks.idea_cards(ideas=page.object_list)  # + funding progress, one query
        context = {"form": form, "page": page, "ideas": ideas}
        return render_to_string("ideas/_search_results.html", context, request)

    query = _digest(request.GET.urlencode())
    results = listcache.cached_cards(f"search:{query}", render_results)
    # The form (its selects are slow to render) as this query string fills it: the same for
    # every reader; categories are under the list version too (ideas.apps).
    filters = listcache.cached_cards(f"search-form:{query}", render_filters)
    context = {"form": form, "filters": filters, "results": results}
    return render(request, "ideas/search.html", context)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _search_results(data: dict):
    """The ideas a search's cleaned data asks for: with words and no chosen order, the best
    matches first (only the top ranked); else the chosen order (newest without a search)."""
    if not data:
        return selectors.idea_list(ordering="new")
    filters = {
        "status": data["status"] or None,
        "category": data["category"].slug if data["category"] else None,
        "tag": data["tag"] or None,
    }
    if data["q"] and not data["ordering"]:
        matches = selectors.idea_list(ordering="", **filters)
        return ranked_search.idea_search_ranked(matches, data["q"])
    return selectors.idea_list(ordering=data["ordering"] or "new", q=data["q"] or None, **filters)


def _idea_or_404(request, idea_id: int, **kwargs) -> Idea:
    idea = selectors.idea_get(idea_id=idea_id, user=request.user, **kwargs)
    if idea is None:
        raise Http404("No such idea.")
    return idea


def idea_detail(request, idea_id: int):
    idea = _idea_or_404(request, idea_id, with_transitions=True)
    user = request.user
    return render(
        request,
        "ideas/detail.html",
        {
            "idea": idea,
            "threads_html": thread_pages.threads_html(request, idea),
            "is_creator": user.is_authenticated and user.pk == idea.creator_id,
            "can_edit": rules.may_edit_idea(idea=idea, member=user) is None,
            "can_flag": idea.published_at is not None
            and rules.may_flag(target=idea, member=user) is None,
            "can_moderate": rules.may_moderate(member=user) is None,
            "show_content": rules.content_visible(
                hidden_at=idea.hidden_at, author_id=idea.creator_id, member=user
            ),
            "can_comment": rules.may_comment(idea=idea) is None,
            "product_id": selectors.idea_product_id(idea),
            # funding's panel, composed by funding (ideas.hooks: ideas does not import funding)
            "funding_box": hooks.idea_funding_box(idea=idea, member=user, query=request.GET),
            "community_box": hooks.idea_community_box(idea=idea, member=user),
            "product_strip": hooks.idea_product_strip(idea=idea),
        },
    )


def _with_upload_limit(view):
    """The size limit must be in place before CSRF reads the body, so check CSRF after it."""

    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, VideoUploadLimitHandler(request))
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _upload_errors(request, form) -> bool:
    rejected = getattr(request, "rejected_uploads", None) or {}
    for field, error in rejected.items():
        form.add_error(field if field in form.fields else None, error.message)
    return bool(rejected)


@login_required
@_with_upload_limit
@once_per_submission
def idea_new(request):
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        too_large = _upload_errors(request, form)
        if form.is_valid() and not too_large:
            data = form.cleaned_data
            try:
                idea = services.idea_create(
                    creator=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    category=data["category"],
                    tags=form.tag_names(),
                    video_file=data.get("video_file"),
                    video_url=data.get("video_url", ""),
                    cover=data.get("cover"),
                )
                if "publish" in request.POST:
                    services.idea_publish(idea=idea, actor=request.user)
                    messages.success(
                        request, gettext("Your idea is published and open for voting.")
                    )
                else:
                    messages.success(
                        request, gettext("Your draft is saved. Publish it when it is ready.")
                    )
                return redirect(idea.get_absolute_url())
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(request, "ideas/form.html", {"form": form, "idea": None})


@login_required
@_with_upload_limit
@once_per_submission
def idea_edit(request, idea_id: int):
    idea = _idea_or_404(request, idea_id)
    refusal = rules.may_edit_idea(idea=idea, member=request.user)
    if isinstance(refusal, NotAllowed):
        raise Http404("No such idea.")  # not yours: as if it did not exist
    if refusal is not None:
        messages.error(request, gettext("This idea can no longer be edited."))
        return redirect(idea.get_absolute_url())
    form = IdeaForm(request.POST or None, request.FILES or None, idea=idea)
    if request.method == "POST":
        too_large = _upload_errors(request, form)
        if form.is_valid() and not too_large:
            data = form.cleaned_data
            video = {}
            if data.get("video_file"):
                video = {"video_file": data["video_file"]}
            elif data.get("remove_video"):
                video = {"video_url": ""}
            elif data.get("video_url") and data["video_url"] != idea.video_url:
                video = {"video_url": data["video_url"]}
            try:
                idea = services.idea_update(
                    idea=idea,
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    category=data["category"],
                    tags=form.tag_names(),
                    cover=data.get("cover"),
                    remove_cover=bool(data.get("remove_cover")),
                    **video,
                )
                if "publish" in request.POST and idea.status == IdeaStatus.DRAFT:
                    services.idea_publish(idea=idea, actor=request.user)
                    messages.success(
                        request, gettext("Your idea is published and open for voting.")
                    )
                else:
                    messages.success(request, gettext("Your changes are saved."))
                return redirect(idea.get_absolute_url())
            except ApplicationError as exc:
                add_application_error(form, exc)
    return render(request, "ideas/form.html", {"form": form, "idea": idea})


def _creator_action(request, idea_id: int, action, done: str):
    idea = _idea_or_404(request, idea_id)
    try:
        action(idea=idea, actor=request.user)
        messages.success(request, done)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(safe_next(request, idea.get_absolute_url()))  # never to another site


@login_required
@require_POST
@once_per_submission
def idea_publish(request, idea_id: int):
    return _creator_action(
        request,
        idea_id,
        services.idea_publish,
        gettext("Your idea is published and open for voting."),
    )


@login_required
@require_POST
@once_per_submission
def idea_withdraw(request, idea_id: int):
    return _creator_action(
        request, idea_id, services.idea_withdraw, gettext("Your idea is withdrawn.")
    )


@login_required
def my_ideas(request):
    page = _page(request, selectors.ideas_of_member(member=request.user))
    return render(request, "ideas/my_ideas.html", {"page": page})


@login_required
@once_per_submission
def moderation(request):
    if rules.may_moderate(member=request.user) is not None:
        raise Http404("No such page.")
    if request.method == "POST":
        return _moderate(request)
    hidden_ideas, hidden_comments = selectors.recently_hidden()
    kind = request.GET.get("kind", "")
    if kind not in ("idea", "comment"):
        kind = ""
    page = _page(request, selectors.moderation_queue(kind=kind), MODERATION_PAGE_SIZE)
    return render(
        request,
        "ideas/moderation.html",
        {
            "items": page.object_list,
            "page": page,
            "kind": kind,
            "hidden_ideas": hidden_ideas,
            "hidden_comments": hidden_comments,
        },
    )


def _moderate(request):
    action = request.POST.get("action", "")
    kind = request.POST.get("kind", "")
    reason = request.POST.get("reason", "")
    target_id = parse_id(request.POST.get("target", ""))
    if target_id is None:
        messages.error(request, gettext("Pick something to moderate."))
        return redirect("ideas:moderation")
    key = "comment" if kind == "comment" else "idea"
    target = selectors.moderation_target(kind=key, target_id=target_id)
    if target is None:
        messages.error(request, gettext("That content no longer exists."))
        return redirect("ideas:moderation")
    actions = {
        "hide": services.comment_hide if key == "comment" else services.idea_hide,
        "unhide": services.comment_unhide if key == "comment" else services.idea_unhide,
        "dismiss": services.flags_dismiss,
    }
    if action not in actions:
        messages.error(request, gettext("Unknown action."))
        return redirect("ideas:moderation")
    try:
        actions[action](**{key: target}, actor=request.user, reason=reason)
        messages.success(request, gettext("Done: the decision is recorded with your reason."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("ideas:moderation")
