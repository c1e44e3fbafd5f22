"""Contribution claims and their decisions (SPEC section 4).

A claim is pending until a reviewer approves it with final points or rejects it with a reason.
Decisions are a conditional ``UPDATE … WHERE status = 'pending'``, so two reviewers deciding the
same claim at once produce one decision and one ``Conflict``.
"""

from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import email_verified_or_not_required
from accounts.roles import is_reviewer
from core.errors import Conflict, NotAllowed, ValidationFailed
from notifications.services import notify

from .models import Contribution, ContributionKind, ContributionStatus

# One claim is never worth more than this; keeps typos (and int overflow) out of the split.
MAX_POINTS = 1_000_000
MAX_DESCRIPTION = 10_000
MAX_REASON = 2_000
EVIDENCE_MAX_UPLOAD_BYTES = getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Evidence files are recognised from their bytes (filetype), never from their name.
EVIDENCE_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/zip": "zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Kinds a member may claim; funding contributions only come from pledges.
CLAIMABLE_KINDS = [k for k in ContributionKind.values if k != ContributionKind.FUNDING]


def _check_points(value, *, field: str) -> int:
    # bool is an int in Python and a float 3.0 is not a whole number of points here.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            "Points must be a whole number.", fields={field: ["Enter a whole number."]}
        )
    if value < 1:
        raise ValidationFailed(
            "Points must be a positive whole number.", fields={field: ["Must be at least 1."]}
        )
    if value > MAX_POINTS:
        raise ValidationFailed(
            f"Points may be at most {MAX_POINTS:,}.",
            fields={field: [f"Must be at most {MAX_POINTS}."]},
        )
    return value


def _check_claim(*, kind: str, description: str, proposed_points, evidence_url: str) -> str:
    fields: dict[str, list[str]] = {}
    if kind not in ContributionKind.values:
        fields["kind"] = [f"Unknown kind {kind!r}; one of: {', '.join(ContributionKind.values)}."]
    description = (description or "").strip()
    if not description:
        fields["description"] = ["Say what you did."]
    elif len(description) > MAX_DESCRIPTION:
        fields["description"] = [f"At most {MAX_DESCRIPTION} characters."]
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            fields["evidence_url"] = ["Enter an http(s) link."]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    _check_points(proposed_points, field="proposed_points")
    return description


def contribution_evidence_check(*, upload) -> tuple[str, str]:
    """The detected (mime, extension) of an evidence upload; refuses other types and big files."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_UPLOAD_BYTES:
        limit = EVIDENCE_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationFailed(
            f"The evidence file is larger than {limit} MB.",
            fields={"evidence_file": [f"At most {limit} MB."]},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in EVIDENCE_TYPES:
        raise ValidationFailed(
            "The evidence file must be a PDF, PNG, JPEG, WebP, ZIP or office document.",
            fields={"evidence_file": ["This file type is not accepted."]},
        )
    return mime, EVIDENCE_TYPES[mime]


def _product_url(idea) -> str:
    product_id = getattr(getattr(idea, "product", None), "pk", None)
    return reverse("contributions:product", args=[product_id]) if product_id else ""


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
    """Record a pending claim for a reviewer to weigh (accepted suggestions arrive this way).

    Checks the kind, the description and the points; an evidence file must be of an accepted
    type (detected from its bytes). The idea's creator is told of claims by others (an accepted
    suggestion is the creator's own doing, so it is not announced to them).
    """
    description = _check_claim(
        kind=kind,
        description=description,
        proposed_points=proposed_points,
        evidence_url=evidence_url,
    )
    contribution = Contribution(
        idea=idea,
        member=member,
        kind=kind,
        description=description,
        proposed_points=proposed_points,
        evidence_url=evidence_url or "",
    )
    if evidence_file:
        mime, extension = contribution_evidence_check(upload=evidence_file)
        contribution.evidence_mime = mime
        contribution._evidence_extension = extension
        contribution.evidence_file.save(
            PurePosixPath(evidence_file.name or "evidence").name, evidence_file, save=False
        )
    contribution.save()
    if member.pk != idea.creator_id and kind != ContributionKind.SUGGESTION:
        notify(
            recipients=[idea.creator],
            kind="contribution_claimed",
            message=f"{member.public_name} claimed a {contribution.get_kind_display().lower()} "
            f"contribution on “{idea.title}”. You may endorse it.",
            url=_product_url(idea),
        )
    return contribution


@transaction.atomic
def contribution_submit(
    *,
    product,
    member,
    kind: str,
    description: str,
    proposed_points: int,
    evidence_url: str = "",
    evidence_file=None,
) -> Contribution:
    """A member claims a contribution on a product (a funded idea).

    Only members with a verified e-mail may claim, and only on products; funding contributions
    are never claimed (they come from pledges).
    """
    if member is None or not member.is_authenticated:
        raise NotAllowed("Sign in to claim a contribution.", code="not_authenticated")
    if not email_verified_or_not_required(member):
        raise NotAllowed("Verify your e-mail address before claiming contributions.")
    if product is None:
        raise ValidationFailed(
            "Contributions are claimed on products: this idea is not a funded product yet.",
            fields={"idea": ["This idea is not a product."]},
        )
    if kind == ContributionKind.FUNDING:
        raise ValidationFailed(
            "Funding contributions are recorded from pledges; they cannot be claimed.",
            fields={"kind": ["Choose one of: " + ", ".join(CLAIMABLE_KINDS) + "."]},
        )
    return contribution_claim(
        idea=product.idea,
        member=member,
        kind=kind,
        description=description,
        proposed_points=proposed_points,
        evidence_url=evidence_url,
        evidence_file=evidence_file,
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


def _decide(*, contribution: Contribution, reviewer, **fields) -> Contribution:
    if not is_reviewer(reviewer):
        raise NotAllowed("Only reviewers decide contribution claims.")
    if contribution.member_id == reviewer.pk:
        raise NotAllowed("You cannot decide your own claim; another reviewer must.")
    now = timezone.now()
    # The race this prevents: two reviewers deciding the same claim at once. The row count of
    # this conditional UPDATE says who won; the loser gets a Conflict, never a second decision.
    won = Contribution.objects.filter(pk=contribution.pk, status=ContributionStatus.PENDING).update(
        decided_by=reviewer, decided_at=now, **fields
    )
    if not won:
        current = (
            Contribution.objects.filter(pk=contribution.pk).values_list("status", flat=True).first()
        )
        raise Conflict(
            f"This claim has already been decided (it is {current}).", code="already_decided"
        )
    contribution.refresh_from_db()
    return contribution


@transaction.atomic
def contribution_approve(*, contribution: Contribution, reviewer, points: int) -> Contribution:
    """A reviewer approves a pending claim with its final points (a positive whole number).

    The claimant is told. A reviewer never decides their own claim.
    """
    _check_points(points, field="points")
    contribution = _decide(
        contribution=contribution,
        reviewer=reviewer,
        status=ContributionStatus.APPROVED,
        points=points,
        decision_reason="",
    )
    idea = contribution.idea
    notify(
        recipients=[contribution.member],
        kind="contribution_approved",
        message=f"Your {contribution.get_kind_display().lower()} contribution to “{idea.title}” "
        f"was approved with {points} points.",
        url=_product_url(idea),
    )
    return contribution


@transaction.atomic
def contribution_reject(*, contribution: Contribution, reviewer, reason: str) -> Contribution:
    """A reviewer rejects a pending claim with a written reason; the claimant is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Give a reason for the rejection.", fields={"reason": ["Required."]})
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            "The reason is too long.", fields={"reason": [f"At most {MAX_REASON} characters."]}
        )
    contribution = _decide(
        contribution=contribution,
        reviewer=reviewer,
        status=ContributionStatus.REJECTED,
        decision_reason=reason,
    )
    idea = contribution.idea
    notify(
        recipients=[contribution.member],
        kind="contribution_rejected",
        message=f"Your {contribution.get_kind_display().lower()} contribution to “{idea.title}” "
        f"was not approved: {reason}",
        url=_product_url(idea),
    )
    return contribution


@transaction.atomic
def contribution_endorse(*, contribution: Contribution, actor) -> Contribution:
    """The idea's creator vouches for a pending claim by someone else (once)."""
    idea = contribution.idea
    if actor is None or actor.pk != idea.creator_id:
        raise NotAllowed("Only the idea's creator may endorse its contribution claims.")
    if contribution.member_id == actor.pk:
        raise NotAllowed("You cannot endorse your own claim.")
    if contribution.status != ContributionStatus.PENDING:
        raise Conflict("Only pending claims can be endorsed.", code="already_decided")
    # Conditional, so a double click or two tabs endorse once.
    won = Contribution.objects.filter(
        pk=contribution.pk, status=ContributionStatus.PENDING, endorsed_at__isnull=True
    ).update(endorsed_at=timezone.now())
    if not won:
        raise Conflict("This claim is already endorsed or decided.", code="already_endorsed")
    contribution.refresh_from_db()
    return contribution
