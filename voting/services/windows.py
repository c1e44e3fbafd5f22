"""The voting window's safety net (SPEC section 2): ideas past their window expire, or go to
review if they made the threshold (e.g. after it was lowered). The beat job runs it."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.errors import Conflict
from core.phrases import said
from core.text import sentence
from ideas.models import Category, Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from .. import phrases
from .notices import notify_threshold


def voting_windows_close(*, now=None) -> dict[str, int]:
    """The beat job's safety net: ideas past their window expire (or go to review if they made
    the threshold, e.g. after it was lowered). Safe to run twice and alongside votes."""
    now = now or timezone.now()
    moved = {"expired": 0, "review": 0}
    candidates = Idea.objects.select_related("category", "creator").filter(status=IdeaStatus.VOTING)
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
                _window_close_one(idea, reached=reached)
        except Conflict:
            continue  # a vote or another run moved it first
        moved["review" if reached else "expired"] += 1
    return moved


def _window_close_one(idea: Idea, *, reached: bool) -> None:
    if reached:
        idea_transition(
            idea=idea,
            to_status=IdeaStatus.REVIEW,
            reason=said(phrases.THRESHOLD_REACHED_AT_CLOSE, vote_count=idea.vote_count),
        )
        notify_threshold(idea, idea.vote_count)
        return
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
        message=sentence(
            gettext_lazy(
                "The voting window of “%(title)s” ended with %(vote_count)s of "
                "%(vote_threshold)s votes."
            ),
            title=idea.title,
            vote_count=idea.vote_count,
            vote_threshold=idea.vote_threshold,
        ),
        url=idea.get_absolute_url(),
    )


def _lowest_threshold() -> int:
    lowest = (
        Category.objects.filter(vote_threshold__isnull=False)
        .order_by("vote_threshold")
        .values_list("vote_threshold", flat=True)
        .first()
    )
    return lowest or settings.VOTE_THRESHOLD
