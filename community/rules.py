"""Who may follow and post updates (core.rules: refusals, never raised here)."""

from django.utils.translation import gettext

from core.errors import NotAllowed, ValidationFailed
from core.rules import Refusal


def may_follow_idea(*, idea) -> Refusal | None:
    if not idea.is_public:
        return ValidationFailed.for_field("idea", gettext("Follow an idea that is published."))
    return None


def may_follow_member(*, followed, follower) -> Refusal | None:
    if followed.pk == follower.pk:
        return ValidationFailed.for_field("member", gettext("Follow someone other than yourself."))
    return None


def may_post_update(*, idea, member) -> Refusal | None:
    """Only the idea's creator, and only once the idea is public."""
    if not member.is_authenticated or member.pk != idea.creator_id:
        return NotAllowed(gettext("Only the idea's creator posts its updates."))
    if not idea.is_public:
        return ValidationFailed.for_field(
            "idea", gettext("Publish the idea before posting updates to it.")
        )
    return None
