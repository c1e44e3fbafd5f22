"""The idea's state machine (SPEC section 2): the one place a status changes.

Every app that moves an idea (publishing, the threshold, review, funding) calls
``idea_transition``; it records who, when and why in the audit trail.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict
from core.phrases import Said

from .models import Idea, IdeaStatus, IdeaTransition

S = IdeaStatus
ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.VOTING, S.WITHDRAWN},
    S.VOTING: {S.REVIEW, S.EXPIRED, S.WITHDRAWN},
    S.REVIEW: {S.FUNDING, S.REJECTED},
    S.FUNDING: {S.FUNDED, S.FUNDING_FAILED},
    S.FUNDED: {S.IN_PRODUCTION},
    S.IN_PRODUCTION: {S.LAUNCHED},
}


@transaction.atomic
def idea_transition(
    *, idea: Idea, to_status: str, actor=None, reason: str | Said = "", **fields
) -> IdeaTransition:
    """Move ``idea`` from its current status to ``to_status``, exactly once.

    The change is a conditional ``UPDATE … WHERE status = <from>``: if two callers race (two
    reviewers, two votes crossing the threshold), one wins and the other gets ``Conflict``.
    Extra ``fields`` are written in the same UPDATE. ``idea`` is updated in place. ``reason``
    is a person's words, or what the platform says as a phrase (``core.phrases.said``).
    """
    from_status = idea.status
    if to_status not in ALLOWED.get(from_status, set()):
        raise Conflict(
            gettext("An idea in %(from_status)s cannot move to %(to_status)s.")
            % {"from_status": f"{from_status!r}", "to_status": f"{to_status!r}"},
            code="invalid_state",
        )
    fields = {"status": to_status, "updated_at": timezone.now(), **fields}
    # FOR UPDATE first, the strongest row lock: it waits for the votes in flight (voting's one
    # statement reads the idea FOR KEY SHARE) and holds new ones until this move commits, so no
    # vote is counted on an idea after it left voting.
    Idea.objects.select_for_update().filter(pk=idea.pk).values_list("pk").first()
    won = Idea.objects.filter(pk=idea.pk, status=from_status).update(**fields)
    if not won:
        # Another transaction moved it first; say where it is now.
        current = Idea.objects.filter(pk=idea.pk).values_list("status", flat=True).first()
        raise Conflict(
            gettext("The idea is no longer %(from_status)s (it is %(current)s).")
            % {"from_status": f"{from_status!r}", "current": f"{current!r}"},
            code="state_changed",
        )
    for name, value in fields.items():
        setattr(idea, name, value)
    words: dict = {"reason": reason}
    if isinstance(reason, Said):
        words = {"reason_code": reason.code, "reason_params": reason.params}
    return IdeaTransition.objects.create(
        idea=idea, from_status=from_status, to_status=to_status, actor=actor, **words
    )
