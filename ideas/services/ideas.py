"""Everything that changes ideas and their discussion (SPEC sections 2 and 3).

Status changes go through ``ideas.transitions.idea_transition`` (the only place a status
changes); the services here check who may do what, validate input, and tell the people
concerned.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from contributions.services import contribution_claim
from core.errors import Conflict, NotAllowed, ValidationFailed
from notifications.services import notify

from .models import (
    Category,
    Comment,
    Flag,
    FlagStatus,
    Idea,
    IdeaStatus,
    ModerationAction,
    ModerationEvent,
    Tag,
)
from .rendering import render_markdown
from .transitions import idea_transition
from .video import video_detect, video_embed_url

MAX_TAGS = 8
COMMENT_MAX_LENGTH = 10_000
BODY_MAX_LENGTH = 50_000
REASON_MAX_LENGTH = 500
SUGGESTION_DEFAULT_POINTS = 10
# Suggestions can be accepted while the idea is alive; a dead idea has nothing to improve.
ACCEPTING_STATES = {
    IdeaStatus.VOTING,
    IdeaStatus.REVIEW,
    IdeaStatus.FUNDING,
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PRODUCTION,
    IdeaStatus.LAUNCHED,
}
_UNSET = object()


# --- Checks ---------------------------------------------------------------------------------


def _fail(fields: dict[str, list[str]]) -> None:
    if fields:
        field, messages = next(iter(fields.items()))
        raise ValidationFailed(f"{field}: {messages[0]}", fields=fields)


def _check_text(fields: dict, name: str, value, *, max_length: int, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        fields[name] = [f"{label} must not be empty."]
        return ""
    value = value.strip()
    if len(value) > max_length:
        fields[name] = [f"{label} is {len(value)} characters long; the limit is {max_length}."]
    return value


def _check_reason(reason) -> str:
    fields: dict[str, list[str]] = {}
    value = _check_text(fields, "reason", reason, max_length=REASON_MAX_LENGTH, label="A reason")
    _fail(fields)
    return value


def _tags_from_names(names: Iterable[str], fields: dict) -> list[Tag]:
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())[:40]
        slug = slugify(name)[:40]
        if not slug:
            continue
        cleaned.setdefault(slug, name)
    if len(cleaned) > MAX_TAGS:
        fields["tags"] = [f"At most {MAX_TAGS} tags, please."]
        return []
    tags = []
    for slug, name in cleaned.items():
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(slug=slug, name=name.lower())
            except IntegrityError:  # created meanwhile by someone else, or the name exists
                tag = Tag.objects.filter(slug=slug).first() or Tag.objects.get(name=name.lower())
        tags.append(tag)
    return tags


def _apply_video(idea: Idea, *, video_file, video_url: str | None, fields: dict) -> None:
    """Set the idea's video from an upload or a link (not both); a new one replaces the old."""
    if video_file and video_url:
        fields["video_url"] = ["Give either a video file or a link, not both."]
        return
    if video_file:
        try:
            detected = video_detect(video_file)
        except ValidationFailed as exc:
            fields.update(exc.fields)
            return
        old = idea.video_file.name if idea.video_file else ""
        # The storage picks the random name (ideas.models.video_upload_to); save=False because
        # the service saves the idea itself.
        idea.video_file.save(f"video.{detected.extension}", video_file, save=False)
        idea.video_mime = detected.mime
        idea.video_url = idea.video_embed_url = ""
        if old:
            transaction.on_commit(lambda: idea.video_file.storage.delete(old))
    elif video_url:
        try:
            idea.video_embed_url = video_embed_url(video_url)
        except ValidationFailed as exc:
            fields.update(exc.fields)
            return
        idea.video_url = video_url.strip()[:200]
        if idea.video_file:
            old = idea.video_file.name
            transaction.on_commit(lambda: idea.video_file.storage.delete(old))
        idea.video_file = ""
        idea.video_mime = ""


# --- Ideas ----------------------------------------------------------------------------------


@transaction.atomic
def idea_create(
    *,
    creator,
    title: str,
    summary: str,
    body: str,
    category: Category | None = None,
    tags: Iterable[str] = (),
    video_file=None,
    video_url: str = "",
) -> Idea:
    """A new draft by ``creator``. Title ≤ 120, summary ≤ 280, a body; video optional."""
    fields: dict[str, list[str]] = {}
    idea = Idea(creator=creator, category=category)
    idea.title = _check_text(fields, "title", title, max_length=120, label="The title")
    idea.summary = _check_text(fields, "summary", summary, max_length=280, label="The summary")
    idea.body = _check_text(fields, "body", body, max_length=BODY_MAX_LENGTH, label="The body")
    tag_objects = _tags_from_names(tags, fields)
    if not fields:
        _apply_video(idea, video_file=video_file, video_url=video_url, fields=fields)
    _fail(fields)
    idea.body_html = render_markdown(idea.body)
    idea.save()
    idea.tags.set(tag_objects)
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    actor,
    title=_UNSET,
    summary=_UNSET,
    body=_UNSET,
    category=_UNSET,
    tags=_UNSET,
    video_file=None,
    video_url=_UNSET,
) -> Idea:
    """The creator edits their idea while it is a draft or in voting (and not hidden).

    Only the arguments given change; ``video_url=""`` removes a linked or uploaded video.
    """
    # Lock the row: a reviewer's decision or the threshold cannot slip between check and save.
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if locked.creator_id != actor.pk:
        raise NotAllowed("Only the idea's creator may edit it.")
    if locked.status not in (IdeaStatus.DRAFT, IdeaStatus.VOTING):
        raise Conflict(
            f"An idea in {locked.get_status_display().lower()} can no longer be edited.",
            code="invalid_state",
        )
    if locked.hidden_at:
        raise Conflict("The moderators hid this idea; it cannot be edited.", code="hidden")
    fields: dict[str, list[str]] = {}
    if title is not _UNSET:
        locked.title = _check_text(fields, "title", title, max_length=120, label="The title")
    if summary is not _UNSET:
        locked.summary = _check_text(
            fields, "summary", summary, max_length=280, label="The summary"
        )
    if body is not _UNSET:
        locked.body = _check_text(
            fields, "body", body, max_length=BODY_MAX_LENGTH, label="The body"
        )
    if category is not _UNSET:
        locked.category = category
    tag_objects = _tags_from_names(tags, fields) if tags is not _UNSET else None
    if not fields:
        if video_file or (video_url is not _UNSET and video_url):
            _apply_video(
                locked,
                video_file=video_file,
                video_url=None if video_url is _UNSET else video_url,
                fields=fields,
            )
        elif video_url is not _UNSET and not video_url:  # "" removes the video
            if locked.video_file:
                old = locked.video_file.name
                transaction.on_commit(lambda: locked.video_file.storage.delete(old))
            locked.video_file = ""
            locked.video_mime = locked.video_url = locked.video_embed_url = ""
    _fail(fields)
    locked.body_html = render_markdown(locked.body)
    locked.save()
    if tag_objects is not None:
        locked.tags.set(tag_objects)
    return locked


@transaction.atomic
def idea_publish(*, idea: Idea, actor) -> Idea:
    """The creator opens their draft for voting for ``VOTING_WINDOW_DAYS``."""
    if idea.creator_id != actor.pk:
        raise NotAllowed("Only the idea's creator may publish it.")
    if idea.hidden_at:
        raise Conflict("The moderators hid this idea; it cannot be published.", code="hidden")
    now = timezone.now()
    deadline = now + timedelta(days=settings.VOTING_WINDOW_DAYS)
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.VOTING,
        actor=actor,
        reason="Published by the creator.",
        published_at=now,
        voting_deadline=deadline,
    )
    notify(
        recipients=[idea.creator],
        kind="idea_published",
        message=f"Your idea “{idea.title}” is open for voting until {deadline:%d %b %Y}. Share it!",
        url=idea.get_absolute_url(),
        email=False,  # they just did it themselves
    )
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, actor, reason: str = "") -> Idea:
    """The creator takes back their idea while it is a draft or in voting."""
    if idea.creator_id != actor.pk:
        raise NotAllowed("Only the idea's creator may withdraw it.")
    reason = (reason or "").strip()[:REASON_MAX_LENGTH] or "Withdrawn by the creator."
    idea_transition(idea=idea, to_status=IdeaStatus.WITHDRAWN, actor=actor, reason=reason)
    from accounts.models import User

    voters = User.objects.filter(votes__idea=idea).exclude(pk=actor.pk)
    notify(
        recipients=list(voters),
        kind="idea_withdrawn",
        message=f"“{idea.title}”, an idea you voted for, was withdrawn by its creator.",
        url=idea.get_absolute_url(),
    )
    return idea


def _check_reviewer(actor) -> None:
    from accounts.roles import is_reviewer

    if not is_reviewer(actor):
        raise NotAllowed("Only reviewers may moderate content.")


def _resolve_flags(*, actor, status: str, idea=None, comment=None) -> int:
    flags = Flag.objects.filter(status=FlagStatus.OPEN)
    flags = flags.filter(comment=comment) if comment else flags.filter(idea=idea)
    return flags.update(status=status, resolved_at=timezone.now(), resolved_by=actor)


def _set_hidden(target, *, hide: bool, actor, reason: str) -> None:
    """Hide or show again an idea or a comment, exactly once, and log it.

    A conditional UPDATE: of two reviewers acting at once, one records it and the other gets
    Conflict. ``target`` is updated in place.
    """
    kind = target._meta.verbose_name
    now = timezone.now()
    values = {"hidden_at": now, "hidden_reason": reason, "hidden_by": actor} if hide else {
        "hidden_at": None, "hidden_reason": "", "hidden_by": None
    }  # fmt: skip
    won = type(target).objects.filter(pk=target.pk, hidden_at__isnull=hide).update(**values)
    if not won:
        if hide:
            raise Conflict(f"This {kind} is already hidden.", code="already_hidden")
        raise Conflict(f"This {kind} is not hidden.", code="not_hidden")
    for name, value in values.items():
        setattr(target, name, value)
    ModerationEvent.objects.create(
        **{"idea" if isinstance(target, Idea) else "comment": target},
        action=ModerationAction.HIDE if hide else ModerationAction.UNHIDE,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def idea_hide(*, idea: Idea, actor, reason: str) -> Idea:
    """A reviewer hides an idea from the lists, with a reason; it stays in the database."""
    _check_reviewer(actor)
    reason = _check_reason(reason)
    _set_hidden(idea, hide=True, actor=actor, reason=reason)
    _resolve_flags(actor=actor, status=FlagStatus.HIDDEN, idea=idea)
    notify(
        recipients=[idea.creator],
        kind="idea_hidden",
        message=f"The moderators hid your idea “{idea.title}”: {reason}",
        url=idea.get_absolute_url(),
    )
    return idea


@transaction.atomic
def idea_unhide(*, idea: Idea, actor, reason: str) -> Idea:
    _check_reviewer(actor)
    reason = _check_reason(reason)
    _set_hidden(idea, hide=False, actor=actor, reason=reason)
    return idea


# --- Discussion -----------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *, idea: Idea, author, body: str, parent: Comment | None = None, is_suggestion: bool = False
) -> Comment:
    """A comment (or a reply, or a suggestion) on a published idea that is not hidden."""
    fields: dict[str, list[str]] = {}
    body = _check_text(fields, "body", body, max_length=COMMENT_MAX_LENGTH, label="The comment")
    if idea.published_at is None:
        fields["idea"] = ["Drafts take no comments; publish the idea first."]
    elif idea.hidden_at is not None:
        fields["idea"] = ["The moderators hid this idea; it takes no new comments."]
    if parent is not None:
        if parent.idea_id != idea.pk:
            fields["parent"] = ["That comment belongs to another idea."]
        elif parent.hidden_at is not None:
            fields["parent"] = ["That comment was hidden by the moderators; reply elsewhere."]
    _fail(fields)
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
    name = author.public_name
    url = comment.get_absolute_url()
    told: set[int] = {author.pk}
    if parent is not None and parent.author_id not in told:
        told.add(parent.author_id)
        notify(
            recipients=[parent.author],
            kind="comment_reply",
            message=f"{name} replied to your comment on “{idea.title}”.",
            url=url,
        )
    if idea.creator_id not in told:
        what = "suggested an improvement to" if is_suggestion else "commented on"
        notify(
            recipients=[idea.creator],
            kind="comment_on_idea",
            message=f"{name} {what} your idea “{idea.title}”.",
            url=url,
        )
    return comment


@transaction.atomic
def comment_accept(
    *, comment: Comment, actor, points: int = SUGGESTION_DEFAULT_POINTS, note: str = ""
) -> Comment:
    """The idea's creator adopts a suggestion: a pending ``suggestion`` claim of its author.

    A reviewer approves and weighs the claim later (SPEC section 4). Accepting twice is a
    conflict, never a second claim.
    """
    idea = comment.idea
    if idea.creator_id != actor.pk:
        raise NotAllowed("Only the idea's creator may accept suggestions.")
    if not comment.is_suggestion:
        raise ValidationFailed(
            "Only suggestions can be accepted.",
            fields={"comment": ["This comment is not marked as a suggestion."]},
        )
    if comment.author_id == actor.pk:
        raise ValidationFailed(
            "You cannot accept your own suggestion.",
            fields={"comment": ["Creators cannot accept their own suggestions."]},
        )
    if comment.hidden_at is not None:
        raise ValidationFailed(
            "This suggestion was hidden by the moderators.",
            fields={"comment": ["Hidden suggestions cannot be accepted."]},
        )
    if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 1000:
        raise ValidationFailed(
            "points: a whole number from 1 to 1000.",
            fields={"points": ["A whole number from 1 to 1000."]},
        )
    if idea.status not in ACCEPTING_STATES:
        raise Conflict(
            f"Suggestions cannot be accepted while the idea is {idea.get_status_display()}.",
            code="invalid_state",
        )
    now = timezone.now()
    # Conditional update: a double click or two tabs accept once, never two claims.
    won = Comment.objects.filter(pk=comment.pk, accepted_at__isnull=True).update(accepted_at=now)
    if not won:
        raise Conflict("This suggestion was already accepted.", code="already_accepted")
    description = (note or "").strip()[:500] or (
        f"Suggestion adopted by the creator: {comment.body[:400]}"
    )
    contribution = contribution_claim(
        idea=idea,
        member=comment.author,
        kind="suggestion",
        description=description,
        proposed_points=points,
    )
    Comment.objects.filter(pk=comment.pk).update(contribution=contribution)
    comment.accepted_at, comment.contribution = now, contribution
    notify(
        recipients=[comment.author],
        kind="suggestion_accepted",
        message=f"{actor.public_name} adopted your suggestion on “{idea.title}”. A reviewer "
        "will weigh it as your contribution.",
        url=comment.get_absolute_url(),
    )
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    """A reviewer hides a comment with a reason; it stays in the database and the log."""
    _check_reviewer(actor)
    reason = _check_reason(reason)
    _set_hidden(comment, hide=True, actor=actor, reason=reason)
    Idea.objects.filter(pk=comment.idea_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    _resolve_flags(actor=actor, status=FlagStatus.HIDDEN, comment=comment)
    notify(
        recipients=[comment.author],
        kind="comment_hidden",
        message=f"The moderators hid your comment on “{comment.idea.title}”: {reason}",
        url=comment.get_absolute_url(),
    )
    return comment


@transaction.atomic
def comment_unhide(*, comment: Comment, actor, reason: str) -> Comment:
    _check_reviewer(actor)
    reason = _check_reason(reason)
    _set_hidden(comment, hide=False, actor=actor, reason=reason)
    Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
    return comment


# --- Flags ----------------------------------------------------------------------------------


@transaction.atomic
def flag_create(*, reporter, reason: str, idea: Idea | None = None, comment=None) -> Flag:
    """A member reports an idea or a comment to the reviewers (once while the flag is open)."""
    if (idea is None) == (comment is None):
        raise ValueError("Flag exactly one of idea or comment.")
    reason = _check_reason(reason)
    target = comment or idea
    owner_id = target.author_id if comment else target.creator_id
    if owner_id == reporter.pk:
        raise ValidationFailed(
            "You cannot flag your own content.", fields={"reason": ["This is your own post."]}
        )
    if target.hidden_at is not None:
        raise Conflict("The moderators already hid this.", code="already_hidden")
    try:
        with transaction.atomic():
            flag = Flag.objects.create(reporter=reporter, idea=idea, comment=comment, reason=reason)
    except IntegrityError:  # the partial unique constraint: one open flag per member
        raise Conflict("You already flagged this; the reviewers will look at it.") from None
    return flag


@transaction.atomic
def flags_dismiss(*, actor, reason: str, idea: Idea | None = None, comment=None) -> int:
    """A reviewer decides the flagged content may stay; the open flags are closed."""
    _check_reviewer(actor)
    reason = _check_reason(reason)
    count = _resolve_flags(actor=actor, status=FlagStatus.DISMISSED, idea=idea, comment=comment)
    if not count:
        raise Conflict("There are no open flags on this.", code="no_open_flags")
    ModerationEvent.objects.create(
        idea=None if comment else idea,
        comment=comment,
        action=ModerationAction.DISMISS,
        actor=actor,
        reason=reason,
    )
    return count
