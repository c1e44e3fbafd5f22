"""Who hears of an idea's votes: the reviewers and the creator when the threshold is reached."""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import REVIEWERS
from core.text import sentence
from ideas.models import Idea
from notifications.services import notify


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
        message=sentence(
            gettext_lazy("“%(title)s” reached %(count)s votes and waits for your review."),
            title=idea.title,
            count=count,
        ),
        url="/review/",
    )
    notify(
        recipients=[idea.creator],
        kind="idea_threshold_reached",
        message=sentence(
            gettext_lazy("Your idea “%(title)s” reached %(count)s votes and goes to review."),
            title=idea.title,
            count=count,
        ),
        url=idea.get_absolute_url(),
    )
