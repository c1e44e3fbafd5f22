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
from django.utils.translation import gettext, gettext_lazy

from core.errors import Conflict, ValidationFailed
from core.phrases import Said, money
from core.rules import check
from core.text import lowered, sentence
from funding.selectors import round_of
from notifications.services import notify

from . import phrases, rules
from .hooks import points_approved
from .models import Contribution, ContributionKind, ContributionStatus
from .standings import standings_stale

# One claim is never worth more than this; keeps typos (and int overflow) out of the split.
MAX_POINTS = 1_000_000
MAX_DESCRIPTION = 10_000
MAX_REASON = 2_000
# The one sentence for bad points and for a missing or long reason, on pages and in the API.
POINTS_MESSAGE = sentence(
    gettext_lazy("Enter the points as a whole number from 1 to %(MAX_POINTS)s."),
    MAX_POINTS=f"{MAX_POINTS:,}",
)
REASON_MISSING = gettext_lazy("Enter a reason for the rejection.")
REASON_TOO_LONG = sentence(
    gettext_lazy("Shorten the reason to at most %(MAX_REASON)s characters."),
    MAX_REASON=f"{MAX_REASON:,}",
)
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
# The one sentence per field, shared by the services, the API's serializers and the forms.
KIND_MESSAGE = sentence(
    gettext_lazy("Choose one of %(join)s: funding comes from pledges only."),
    join=", ".join(CLAIMABLE_KINDS),
)
DESCRIPTION_MISSING = gettext_lazy("Describe what you did.")
DESCRIPTION_TOO_LONG = sentence(
    gettext_lazy("Shorten the description to at most %(MAX_DESCRIPTION)s characters."),
    MAX_DESCRIPTION=f"{MAX_DESCRIPTION:,}",
)
EVIDENCE_URL_MESSAGE = gettext_lazy(
    "Enter the evidence as an http(s) link of at most 200 characters."
)


def _check_points(value, *, field: str) -> int:
    # bool is an int in Python and a float 3.0 is not a whole number of points here.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POINTS:
        raise ValidationFailed.for_field(field, POINTS_MESSAGE)
    return value


def _check_claim(*, kind: str, description: str, proposed_points, evidence_url: str) -> str:
    fields: dict[str, list[str]] = {}
    if kind not in ContributionKind.values:
        fields["kind"] = [KIND_MESSAGE]
    description = (description or "").strip()
    if not description:
        fields["description"] = [DESCRIPTION_MISSING]
    elif len(description) > MAX_DESCRIPTION:
        fields["description"] = [DESCRIPTION_TOO_LONG]
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            fields["evidence_url"] = [EVIDENCE_URL_MESSAGE]
    if fields:
        raise ValidationFailed.for_fields(fields)
    _check_points(proposed_points, field="proposed_points")
    return description


def contribution_evidence_check(*, upload) -> tuple[str, str]:
    """The detected (mime, extension) of an evidence upload; refuses other types and big files."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_UPLOAD_BYTES:
        limit = EVIDENCE_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationFailed.for_field(
            "evidence_file",
            gettext("Upload an evidence file of at most %(limit)s MB: this one is larger.")
            % {"limit": limit},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in EVIDENCE_TYPES:
        raise ValidationFailed.for_field(
            "evidence_file",
            gettext(
                "Upload a PDF, PNG, JPEG, WebP, ZIP or office document: this file type "
                "is not accepted."
            ),
        )
    return mime, EVIDENCE_TYPES[mime]


def _product_url(idea) -> str:
    product_id = getattr(getattr(idea, "product", None), "pk", None)
    return reverse("contributions:product", args=[product_id]) if product_id else ""


def _claim_words(kind: str, description: str | Said, proposed_points, evidence_url: str) -> dict:
    """The checked description: the member's words, or the platform's phrase (checked as a
    reader would see it, stored as its code and parameters)."""
    checked = _check_claim(
        kind=kind,
        description=str(description),
        proposed_points=proposed_points,
        evidence_url=evidence_url,
    )
    if isinstance(description, Said):
        return {
            "description": "",
            "description_code": description.code,
            "description_params": description.params,
        }
    return {"description": checked}


@transaction.atomic
def contribution_claim(
    *,
    idea,
    member,
    kind: str,
    description: str | Said,
    proposed_points: int,
    evidence_url: str = "",
    evidence_file=None,
) -> Contribution:
    """Record a pending claim for a reviewer to weigh (accepted suggestions arrive this way,
    their description a phrase, ``core.phrases``, said in each reader's language).

    Checks the kind, the description and the points; an evidence file must be of an accepted
    type (detected from its bytes). The idea's creator is told of claims by others (an accepted
    suggestion is the creator's own doing, so it is not announced to them).
    """
    words = _claim_words(kind, description, proposed_points, evidence_url)
    contribution = Contribution(
        idea=idea,
        member=member,
        kind=kind,
        proposed_points=proposed_points,
        evidence_url=evidence_url or "",
        **words,
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
            message=sentence(
                gettext_lazy(
                    "%(public_name)s claimed a %(lower)s contribution on “%(title)s”. You "
                    "may endorse it."
                ),
                public_name=member.public_name,
                lower=lowered(ContributionKind(contribution.kind).label),
                title=idea.title,
            ),
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
    check(rules.may_claim(member=member, product=product))
    if kind == ContributionKind.FUNDING:
        raise ValidationFailed.for_field("kind", KIND_MESSAGE)
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
    standings_stale(idea_id=pledge.idea_id)
    points_approved(member_id=pledge.member_id, currency=pledge.currency)
    return Contribution.objects.create(
        idea_id=pledge.idea_id,
        member_id=pledge.member_id,
        kind=ContributionKind.FUNDING,
        description="",
        description_code=phrases.PLEDGED,
        description_params={"amount": money(pledge.amount, pledge.currency)},
        proposed_points=points,
        points=points,
        status=ContributionStatus.APPROVED,
        decided_by=decided_by,
        decided_at=now,
        pledge=pledge,
    )


def contribution_withdraw_funding(*, pledge) -> int:
    """A funded pledge that was never paid (lapsed or refused) earns no points: its funding
    contribution is set aside as rejected, with the reason. Later settlements leave it out."""
    standings_stale(idea_id=pledge.idea_id)
    return Contribution.objects.filter(
        pledge=pledge, kind=ContributionKind.FUNDING, status=ContributionStatus.APPROVED
    ).update(
        status=ContributionStatus.REJECTED,
        decision_code=phrases.PLEDGE_NEVER_PAID,
        decided_at=timezone.now(),
    )


def _decide(*, contribution: Contribution, reviewer, **fields) -> Contribution:
    check(rules.may_decide(contribution=contribution, reviewer=reviewer))
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
            gettext("This claim has already been decided (it is %(current)s).")
            % {"current": current},
            code="already_decided",
        )
    contribution.refresh_from_db()
    if contribution.status == ContributionStatus.APPROVED:
        standings_stale(idea_id=contribution.idea_id)
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
    terms = round_of(idea_id=idea.pk)
    if terms is not None:  # points pay out in the round's currency
        points_approved(member_id=contribution.member_id, currency=terms.currency)
    notify(
        recipients=[contribution.member],
        kind="contribution_approved",
        message=sentence(
            gettext_lazy(
                "Your %(lower)s contribution to “%(title)s” was approved with %(points)s points."
            ),
            lower=lowered(ContributionKind(contribution.kind).label),
            title=idea.title,
            points=points,
        ),
        url=_product_url(idea),
    )
    return contribution


@transaction.atomic
def contribution_reject(*, contribution: Contribution, reviewer, reason: str) -> Contribution:
    """A reviewer rejects a pending claim with a written reason; the claimant is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_field("reason", REASON_MISSING)
    if len(reason) > MAX_REASON:
        raise ValidationFailed.for_field("reason", REASON_TOO_LONG)
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
        message=sentence(
            gettext_lazy("Your %(lower)s contribution to “%(title)s” was not approved: %(reason)s"),
            lower=lowered(ContributionKind(contribution.kind).label),
            title=idea.title,
            reason=reason,
        ),
        url=_product_url(idea),
    )
    return contribution


@transaction.atomic
def contribution_endorse(*, contribution: Contribution, actor) -> Contribution:
    """The idea's creator vouches for a pending claim by someone else (once)."""
    check(rules.may_endorse(contribution=contribution, actor=actor))
    # Conditional, so a double click or two tabs endorse once.
    won = Contribution.objects.filter(
        pk=contribution.pk, status=ContributionStatus.PENDING, endorsed_at__isnull=True
    ).update(endorsed_at=timezone.now())
    if not won:
        raise Conflict(
            gettext("This claim is already endorsed or decided."), code="already_endorsed"
        )
    contribution.refresh_from_db()
    return contribution
