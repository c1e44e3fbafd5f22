from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.roles import is_reviewer
from core.errors import ApplicationError
from core.idempotency import once_per_submission

from .rules import may_review_votes
from .selectors import (
    held_ideas,
    idea_for_record,
    member_votes,
    vote_events,
    vote_ring_signals,
    vote_state,
)
from .services import vote_cluster_void, vote_hold_release


@login_required
def vote_record(request, idea_id: int):
    """Who voted when, from which network: the page reviewers use to spot vote rings."""
    if not is_reviewer(request.user):
        raise PermissionDenied(gettext("Only reviewers may see the vote record."))
    idea = idea_for_record(idea_id=idea_id)
    if idea is None:
        raise Http404("No such idea.")
    events = list(vote_events(idea=idea))
    signals = vote_ring_signals(idea=idea, events=events)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "voting/vote_record.html",
        {"idea": idea, "signals": signals, "page": page, "events": page.object_list},
    )


@login_required
def my_votes(request):
    """Did my vote count? The member's votes and whether each counts, or from when."""
    page = Paginator(member_votes(member=request.user), 50).get_page(request.GET.get("page"))
    rows = [(vote, vote_state(vote)) for vote in page.object_list]
    return render(request, "voting/my_votes.html", {"page": page, "rows": rows})


@login_required
def held_queue(request):
    """Reviewers: ideas whose threshold crossing rests on flagged votes, with the clusters."""
    if may_review_votes(member=request.user) is not None:
        raise PermissionDenied(gettext("Only reviewers may review votes."))
    return render(request, "voting/held.html", {"held": held_ideas()})


@login_required
@require_POST
@once_per_submission
def held_decide(request, idea_id: int):
    """Void a cluster's votes (with a reason) or send the held idea to review."""
    if may_review_votes(member=request.user) is not None:
        raise PermissionDenied(gettext("Only reviewers may review votes."))
    try:
        if request.POST.get("action") == "release":
            vote_hold_release(idea_id=idea_id, reviewer=request.user)
            messages.success(request, gettext("The idea goes to review."))
        else:
            reason = request.POST.get("reason", "").strip()
            if not reason:
                messages.error(
                    request, gettext("Give a reason: the voters and the creator read it.")
                )
                return redirect("voting:held")
            void = vote_cluster_void(
                idea_id=idea_id, cluster=request.POST.get("cluster", ""),
                reviewer=request.user, reason=reason,
            )  # fmt: skip
            messages.success(
                request,
                gettext("%(votes)s votes voided; the count dropped by %(counted)s.")
                % {"votes": void.votes, "counted": void.counted},
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("voting:held")
