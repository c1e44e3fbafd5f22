"""The discussion: comments, replies, suggestions, and adopting a suggestion (SPEC section 3)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.errors import Conflict, ValidationFailed
from core.phrases import said
from core.rules import check
from core.text import sentence
from notifications.services import notify

from .. import phrases, rules
from ..hooks import suggestion_adopted
from ..models import Comment, Idea
from ..rendering import render_markdown
from .validation import COMMENT_MAX_LENGTH, check_text, fail

SUGGESTION_DEFAULT_POINTS = 10
SUGGESTION_MAX_POINTS = 1000


def _tell_about_comment(comment: Comment, *, idea: Idea, author, parent: Comment | None) -> None:
    """The parent's author and the idea's creator hear of it (once each, never the author)."""
    name = author.public_name
    url = comment.get_absolute_url()
    told: set[int] = {author.pk}
    if parent is not None and parent.author_id not in told:
        told.add(parent.author_id)
        notify(
            recipients=[parent.author],
            kind="comment_reply",
            message=sentence(
                gettext_lazy("%(name)s replied to your comment on “%(title)s”."),
                name=name,
                title=idea.title,
            ),
            url=url,
        )
    if idea.creator_id not in told:
        template = (
            gettext_lazy("%(name)s suggested an improvement to your idea “%(title)s”.")
            if comment.is_suggestion
            else gettext_lazy("%(name)s commented on your idea “%(title)s”.")
        )
        notify(
            recipients=[idea.creator],
            kind="comment_on_idea",
            message=sentence(template, name=name, title=idea.title),
            url=url,
        )


@transaction.atomic
def comment_create(
    *, idea: Idea, author, body: str, parent: Comment | None = None, is_suggestion: bool = False
) -> Comment:
    """A comment (or a reply, or a suggestion) on a published idea that is not hidden."""
    fields: dict[str, list[str]] = {}
    body = check_text(
        fields, "body", body, max_length=COMMENT_MAX_LENGTH, label=gettext("your comment")
    )
    refusal = rules.may_comment(idea=idea, parent=parent)
    if refusal is not None:
        fields.update(refusal.fields)
    fail(fields)
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        body_html=render_markdown(body, comment=True),
        is_suggestion=bool(is_suggestion),
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    _tell_about_comment(comment, idea=idea, author=author, parent=parent)
    return comment


def _check_points(points) -> None:
    if (
        not isinstance(points, int)
        or isinstance(points, bool)
        or not 1 <= points <= SUGGESTION_MAX_POINTS
    ):
        raise ValidationFailed.for_field(
            "points",
            gettext("Enter a whole number of points from 1 to %(SUGGESTION_MAX_POINTS)s.")
            % {"SUGGESTION_MAX_POINTS": SUGGESTION_MAX_POINTS},
        )


@transaction.atomic
def comment_accept(
    *, comment: Comment, actor, points: int = SUGGESTION_DEFAULT_POINTS, note: str = ""
) -> Comment:
    """The idea's creator adopts a suggestion: a pending ``suggestion`` claim of its author.

    A reviewer approves and weighs the claim later (SPEC section 4). Accepting twice is a
    conflict, never a second claim.
    """
    check(rules.may_accept_suggestion(comment=comment, member=actor))
    _check_points(points)
    idea = comment.idea
    now = timezone.now()
    # Conditional update: a double click or two tabs accept once, never two claims.
    won = Comment.objects.filter(pk=comment.pk, accepted_at__isnull=True).update(accepted_at=now)
    if not won:
        raise Conflict(gettext("This suggestion was already accepted."), code="already_accepted")
    description = (note or "").strip()[:500] or said(
        phrases.SUGGESTION_ADOPTED, value=comment.body[:400]
    )
    contribution = suggestion_adopted(
        idea=idea, member=comment.author, description=description, proposed_points=points
    )
    Comment.objects.filter(pk=comment.pk).update(contribution=contribution)
    comment.accepted_at, comment.contribution = now, contribution
    notify(
        recipients=[comment.author],
        kind="suggestion_accepted",
        message=sentence(
            gettext_lazy(
                "%(public_name)s adopted your suggestion on “%(title)s”. A reviewer "
                "will weigh it as your contribution."
            ),
            public_name=actor.public_name,
            title=idea.title,
        ),
        url=comment.get_absolute_url(),
    )
    return comment
