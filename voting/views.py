from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from accounts.roles import is_reviewer

from .selectors import idea_for_record, vote_events, vote_ring_signals


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
