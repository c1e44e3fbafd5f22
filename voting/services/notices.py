"""Who hears of an idea's votes: the reviewers and the creator when the threshold is reached."""

from django.db.models import Q

from accounts.models import User
from accounts.roles import REVIEWERS
from core.phrases import said
from ideas.models import Idea
from notifications.services import notify

from .. import phrases


def reviewers() -> list[User]:
    """Every active member who holds the reviewer role: the Reviewers group, and staff and
    superusers, who hold every role (``accounts.roles``)."""
    return list(
        User.objects.filter(
            Q(groups__name=REVIEWERS) | Q(is_staff=True) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("id")
    )


def notify_threshold(idea: Idea, count: int) -> None:
    notify(
        recipients=reviewers(),
        kind="idea_review_requested",
        message=said(
            phrases.REVIEW_REQUESTED_NOTICE,
            title=idea.title,
            count=count,
        ),
        url="/review/",
    )
    notify(
        recipients=[idea.creator],
        kind="idea_threshold_reached",
        message=said(
            phrases.THRESHOLD_REACHED_NOTICE,
            title=idea.title,
            count=count,
        ),
        url=idea.get_absolute_url(),
    )
