from django import template
from django.utils import timezone

from ideas.models import IdeaStatus
from voting.rules import may_vote, voting_open
from voting.selectors import my_vote, vote_percent

register = template.Library()


@register.simple_tag(takes_context=True)
def vote_state(context, idea) -> dict:
    """What the vote box needs: has this member voted, may they (``voting.rules.may_vote``, shown
    as is), and the threshold progress."""
    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    threshold = idea.vote_threshold
    refusal = may_vote(idea=idea, member=user, now=now)
    mine = my_vote(idea_id=idea.pk, member=user)
    return {
        "show": idea.status != IdeaStatus.DRAFT,
        "open": voting_open(idea=idea, now=now) is None,
        "signed_in": bool(user and user.is_authenticated),
        "can_vote": refusal is None,
        "why_not": refusal.message if refusal else "",
        "voted": mine is not None,
        # Recorded but not counted yet (a new account): from when it counts.
        "counts_from": mine.counts_from if mine and not mine.counted else None,
        "threshold": threshold,
        "percent": vote_percent(idea),
    }


register.filter("vote_percent", vote_percent)
