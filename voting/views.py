from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.roles import is_reviewer
from ideas.models import Idea

from .selectors import vote_events, vote_ring_signals


@login_required
def vote_record(request, idea_id: int):
    """Who voted when, from which network: the page reviewers use to spot vote rings."""
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers may see the vote record.")
    idea = get_object_or_404(Idea.objects.select_related("creator"), pk=idea_id)
    events = list(vote_events(idea=idea))
    signals = vote_ring_signals(idea=idea, events=events)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "voting/vote_record.html",
        {"idea": idea, "signals": signals, "page": page, "events": page.object_list},
    )
