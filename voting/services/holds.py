"""An idea whose vote count reaches its threshold: to review, or held for the reviewers when
the crossing rests on flagged votes (``voting.clusters``). Called under the idea's lock by the
ballot (``ballot._cast_locked``) and by ``counting`` (due votes, voids)."""

from django.utils import timezone

from core.phrases import said
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from .. import phrases
from ..clusters import flagged_counted, vote_clusters
from ..models import VoteHold
from .notices import notify_threshold, reviewers


def threshold_reached(idea_id: int, count: int, threshold: int) -> bool:
    """Under the idea's lock, its count at or over the threshold: the idea goes to review
    unless its count without the flagged votes (counted votes in a cluster) stays below the
    threshold; then it waits in the reviewers' queue (an open ``VoteHold``, the reviewers told
    once). True when it moved to review."""
    clusters = vote_clusters(idea_id=idea_id)
    if count - flagged_counted(clusters) < threshold:
        hold_open(idea_id)
        return False
    VoteHold.objects.filter(idea_id=idea_id, closed_at__isnull=True).update(
        closed_at=timezone.now(), outcome=VoteHold.Outcome.RELEASED
    )
    to_review(idea_id, count, threshold)
    return True


def to_review(idea_id: int, count: int, threshold: int) -> None:
    """Under the idea's lock, the vote count that reached the threshold: the idea to review,
    the reviewers and the creator told. The one place the ballot reads a whole ``Idea``."""
    idea = Idea.objects.select_related("creator").get(pk=idea_id)
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.REVIEW,
        actor=None,
        reason=said(phrases.THRESHOLD_REACHED, count=count, threshold=threshold),
    )
    notify_threshold(idea, count)


def hold_open(idea_id: int) -> VoteHold:
    """The idea's open hold; opened now (and the reviewers told) if it had none."""
    hold, created = VoteHold.objects.get_or_create(
        idea_id=idea_id, closed_at__isnull=True, defaults={"opened_at": timezone.now()}
    )
    if created:
        idea = Idea.objects.get(pk=idea_id)
        notify(
            recipients=reviewers(),
            kind="idea_votes_held",
            message=said(phrases.VOTES_HELD_NOTICE, title=idea.title),
            url="/review/votes/",
        )
    return hold
