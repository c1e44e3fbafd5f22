"""Who may claim, endorse, decide and see contribution claims (SPEC section 4).

Each rule reads and never writes, and returns a refusal (``core.rules.Refusal``) or ``None``.
The services ``check()`` them before writing; pages, the API and the template tags in
``contributions/templatetags/contribution_rules.py`` show their answer and never restate them.
"""

from django.utils.translation import gettext

from accounts.permissions import email_verified_or_not_required
from accounts.roles import is_reviewer
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.rules import Refusal

from .models import Contribution, ContributionStatus


def _signed_in(member) -> bool:
    return member is not None and member.is_authenticated


def may_claim_anything(*, member) -> Refusal | None:
    """Signed in, and with a verified e-mail address when verification is mandatory."""
    if not _signed_in(member):
        return NotAllowed(gettext("Sign in to claim a contribution."), code="not_authenticated")
    if not email_verified_or_not_required(member):
        return NotAllowed(gettext("Verify your e-mail address before claiming contributions."))
    return None


def may_claim(*, member, product) -> Refusal | None:
    """A member claims on a product (a funded idea); ``product`` is None for any other idea."""
    refusal = may_claim_anything(member=member)
    if refusal is None and product is None:
        return ValidationFailed.for_field(
            "idea", gettext("Choose a funded product: contributions are claimed on products only.")
        )
    return refusal


def may_endorse(*, contribution: Contribution, actor) -> Refusal | None:
    """The idea's creator vouches, once, for someone else's pending claim."""
    if not _signed_in(actor) or actor.pk != contribution.idea.creator_id:
        return NotAllowed(gettext("Only the idea's creator may endorse its contribution claims."))
    if contribution.member_id == actor.pk:
        return NotAllowed(gettext("You cannot endorse your own claim."))
    if contribution.status != ContributionStatus.PENDING:
        return Conflict(gettext("Only pending claims can be endorsed."), code="already_decided")
    if contribution.endorsed_at is not None:
        return Conflict(
            gettext("This claim is already endorsed or decided."), code="already_endorsed"
        )
    return None


def may_review(*, member) -> Refusal | None:
    """Reviewers (staff included) see the queue of pending claims and decide them."""
    if not is_reviewer(member):
        return NotAllowed(gettext("Only reviewers decide contribution claims."))
    return None


def may_decide(*, contribution: Contribution, reviewer) -> Refusal | None:
    """A reviewer approves (and sets the points) or rejects a claim, never their own."""
    refusal = may_review(member=reviewer)
    if refusal is None and contribution.member_id == reviewer.pk:
        return NotAllowed(gettext("You cannot decide your own claim; another reviewer must."))
    return refusal


def may_see_all_claims(*, idea, viewer) -> Refusal | None:
    """The idea's creator and reviewers see every claim on it, pending and rejected ones too."""
    if is_reviewer(viewer) or (_signed_in(viewer) and viewer.pk == idea.creator_id):
        return None
    return NotAllowed(gettext("Only the idea's creator and reviewers see every claim."))


def may_see(*, contribution: Contribution, viewer) -> Refusal | None:
    """A claim and its evidence (link and file): approved ones are public; pending and rejected
    ones are seen by their claimant, the idea's creator and reviewers."""
    if contribution.status == ContributionStatus.APPROVED:
        return None
    if _signed_in(viewer) and viewer.pk == contribution.member_id:
        return None
    return may_see_all_claims(idea=contribution.idea, viewer=viewer)
