"""Flags and moderation: members report, reviewers hide, show again or dismiss (SPEC 3)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict
from core.phrases import said
from core.rules import check
from notifications.services import notify

from .. import listcache, phrases, rules
from ..models import Comment, Flag, FlagStatus, Idea, ModerationAction, ModerationEvent
from .validation import check_reason


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
            raise Conflict(
                gettext("This %(kind)s is already hidden.") % {"kind": kind}, code="already_hidden"
            )
        raise Conflict(gettext("This %(kind)s is not hidden.") % {"kind": kind}, code="not_hidden")
    for name, value in values.items():
        setattr(target, name, value)
    if isinstance(target, Idea):
        listcache.lists_changed()  # an UPDATE, not a save: retire the cached lists here
        listcache.threads_changed(target.pk)
    else:
        listcache.threads_changed(target.idea_id)
    ModerationEvent.objects.create(
        **{"idea" if isinstance(target, Idea) else "comment": target},
        action=ModerationAction.HIDE if hide else ModerationAction.UNHIDE,
        actor=actor,
        reason=reason,
    )


def _moderated(actor, reason) -> str:
    """The reviewer may moderate and gave a reason: the reason, checked."""
    check(rules.may_moderate(member=actor))
    return check_reason(reason)


@transaction.atomic
def idea_hide(*, idea: Idea, actor, reason: str) -> Idea:
    """A reviewer hides an idea from the lists, with a reason; it stays in the database."""
    reason = _moderated(actor, reason)
    _set_hidden(idea, hide=True, actor=actor, reason=reason)
    _resolve_flags(actor=actor, status=FlagStatus.HIDDEN, idea=idea)
    notify(
        recipients=[idea.creator],
        kind="idea_hidden",
        message=said(
            phrases.IDEA_HIDDEN_NOTICE,
            title=idea.title,
            reason=reason,
        ),
        url=idea.get_absolute_url(),
    )
    return idea


@transaction.atomic
def idea_unhide(*, idea: Idea, actor, reason: str) -> Idea:
    reason = _moderated(actor, reason)
    _set_hidden(idea, hide=False, actor=actor, reason=reason)
    return idea


@transaction.atomic
def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    """A reviewer hides a comment with a reason; it stays in the database and the log."""
    reason = _moderated(actor, reason)
    _set_hidden(comment, hide=True, actor=actor, reason=reason)
    Idea.objects.filter(pk=comment.idea_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    _resolve_flags(actor=actor, status=FlagStatus.HIDDEN, comment=comment)
    notify(
        recipients=[comment.author],
        kind="comment_hidden",
        message=said(
            phrases.COMMENT_HIDDEN_NOTICE,
            title=comment.idea.title,
            reason=reason,
        ),
        url=comment.get_absolute_url(),
    )
    return comment


@transaction.atomic
def comment_unhide(*, comment: Comment, actor, reason: str) -> Comment:
    reason = _moderated(actor, reason)
    _set_hidden(comment, hide=False, actor=actor, reason=reason)
    Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def flag_create(*, reporter, reason: str, idea: Idea | None = None, comment=None) -> Flag:
    """A member reports an idea or a comment to the reviewers (once while the flag is open)."""
    if (idea is None) == (comment is None):
        raise ValueError("Flag exactly one of idea or comment.")
    reason = check_reason(reason)
    check(rules.may_flag(target=comment or idea, member=reporter))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(reporter=reporter, idea=idea, comment=comment, reason=reason)
    except IntegrityError:  # the partial unique constraint: one open flag per member
        raise Conflict(
            gettext("You already flagged this; the reviewers will look at it.")
        ) from None
    return flag


@transaction.atomic
def flags_dismiss(*, actor, reason: str = "", idea: Idea | None = None, comment=None) -> int:
    """A reviewer decides the flagged content may stay; the open flags are closed. A reason is
    optional here (nothing is taken from the author); the log then records a plain one."""
    check(rules.may_moderate(member=actor))
    words: dict = {"reason_code": phrases.FLAGS_DISMISSED}
    if (reason or "").strip():
        words = {"reason": check_reason(reason)}
    count = _resolve_flags(actor=actor, status=FlagStatus.DISMISSED, idea=idea, comment=comment)
    if not count:
        raise Conflict(gettext("There are no open flags on this."), code="no_open_flags")
    ModerationEvent.objects.create(
        idea=None if comment else idea,
        comment=comment,
        action=ModerationAction.DISMISS,
        actor=actor,
        **words,
    )
    return count
