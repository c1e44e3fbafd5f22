"""Who may do what with ideas and their discussion (SPEC sections 2 and 3).

Each rule reads and never writes, and returns a refusal (``core.rules.Refusal``) or ``None``.
The services ``check()`` them before writing; pages, the API and the template tags
(``ideas_tags``) call the same functions to decide what to show.
"""

from django.utils.translation import gettext

from accounts.permissions import email_verified_or_not_required
from accounts.roles import is_reviewer
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.rules import Refusal

from .models import IdeaStatus

# The creator edits (and withdraws) while the idea is still a draft or in voting.
EDITABLE_STATES = (IdeaStatus.DRAFT, IdeaStatus.VOTING)
# Suggestions can be accepted while the idea is alive; a dead idea has nothing to improve.
ACCEPTING_STATES = (
    IdeaStatus.VOTING,
    IdeaStatus.REVIEW,
    IdeaStatus.FUNDING,
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PRODUCTION,
    IdeaStatus.LAUNCHED,
)


def _signed_in(member) -> bool:
    return member is not None and member.is_authenticated


def may_edit_idea(*, idea, member) -> Refusal | None:
    if not _signed_in(member) or idea.creator_id != member.pk:
        return NotAllowed(gettext("Only the idea's creator may edit it."))
    if idea.status not in EDITABLE_STATES:
        return Conflict(
            gettext("An idea in %(lower)s can no longer be edited.")
            % {"lower": idea.get_status_display().lower()},
            code="invalid_state",
        )
    if idea.hidden_at:
        return Conflict(
            gettext("The moderators hid this idea; it cannot be edited."), code="hidden"
        )
    return None


def may_publish_idea(*, idea, member) -> Refusal | None:
    """The creator publishes their own draft, unless the moderators hid it."""
    if not _signed_in(member) or idea.creator_id != member.pk:
        return NotAllowed(gettext("Only the idea's creator may publish it."))
    if idea.hidden_at:
        return Conflict(
            gettext("The moderators hid this idea; it cannot be published."), code="hidden"
        )
    if idea.status != IdeaStatus.DRAFT:
        return Conflict(gettext("Only a draft can be published."), code="invalid_state")
    return None


def may_withdraw_idea(*, idea, member) -> Refusal | None:
    """The creator takes back their idea while it is a draft or in voting."""
    if not _signed_in(member) or idea.creator_id != member.pk:
        return NotAllowed(gettext("Only the idea's creator may withdraw it."))
    if idea.status not in EDITABLE_STATES:
        return Conflict(
            gettext("An idea in %(lower)s can no longer be withdrawn.")
            % {"lower": idea.get_status_display().lower()},
            code="invalid_state",
        )
    return None


def may_moderate(*, member) -> Refusal | None:
    """Hide, show again, dismiss flags, see the moderation queue: reviewers only."""
    if not is_reviewer(member):
        return NotAllowed(gettext("Only reviewers may moderate content."))
    return None


def may_see_hidden(*, hidden_at, author_id: int, member) -> Refusal | None:
    """Hidden ideas and comments show their content only to their author and to reviewers
    (everyone else sees that something was hidden, and why)."""
    if hidden_at is None:
        return None
    if _signed_in(member) and (member.pk == author_id or is_reviewer(member)):
        return None
    return NotAllowed(gettext("The moderators hid this."))


def content_visible(*, hidden_at, author_id: int, member) -> bool:
    return may_see_hidden(hidden_at=hidden_at, author_id=author_id, member=member) is None


def may_comment(*, idea, parent=None) -> Refusal | None:
    """A comment (or a reply) on a published idea that is not hidden, under a visible comment."""
    if idea.published_at is None:
        return ValidationFailed.for_field(
            "idea", gettext("Publish the idea before opening its discussion.")
        )
    if idea.hidden_at is not None:
        return ValidationFailed.for_field(
            "idea", gettext("Comment on another idea: the moderators hid this one.")
        )
    if parent is not None:
        if parent.idea_id != idea.pk:
            return ValidationFailed.for_field("parent", gettext("Reply to a comment on this idea."))
        if parent.hidden_at is not None:
            return ValidationFailed.for_field(
                "parent", gettext("Reply elsewhere: the moderators hid that comment.")
            )
    return None


def may_accept_suggestion(*, comment, member) -> Refusal | None:
    """The idea's creator adopts someone else's visible suggestion while the idea is alive."""
    idea = comment.idea
    if not _signed_in(member) or idea.creator_id != member.pk:
        return NotAllowed(gettext("Only the idea's creator may accept suggestions."))
    if not comment.is_suggestion:
        return ValidationFailed.for_field(
            "comment", gettext("Accept a comment marked as a suggestion.")
        )
    if comment.author_id == member.pk:
        return ValidationFailed.for_field(
            "comment",
            gettext("Accept suggestions by others: your own ideas go in the idea itself."),
        )
    if comment.hidden_at is not None:
        return ValidationFailed.for_field(
            "comment", gettext("Accept another suggestion: the moderators hid this one.")
        )
    if idea.status not in ACCEPTING_STATES:
        return Conflict(
            gettext("Suggestions cannot be accepted while the idea is %(get_status_display)s.")
            % {"get_status_display": idea.get_status_display()},
            code="invalid_state",
        )
    if comment.accepted_at is not None:
        return Conflict(gettext("This suggestion was already accepted."), code="already_accepted")
    return None


def may_flag(*, target, member) -> Refusal | None:
    """A member reports someone else's idea or comment that is still shown."""
    owner_id = getattr(target, "author_id", None) or target.creator_id
    if not _signed_in(member):
        return NotAllowed(gettext("Sign in to flag content."))
    if owner_id == member.pk:
        return ValidationFailed.for_field("reason", gettext("Flag posts by others, not your own."))
    if target.hidden_at is not None:
        return Conflict(gettext("The moderators already hid this."), code="already_hidden")
    return None


def may_back_idea(*, idea, member, sign_in: str, own_idea: str) -> Refusal | None:
    """Voting on or pledging to an idea: a signed-in member with a verified e-mail (when
    verification is mandatory) who is not its creator. ``sign_in`` and ``own_idea`` are the
    caller's words for the first two refusals."""
    if member is None or not member.is_authenticated:
        return NotAllowed(sign_in, code="not_authenticated")
    if member.pk == idea.creator_id:
        return NotAllowed(own_idea, code="own_idea")
    if not email_verified_or_not_required(member):
        return NotAllowed(
            gettext("Verify your e-mail address first: follow the link we sent you."),
            code="email_unverified",
        )
    return None
