"""The voting window's safety net (SPEC section 2): ideas past their window expire, or go to
review if they made the threshold (e.g. after it was lowered). The beat job runs it."""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.errors import Conflict
from core.phrases import said
from ideas.models import Category, Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from .. import phrases
from ..models import VoteHold
from .holds import threshold_reached


def voting_windows_close(*, now=None) -> dict[str, int]:
    """The beat job's safety net: ideas past their window expire (or go to review if they made
    the threshold, e.g. after it was lowered). Safe to run twice and alongside votes."""
    now = now or timezone.now()
    moved = {"expired": 0, "review": 0}
    held = VoteHold.objects.filter(idea=OuterRef("pk"), closed_at__isnull=True)
    candidates = (
        Idea.objects.select_related("category", "creator")
        .filter(status=IdeaStatus.VOTING)
        .exclude(Exists(held))  # waits for the reviewers (voting.clusters), window or not
    )
    default = settings.VOTE_THRESHOLD
    for idea in candidates.filter(
        Q(voting_deadline__lte=now) | Q(vote_count__gte=min(default, _lowest_threshold()))
    ):
        reached = idea.vote_count >= idea.vote_threshold
        past = idea.voting_deadline is not None and idea.voting_deadline <= now
        if not reached and not past:
            continue
        try:
            with transaction.atomic():
                if not _window_close_one(idea, reached=reached):
                    continue  # held: its crossing rests on flagged votes
        except Conflict:
            continue  # a vote or another run moved it first
        moved["review" if reached else "expired"] += 1
    return moved


def _window_close_one(idea: Idea, *, reached: bool) -> bool:
    """False when the idea reached its threshold on flagged votes and is held instead."""
    if reached:
        Idea.objects.select_for_update().filter(pk=idea.pk).exists()  # the ballot's lock
        return threshold_reached(idea.pk, idea.vote_count, idea.vote_threshold)
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.EXPIRED,
        reason=said(
            phrases.WINDOW_ENDED,
            vote_count=idea.vote_count,
            vote_threshold=idea.vote_threshold,
        ),
    )
    notify(
        recipients=[idea.creator],
        kind="idea_expired",
        message=said(
            phrases.VOTING_WINDOW_ENDED_NOTICE,
            title=idea.title,
            vote_count=idea.vote_count,
            vote_threshold=idea.vote_threshold,
        ),
        url=idea.get_absolute_url(),
    )
    return True


def _lowest_threshold() -> int:
    lowest = (
        Category.objects.filter(vote_threshold__isnull=False)
        .order_by("vote_threshold")
        .values_list("vote_threshold", flat=True)
        .first()
    )
    return lowest or settings.VOTE_THRESHOLD
