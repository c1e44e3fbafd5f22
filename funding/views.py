from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import is_reviewer
from core.errors import ApplicationError
from core.forms import add_application_error
from core.net import safe_next
from ideas.models import Idea

from .forms import ApproveForm, RejectForm
from .rules import may_close_round
from .selectors import funding_progress, ideas_in_funding, ideas_in_review
from .services import funding_round_close, review_decide


def _reviewer_only(request) -> None:
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers may see the review queue.")


def _queue(request, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    rows = []
    for idea in ideas_in_review():
        forms = bound.get(idea.pk, {})
        rows.append(
            {
                "idea": idea,
                "approve": forms.get("approve") or ApproveForm(prefix=f"a{idea.pk}"),
                "reject": forms.get("reject") or RejectForm(prefix=f"r{idea.pk}"),
            }
        )
    now = timezone.now()
    rounds = []
    for idea in ideas_in_funding():
        progress = funding_progress(idea=idea)
        refusal = may_close_round(idea=idea, actor=request.user, raised=progress.raised, now=now)
        rounds.append({"idea": idea, "progress": progress, "may_close": refusal is None})
    return render(
        request, "funding/review_queue.html", {"rows": rows, "rounds": rounds}, status=status
    )


@login_required
def review_queue(request):
    """The reviewer queue: ideas in review (oldest first) and the open funding rounds."""
    _reviewer_only(request)
    return _queue(request)


@login_required
@require_POST
def review_decide_view(request, idea_id: int):
    _reviewer_only(request)
    idea = get_object_or_404(Idea, pk=idea_id)
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
            verb = "approved for funding" if decision == "approve" else "rejected"
            messages.success(request, f"“{idea.title}” is {verb}.")
            return redirect("funding:review_queue")
    return _queue(request, bound={idea.pk: bound}, status=400)


@login_required
@require_POST
def close_funding_view(request, idea_id: int):
    _reviewer_only(request)
    idea = get_object_or_404(Idea, pk=idea_id)
    try:
        product = funding_round_close(idea=idea, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        outcome = "funded: it is a product now" if product else "closed below its goal"
        messages.success(request, f"The round of “{idea.title}” is {outcome}.")
    return redirect(safe_next(request, reverse("funding:review_queue")))
