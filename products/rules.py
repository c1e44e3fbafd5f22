"""Who may do what to a product (core.rules: refusals, never raised here)."""

from django.utils.translation import gettext

from accounts.roles import is_reviewer
from core.errors import NotAllowed, ValidationFailed
from core.rules import Refusal

from .life_models import ProductTeamMember


def _signed_in(member) -> bool:
    return bool(member is not None and member.is_authenticated)


def _is_staff(member) -> bool:
    # SPEC section 1: staff and superusers hold every role, the product's creator's included.
    return bool(member.is_staff or member.is_superuser)


def is_team_member(*, product, member) -> bool:
    """The creator or a member the creator added to the team."""
    if not _signed_in(member):
        return False
    if member.pk == product.idea.creator_id:
        return True
    return ProductTeamMember.objects.filter(product=product, member=member).exists()


def may_manage_product(*, product, member) -> Refusal | None:
    """The product's creator, a member of its team, or staff."""
    if _signed_in(member) and (_is_staff(member) or is_team_member(product=product, member=member)):
        return None
    return NotAllowed(gettext("Only the product's creator and its team may do this."))


def may_add_team_member(*, product, actor, member) -> Refusal | None:
    """Only the creator (or staff) adds members; each member once, the creator never."""
    if not _signed_in(actor) or not (actor.pk == product.idea.creator_id or _is_staff(actor)):
        return NotAllowed(gettext("Only the product's creator adds members to its team."))
    if member.pk == product.idea.creator_id:
        return ValidationFailed.for_field(
            "username", gettext("The creator is on the team already.")
        )
    if ProductTeamMember.objects.filter(product=product, member=member).exists():
        return ValidationFailed.for_field(
            "username", gettext("This member is on the team already."), code="duplicate"
        )
    if not member.is_active:
        return ValidationFailed.for_field("username", gettext("Choose an active member."))
    return None


def may_review_product(*, member) -> Refusal | None:
    if is_reviewer(member):
        return None
    return NotAllowed(gettext("Only reviewers may do this."))
