from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.roles import is_reviewer
from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission
from core.money import format_money
from core.net import safe_next
from ideas.selectors import categories as idea_categories
from ideas.selectors import idea_by_id

from .forms import ApproveForm, PledgeConfirmForm, RejectForm
from .payments import payment_adapter
from .rules import may_close_round, may_decide_review
from .selectors import (
    funding_progress,
    idea_for_funding,
    ideas_in_funding,
    ideas_in_review,
    ideas_in_review_before,
    pledge_totals_by_idea,
)
from .services import (
    funding_round_close,
    pledge_cancel,
    pledge_change,
    pledge_create,
    review_decide,
)

if TYPE_CHECKING:  # annotations only: ideas' data is read through ideas.selectors
    from ideas.models import Idea


def _reviewer_only(request) -> None:
    if not is_reviewer(request.user):
        raise PermissionDenied(gettext("Only reviewers may see the review queue."))


def _any_idea(idea_id: int) -> "Idea":
    """The idea a reviewer acts on (any state, hidden too), or 404."""
    idea = idea_by_id(idea_id=idea_id)
    if idea is None:
        raise Http404("No such idea.")
    return idea


REVIEW_PAGE_SIZE = 10


def _page_of(idea: "Idea") -> int:
    """The page of the review queue that holds ``idea``."""
    return ideas_in_review_before(idea) // REVIEW_PAGE_SIZE + 1


def _queue(request, *, bound: dict | None = None, status: int = 200, page_number=None):
    bound = bound or {}
    rows = []
    categories = list(idea_categories())
    category = None
    if not bound:  # a decision's errors show the idea where it is in the whole queue
        category = next((c for c in categories if c.slug == request.GET.get("category")), None)
    page = Paginator(
        ideas_in_review(category_id=category.pk if category else None), REVIEW_PAGE_SIZE
    ).get_page(page_number or request.GET.get("page"))
    for idea in page.object_list:
        forms = bound.get(idea.pk, {})
        refusal = may_decide_review(idea=idea, reviewer=request.user)
        rows.append(
            {
                "idea": idea,
                "approve": forms.get("approve") or ApproveForm(prefix=f"a{idea.pk}"),
                "reject": forms.get("reject") or RejectForm(prefix=f"r{idea.pk}"),
                "why_not": refusal.message if refusal else "",
                "open": bool(forms),  # the item whose decision needs correcting
            }
        )
    now = timezone.now()
    rounds = []
    funding = list(ideas_in_funding())
    totals = pledge_totals_by_idea(idea_ids=[idea.pk for idea in funding])
    for idea in funding:
        progress = funding_progress(idea=idea, totals=totals.get(idea.pk, (0, 0)))
        refusal = may_close_round(idea=idea, actor=request.user, raised=progress.raised, now=now)
        rounds.append(
            {
                "idea": idea,
                "progress": progress,
                "may_close": refusal is None,
                "own_idea": refusal is not None and refusal.code == "own_idea",
                "why_not": refusal.message if refusal else "",
            }
        )
    return render(
        request,
        "funding/review_queue.html",
        {
            "rows": rows,
            "rounds": rounds,
            "page": page,
            "categories": categories,
            "category": category,
        },
        status=status,
    )


@login_required
def review_queue(request):
    """The reviewer queue: ideas in review (oldest first) and the open funding rounds."""
    _reviewer_only(request)
    return _queue(request)


@login_required
@require_POST
@once_per_submission
def review_decide_view(request, idea_id: int):
    _reviewer_only(request)
    idea = _any_idea(idea_id)
    decision = request.POST.get("decision")
    if decision == "approve":
        form = ApproveForm(request.POST, prefix=f"a{idea.pk}")
        bound = {"approve": form}
    else:
        decision = "reject"
        form = RejectForm(request.POST, prefix=f"r{idea.pk}")
        bound = {"reject": form}
    if form.is_valid():
        terms = form.terms() if decision == "approve" else {}
        try:
            review_decide(
                idea=idea,
                reviewer=request.user,
                decision=decision,
                reason=form.cleaned_data["reason"],
                **terms,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            verb = gettext("approved for funding") if decision == "approve" else gettext("rejected")
            messages.success(
                request, gettext("“%(title)s” is %(verb)s.") % {"title": idea.title, "verb": verb}
            )
            return redirect("funding:review_queue")
    # The page that holds the idea, its form with the errors; the form's action ends in
    # #review-<id>, so the browser shows the item, not the top of the queue.
    return _queue(request, bound={idea.pk: bound}, status=400, page_number=_page_of(idea))


@login_required
@require_POST
@once_per_submission
def close_funding_view(request, idea_id: int):
    _reviewer_only(request)
    idea = _any_idea(idea_id)
    try:
        product = funding_round_close(idea=idea, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        outcome = (
            gettext("funded: it is a product now") if product else gettext("closed below its goal")
        )
        messages.success(
            request,
            gettext("The round of “%(title)s” is %(outcome)s.")
            % {"title": idea.title, "outcome": outcome},
        )
    return redirect(safe_next(request, reverse("funding:review_queue")))


# --- The pledge box (templates/funding/_idea_funding.html) ----------------------------------
# The member types an amount; the idea page (GET, ``funding_tags.pledge_box``) parses it and
# asks to confirm; only these POSTs store anything, each once per form token.


def _funding_box_url(idea: "Idea") -> str:
    return f"{idea.get_absolute_url()}#funding-area"


def _idea_in_funding(idea_id: int) -> "Idea":
    idea = idea_for_funding(idea_id=idea_id)
    if idea is None:
        raise Http404("No such idea.")
    return idea


def _pledge_write(request, idea_id: int, write, done: str):
    idea = _idea_in_funding(idea_id)
    form = PledgeConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["amount"][0])
        return redirect(_funding_box_url(idea))
    amount = form.cleaned_data["amount"]
    try:
        pledge = write(idea=idea, member=request.user, amount=amount)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(amount=format_money(amount, pledge.currency)))
        # Stripe: save a card for later (Checkout in setup mode); manual: nothing to do yet.
        onward = payment_adapter().pledge_saved(pledge=pledge)
        if onward:
            return redirect(onward)
    return redirect(_funding_box_url(idea))


@login_required
@require_POST
@once_per_submission
def pledge_confirm_view(request, idea_id: int):
    """Confirm a new pledge of the amount shown (minor units in the form)."""
    done = gettext(
        "Thank you: you pledge {amount}. You pay only if the goal is met by the deadline."
    )
    return _pledge_write(request, idea_id, pledge_create, done)


@login_required
@require_POST
@once_per_submission
def pledge_change_view(request, idea_id: int):
    """Confirm changing one's pledge to the amount shown."""
    return _pledge_write(request, idea_id, pledge_change, gettext("Your pledge is now {amount}."))


@login_required
@require_POST
@once_per_submission
def pledge_cancel_view(request, idea_id: int):
    """Confirm cancelling one's pledge."""
    idea = _idea_in_funding(idea_id)
    try:
        pledge_cancel(idea=idea, member=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your pledge is cancelled: nothing will be collected."))
    return redirect(_funding_box_url(idea))
