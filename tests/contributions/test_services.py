from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contributions.models import Contribution, ContributionKind, ContributionStatus
from contributions.selectors import contribution_table, contribution_weights, shares_of
from contributions.services import (
    contribution_approve,
    contribution_claim,
    contribution_endorse,
    contribution_reject,
    contribution_submit,
)
from core.errors import Conflict, NotAllowed, ValidationFailed
from notifications.models import Notification
from tests.factories import idea_in_voting

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def claim(product, member, **overrides):
    fields = {
        "kind": ContributionKind.DESIGN,
        "description": "Drew the folding mechanism in CAD.",
        "proposed_points": 40,
    }
    fields.update(overrides)
    return contribution_submit(product=product, member=member, **fields)


# --- Claims -------------------------------------------------------------------------------------


def test_a_member_claims_a_contribution_which_waits_for_a_reviewer(product, people):
    contribution = claim(product, people.alice, evidence_url="https://example.org/cad")

    assert contribution.status == ContributionStatus.PENDING
    assert contribution.idea == product.idea
    assert contribution.proposed_points == 40
    assert contribution.points is None
    assert contribution.decided_at is None


def test_the_creator_hears_of_a_new_claim(product, people):
    claim(product, people.alice)

    note = Notification.objects.get(recipient=people.creator)
    assert note.kind == "contribution_claimed"
    assert "alice" in note.text
    assert note.url == f"/products/{product.pk}/"


def test_the_creator_is_not_told_of_their_own_claim(product, people):
    claim(product, people.creator)

    assert not Notification.objects.filter(recipient=people.creator).exists()


def test_an_accepted_suggestion_arrives_as_a_pending_claim_without_a_notice(people):
    idea = idea_in_voting(creator=people.creator)

    contribution = contribution_claim(
        idea=idea,
        member=people.alice,
        kind=ContributionKind.SUGGESTION,
        description="Use a magnetic buckle.",
        proposed_points=5,
    )

    assert contribution.status == ContributionStatus.PENDING
    assert not Notification.objects.filter(recipient=people.creator).exists()


def test_an_unverified_member_cannot_claim(product, people):
    with pytest.raises(NotAllowed):
        claim(product, people.unverified)
    assert not Contribution.objects.filter(member=people.unverified).exists()


def test_an_idea_that_is_not_a_product_cannot_be_claimed_on(people):
    with pytest.raises(ValidationFailed) as exc:
        contribution_submit(
            product=None, member=people.alice, kind="design", description="x", proposed_points=1
        )
    assert "idea" in exc.value.fields


def test_funding_contributions_cannot_be_claimed(product, people):
    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, kind=ContributionKind.FUNDING)
    assert "kind" in exc.value.fields


def test_an_unknown_kind_is_refused_naming_the_field(product, people):
    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, kind="catering")
    assert "kind" in exc.value.fields


@pytest.mark.parametrize("points", [0, -3, 2.5, 3.0, True, "7", None])
def test_proposed_points_must_be_a_positive_whole_number(product, people, points):
    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, proposed_points=points)
    assert "proposed_points" in exc.value.fields


def test_an_empty_description_is_refused(product, people):
    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, description="   ")
    assert "description" in exc.value.fields


def test_a_javascript_evidence_link_is_refused(product, people):
    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, evidence_url="javascript:alert(1)")
    assert "evidence_url" in exc.value.fields


# --- Evidence files -----------------------------------------------------------------------------


def test_a_png_evidence_file_is_kept_under_a_random_name(product, people):
    upload = SimpleUploadedFile("my sketch.exe", PNG, content_type="application/x-msdownload")

    contribution = claim(product, people.alice, evidence_file=upload)

    assert contribution.evidence_mime == "image/png"
    assert contribution.evidence_file.name.startswith("evidence/")
    assert contribution.evidence_file.name.endswith(".png")
    assert "sketch" not in contribution.evidence_file.name
    assert contribution.evidence_file.read() == PNG


def test_a_pdf_evidence_file_is_accepted(product, people):
    contribution = claim(product, people.alice, evidence_file=SimpleUploadedFile("report.pdf", PDF))
    assert contribution.evidence_mime == "application/pdf"


def test_a_text_file_named_like_a_pdf_is_refused(product, people):
    upload = SimpleUploadedFile("report.pdf", b"<script>alert(1)</script>", "application/pdf")

    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, evidence_file=upload)

    assert "evidence_file" in exc.value.fields
    assert not Contribution.objects.filter(member=people.alice).exists()


def test_an_evidence_file_over_the_limit_is_refused(product, people, monkeypatch):
    monkeypatch.setattr("contributions.services.EVIDENCE_MAX_UPLOAD_BYTES", 100)
    upload = SimpleUploadedFile("big.png", PNG + b"\0" * 200)

    with pytest.raises(ValidationFailed) as exc:
        claim(product, people.alice, evidence_file=upload)
    assert "evidence_file" in exc.value.fields


# --- Decisions ----------------------------------------------------------------------------------


def test_a_reviewer_approves_with_final_points_and_the_claimant_is_told(product, people):
    contribution = claim(product, people.alice)

    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=25)

    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.APPROVED
    assert contribution.points == 25
    assert contribution.decided_by == people.reviewer
    assert contribution.decided_at is not None
    note = Notification.objects.get(recipient=people.alice)
    assert note.kind == "contribution_approved"
    assert "25 points" in note.text


def test_approving_twice_is_a_conflict_and_keeps_the_first_decision(product, people):
    contribution = claim(product, people.alice)
    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=25)

    stale = Contribution.objects.get(pk=contribution.pk)
    with pytest.raises(Conflict):
        contribution_approve(contribution=stale, reviewer=people.reviewer2, points=99)

    contribution.refresh_from_db()
    assert contribution.points == 25
    assert contribution.decided_by == people.reviewer


def test_rejecting_an_approved_claim_is_a_conflict(product, people):
    contribution = claim(product, people.alice)
    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=25)

    with pytest.raises(Conflict):
        contribution_reject(contribution=contribution, reviewer=people.reviewer2, reason="No.")


def test_a_reviewer_rejects_with_a_reason_the_claimant_reads(product, people):
    contribution = claim(product, people.alice)

    contribution_reject(
        contribution=contribution, reviewer=people.reviewer, reason="The CAD file is empty."
    )

    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.REJECTED
    assert contribution.decision_reason == "The CAD file is empty."
    assert contribution.points is None
    note = Notification.objects.get(recipient=people.alice)
    assert "The CAD file is empty." in note.text


def test_a_rejection_needs_a_reason(product, people):
    contribution = claim(product, people.alice)
    with pytest.raises(ValidationFailed) as exc:
        contribution_reject(contribution=contribution, reviewer=people.reviewer, reason=" ")
    assert "reason" in exc.value.fields


@pytest.mark.parametrize("points", [0, -1, 1.5, False])
def test_final_points_must_be_a_positive_whole_number(product, people, points):
    contribution = claim(product, people.alice)
    with pytest.raises(ValidationFailed) as exc:
        contribution_approve(contribution=contribution, reviewer=people.reviewer, points=points)
    assert "points" in exc.value.fields
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.PENDING


def test_a_member_cannot_approve(product, people):
    contribution = claim(product, people.alice)
    with pytest.raises(NotAllowed):
        contribution_approve(contribution=contribution, reviewer=people.bob, points=10)


def test_a_reviewer_cannot_decide_their_own_claim(product, people):
    contribution = claim(product, people.reviewer)
    with pytest.raises(NotAllowed):
        contribution_approve(contribution=contribution, reviewer=people.reviewer, points=10)
    contribution_approve(contribution=contribution, reviewer=people.reviewer2, points=10)


# --- Endorsement --------------------------------------------------------------------------------


def test_the_creator_endorses_a_claim_once(product, people):
    contribution = claim(product, people.alice)

    contribution_endorse(contribution=contribution, actor=people.creator)

    contribution.refresh_from_db()
    assert contribution.endorsed_at is not None
    with pytest.raises(Conflict):
        contribution_endorse(contribution=contribution, actor=people.creator)


def test_only_the_creator_endorses(product, people):
    contribution = claim(product, people.alice)
    for someone in (people.bob, people.reviewer, people.alice):
        with pytest.raises(NotAllowed):
            contribution_endorse(contribution=contribution, actor=someone)


def test_the_creator_cannot_endorse_their_own_claim(product, people):
    contribution = claim(product, people.creator)
    with pytest.raises(NotAllowed):
        contribution_endorse(contribution=contribution, actor=people.creator)


def test_a_decided_claim_cannot_be_endorsed(product, people):
    contribution = claim(product, people.alice)
    contribution_reject(contribution=contribution, reviewer=people.reviewer, reason="Duplicate.")
    with pytest.raises(Conflict):
        contribution_endorse(contribution=contribution, actor=people.creator)


# --- Weights and the table ----------------------------------------------------------------------


def _approve_at(contribution, reviewer, points, when):
    contribution_approve(contribution=contribution, reviewer=reviewer, points=points)
    Contribution.objects.filter(pk=contribution.pk).update(decided_at=when)


def test_weights_count_points_approved_on_or_before_the_end_day_in_utc(product, people):
    late_on_the_day = claim(product, people.alice)
    _approve_at(late_on_the_day, people.reviewer, 10, datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC))
    next_morning = claim(product, people.alice, kind="marketing")
    _approve_at(next_morning, people.reviewer, 7, datetime(2026, 4, 1, 0, 0, 0, tzinfo=UTC))
    Contribution.objects.filter(kind="funding").update(
        decided_at=datetime(2026, 1, 10, 12, tzinfo=UTC)
    )
    claim(product, people.creator, proposed_points=99)  # pending: never weighed
    rejected = claim(product, people.bob, kind="other")
    contribution_reject(contribution=rejected, reviewer=people.reviewer, reason="No.")

    weights = contribution_weights(idea=product.idea, as_of=date(2026, 3, 31))

    assert weights == {people.alice.pk: 10, people.bob.pk: 300}
    later = contribution_weights(idea=product.idea, as_of=date(2026, 4, 1))
    assert later == {people.alice.pk: 17, people.bob.pk: 300}


def test_weights_before_any_approval_are_empty(product, people):
    Contribution.objects.update(decided_at=datetime(2026, 5, 1, tzinfo=UTC))
    assert contribution_weights(idea=product.idea, as_of=date(2026, 4, 30)) == {}


def test_the_creator_is_weighed_like_anyone(product, people):
    contribution = claim(product, people.creator)
    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=100)

    weights = contribution_weights(idea=product.idea, as_of=date.today())

    assert weights[people.creator.pk] == 100


def test_the_table_lists_points_and_shares_that_add_up_to_the_whole_pool(product, people):
    contribution = claim(product, people.alice)
    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=100)

    table = contribution_table(idea=product.idea)

    assert [(r.member_name, r.points, r.share) for r in table] == [
        ("bob", 300, "0.750000"),
        ("alice", 100, "0.250000"),
    ]
    assert table[1].share_percent == "25.00"


def test_shares_of_thirds_add_up_to_exactly_one():
    shares = shares_of({1: 1, 2: 1, 3: 1})
    assert shares == {1: "0.333334", 2: "0.333333", 3: "0.333333"}
    assert sum(int(s.replace(".", "")) for s in shares.values()) == 1_000_000


def test_shares_of_nobody_is_empty():
    assert shares_of({}) == {}
