"""Contribution claims and their decisions (SPEC section 4)."""

from django.db import transaction
from django.utils import timezone

from .models import Contribution, ContributionKind, ContributionStatus


@transaction.atomic
def contribution_claim(
    *,
    idea,
    member,
    kind: str,
    description: str,
    proposed_points: int,
    evidence_url: str = "",
    evidence_file=None,
) -> Contribution:
    """Record a pending claim for a reviewer to weigh (accepted suggestions arrive this way)."""
    return Contribution.objects.create(
        idea=idea,
        member=member,
        kind=kind,
        description=description,
        proposed_points=proposed_points,
        evidence_url=evidence_url,
        evidence_file=evidence_file or "",
    )


def contribution_record_funding(*, pledge, points: int, decided_by=None) -> Contribution:
    """The approved funding contribution of one pledge of a funded round (one per pledge).

    Call inside the transaction that closes the round.
    """
    now = timezone.now()
    return Contribution.objects.create(
        idea_id=pledge.idea_id,
        member_id=pledge.member_id,
        kind=ContributionKind.FUNDING,
        description=f"Pledged {pledge.amount} {pledge.currency} (minor units)",
        proposed_points=points,
        points=points,
        status=ContributionStatus.APPROVED,
        decided_by=decided_by,
        decided_at=now,
        pledge=pledge,
    )
