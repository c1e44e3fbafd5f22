"""Who may do what to a product (core.rules: refusals, never raised here)."""

from django.utils.translation import gettext

from accounts.roles import is_reviewer
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.rules import Refusal

from .life_models import Abandonment, ProductTeamMember, Stage


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


def may_manage_team(*, product, actor) -> Refusal | None:
    """Only the creator (or staff) adds members to the team."""
    if not _signed_in(actor) or not (actor.pk == product.idea.creator_id or _is_staff(actor)):
        return NotAllowed(gettext("Only the product's creator adds members to its team."))
    return None


def may_add_team_member(*, product, actor, member) -> Refusal | None:
    """Only the creator (or staff) adds members; each member once, the creator never."""
    refusal = may_manage_team(product=product, actor=actor)
    if refusal is not None:
        return refusal
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


# --- The product's life ---------------------------------------------------------------------

STAGE_ORDER = [Stage.DESIGN, Stage.PROTOTYPE, Stage.PRODUCTION, Stage.ON_SALE, Stage.ENDED]
QUIET_DAYS = 30  # a product with no creator update for this long says so on its page
SILENT_DAYS = 90  # no update and no milestone met for this long: a reviewer may ask to abandon


def may_move_stage(*, product, life, actor, to_stage: str) -> Refusal | None:
    """The creator or a reviewer moves the product forward, one or more stages; an ended
    product stays ended (an abandonment ends it through its confirmation)."""
    creator = _signed_in(actor) and actor.pk == product.idea.creator_id
    if not (creator or is_reviewer(actor)):
        return NotAllowed(gettext("Only the product's creator or a reviewer moves its stage."))
    if life.stage == Stage.ENDED:
        return Conflict(gettext("The product has ended: its stage no longer moves."), code="ended")
    if to_stage not in STAGE_ORDER or STAGE_ORDER.index(to_stage) <= STAGE_ORDER.index(life.stage):
        return ValidationFailed.for_field(
            "stage",
            gettext("Choose a stage after the current one (%(stage)s).")
            % {"stage": Stage(life.stage).label},
        )
    return None


def may_plan(*, product, life, member) -> Refusal | None:
    """The team adds and changes milestones while the product has not ended."""
    refusal = may_manage_product(product=product, member=member)
    if refusal is not None:
        return refusal
    if life.stage == Stage.ENDED:
        return Conflict(gettext("The product has ended: its plan no longer changes."), code="ended")
    return None


def may_change_milestone(*, milestone, life, member) -> Refusal | None:
    refusal = may_plan(product=milestone.product, life=life, member=member)
    if refusal is not None:
        return refusal
    if milestone.done_at is not None:
        return Conflict(gettext("This milestone is done: it no longer changes."), code="done")
    return None


def may_ask_abandonment(*, product, life, actor, silent_since, now) -> Refusal | None:
    """The creator asks at any time; a reviewer asks once the product has had no update and no
    milestone met for ``SILENT_DAYS`` (``silent_since``: the last update, milestone met or,
    failing both, the funding)."""
    if life.stage == Stage.ENDED:
        return Conflict(gettext("The product has ended already."), code="ended")
    if _signed_in(actor) and actor.pk == product.idea.creator_id:
        return None
    if not is_reviewer(actor):
        return NotAllowed(
            gettext("Only the product's creator or a reviewer asks to abandon the product.")
        )
    if (now - silent_since).days < SILENT_DAYS:
        return Conflict(
            gettext(
                "A reviewer may ask to abandon a product only after %(days)s days with no "
                "update and no milestone met."
            )
            % {"days": SILENT_DAYS},
            code="not_silent",
        )
    return None


def may_confirm_abandonment(*, abandonment, actor) -> Refusal | None:
    """A reviewer other than the one who asked, and not the product's creator (four eyes)."""
    if not is_reviewer(actor):
        return NotAllowed(gettext("Only reviewers confirm an abandonment."))
    if actor.pk == abandonment.asked_by_id:
        return NotAllowed(
            gettext("A different reviewer confirms the abandonment: you asked for it.")
        )
    if actor.pk == abandonment.product.idea.creator_id:
        return NotAllowed(gettext("Reviewers never decide on their own product."))
    if abandonment.status != Abandonment.Status.ASKED:
        return Conflict(gettext("This abandonment is confirmed already."), code="confirmed")
    return None
