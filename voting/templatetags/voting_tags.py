from django import template

from accounts.permissions import email_verified_or_not_required
from ideas.models import IdeaStatus
from voting.selectors import has_voted

register = template.Library()


@register.simple_tag(takes_context=True)
def vote_state(context, idea) -> dict:
    """What the vote box needs: has this member voted, may they, and the threshold progress."""
    request = context.get("request")
    user = getattr(request, "user", None)
    threshold = idea.vote_threshold
    voted = has_voted(idea_id=idea.pk, member=user)
    why_not = ""
    signed_in = bool(user and user.is_authenticated)
    if signed_in and user.pk == idea.creator_id:
        why_not = "This is your idea: the others vote on it."
    elif signed_in and not email_verified_or_not_required(user):
        why_not = "Confirm your e-mail address to vote."
    return {
        "show": idea.status != IdeaStatus.DRAFT,
        "open": idea.status == IdeaStatus.VOTING,
        "signed_in": signed_in,
        "can_vote": signed_in and not why_not,
        "why_not": why_not,
        "voted": voted,
        "threshold": threshold,
        "percent": min(100, idea.vote_count * 100 // threshold) if threshold else 100,
    }
