import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from contributions.models import Contribution, ContributionStatus
from contributions.services import contribution_approve, contribution_submit
from tests.contributions.test_services import PNG


def browser_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def pending(product, people):
    return contribution_submit(
        product=product,
        member=people.alice,
        kind="marketing",
        description="Ran the launch newsletter.",
        proposed_points=15,
    )


def test_the_product_list_shows_funded_products(product, people):
    response = browser_for(None).get("/products/")

    assert response.status_code == 200
    assert product.idea.title in response.content.decode()
    assert "300.00 EUR" in response.content.decode()


def test_the_product_page_shows_the_facts_and_the_contribution_table(product, people):
    contribution = contribution_submit(
        product=product, member=people.alice, kind="design", description="x", proposed_points=9
    )
    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=100)

    response = browser_for(None).get(f"/products/{product.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert product.idea.title in html
    assert f'href="/ideas/{product.idea_id}/"' in html
    assert "EUR" in html and "15 %" in html and "300.00 EUR" in html
    table = html[html.index('id="contribution-table"') :]
    assert table.index("bob") < table.index("alice")  # more points first
    assert "75.00 %" in table and "25.00 %" in table


def test_visitors_are_asked_to_sign_in_to_claim(product):
    html = browser_for(None).get(f"/products/{product.pk}/").content.decode()
    assert 'id="claim-form"' not in html
    assert "Sign in</a> to claim" in html


def test_an_unverified_member_sees_no_claim_form(product, people):
    html = browser_for(people.unverified).get(f"/products/{product.pk}/").content.decode()
    assert 'id="claim-form"' not in html


def test_a_member_claims_from_the_product_page(product, people):
    client = browser_for(people.alice)
    assert 'id="claim-form"' in client.get(f"/products/{product.pk}/").content.decode()

    response = client.post(
        f"/products/{product.pk}/claim/",
        {
            "kind": "engineering",
            "description": "Wrote the firmware.",
            "proposed_points": "30",
            "evidence_file": SimpleUploadedFile("fw.png", PNG),
        },
    )

    assert response.status_code == 302
    claim = Contribution.objects.get(member=people.alice)
    assert (claim.kind, claim.proposed_points, claim.status) == ("engineering", 30, "pending")
    assert claim.evidence_mime == "image/png"
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert "Your claims" in page and "Wrote the firmware." in page


def test_a_bad_claim_shows_the_form_again_with_the_error(product, people):
    response = browser_for(people.alice).post(
        f"/products/{product.pk}/claim/",
        {"kind": "design", "description": "x", "proposed_points": "0"},
    )
    assert response.status_code == 400
    assert 'class="field has-error"' in response.content.decode()
    assert not Contribution.objects.filter(member=people.alice).exists()


def test_a_disguised_file_is_refused_on_the_page(product, people):
    response = browser_for(people.alice).post(
        f"/products/{product.pk}/claim/",
        {
            "kind": "design",
            "description": "x",
            "proposed_points": "3",
            "evidence_file": SimpleUploadedFile("a.pdf", b"#!/bin/sh\nrm -rf /\n"),
        },
    )
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()


def test_an_unverified_member_cannot_claim_by_posting(product, people):
    browser_for(people.unverified).post(
        f"/products/{product.pk}/claim/",
        {"kind": "design", "description": "x", "proposed_points": "3"},
    )
    assert not Contribution.objects.filter(member=people.unverified).exists()


def test_the_creator_sees_claims_with_an_endorse_button(product, people, pending):
    html = browser_for(people.creator).get(f"/products/{product.pk}/").content.decode()
    assert "Ran the launch newsletter." in html
    assert f'action="/contributions/{pending.pk}/endorse/"' in html

    browser_for(people.creator).post(f"/contributions/{pending.pk}/endorse/")

    pending.refresh_from_db()
    assert pending.endorsed_at is not None


def test_other_members_see_neither_the_pending_claim_nor_an_endorse_button(
    product, people, pending
):
    html = browser_for(people.bob).get(f"/products/{product.pk}/").content.decode()
    assert "Ran the launch newsletter." not in html
    assert "/endorse/" not in html


def test_a_member_cannot_endorse_by_posting(product, people, pending):
    response = browser_for(people.bob).post(f"/contributions/{pending.pk}/endorse/")
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.endorsed_at is None


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("alice", 403), ("creator", 403), ("finance", 403), ("reviewer", 200)],
)
def test_only_reviewers_see_the_queue(people, pending, role, status):
    user = None if role == "anonymous" else getattr(people, role)
    response = browser_for(user).get("/review/contributions/")
    assert response.status_code == status
    if status == 200:
        assert "Ran the launch newsletter." in response.content.decode()


def test_a_reviewer_approves_from_the_queue_without_javascript(people, pending):
    client = browser_for(people.reviewer)
    response = client.post(f"/review/contributions/{pending.pk}/approve/", {"points": "12"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.points) == (ContributionStatus.APPROVED, 12)
    assert "Ran the launch newsletter." not in client.get("/review/contributions/").content.decode()


def test_a_reviewer_rejects_from_the_queue_with_a_reason(people, pending):
    browser_for(people.reviewer).post(
        f"/review/contributions/{pending.pk}/reject/", {"reason": "No evidence."}
    )
    pending.refresh_from_db()
    assert pending.status == ContributionStatus.REJECTED
    assert pending.decision_reason == "No evidence."


def test_a_member_cannot_approve_by_posting(people, pending):
    response = browser_for(people.alice).post(
        f"/review/contributions/{pending.pk}/approve/", {"points": "99"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == ContributionStatus.PENDING


def test_approving_with_bad_points_on_the_page_changes_nothing(people, pending):
    client = browser_for(people.reviewer)
    response = client.post(
        f"/review/contributions/{pending.pk}/approve/", {"points": "-4"}, follow=True
    )
    assert "points" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ContributionStatus.PENDING


def test_an_unknown_product_page_is_404(db):
    assert browser_for(None).get("/products/987654/").status_code == 404


def test_the_claims_queue_filters_by_kind_and_endorsement(product, people):
    design = contribution_submit(
        product=product, member=people.alice, kind="design", description="Drew it",
        proposed_points=10,
    )  # fmt: skip
    contribution_submit(
        product=product, member=people.alice, kind="marketing", description="Posted it",
        proposed_points=5,
    )  # fmt: skip
    Contribution.objects.filter(pk=design.pk).update(endorsed_at=timezone.now())
    reviewer = browser_for(people.reviewer)
    html = reviewer.get("/review/contributions/?kind=design").content.decode()
    assert "Drew it" in html and "Posted it" not in html and "1 claim waits." in html
    html = reviewer.get("/review/contributions/?endorsed=1").content.decode()
    assert "Drew it" in html and "Posted it" not in html
    html = reviewer.get("/review/contributions/?kind=other").content.decode()
    assert "No claim matches these filters." in html
    html = reviewer.get("/review/contributions/?kind=nonsense").content.decode()
    assert "Drew it" in html and "Posted it" in html  # an unknown kind: every kind
