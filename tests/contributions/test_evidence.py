"""Evidence files: a pending or rejected claim's file is seen by its claimant, the idea's
creator and reviewers only (anyone else: 404, as if there were none); approved ones are public.
The file's storage path is never served directly."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contributions.services import contribution_approve, contribution_reject
from tests.contributions.test_services import PNG, claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(product, people):
    return claim(product, people.alice, evidence_file=SimpleUploadedFile("hinge.png", PNG))


def fetch(user, contribution):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(f"/contributions/{contribution.pk}/evidence/")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "who, sees",
    [
        ("alice", True),  # the claimant
        ("creator", True),
        ("reviewer", True),
        ("bob", False),  # another member
        ("finance", False),
        (None, False),  # anonymous
    ],
)
def test_who_sees_a_pending_claims_evidence_file(people, pending, who, sees):
    response = fetch(getattr(people, who) if who else None, pending)
    if sees:
        assert response.status_code == 200
        assert body(response) == PNG
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 404


def test_a_rejected_claims_evidence_stays_private(people, pending):
    contribution_reject(
        contribution=pending, reviewer=people.reviewer, reason="Not part of this product."
    )
    assert fetch(people.bob, pending).status_code == 404
    assert fetch(None, pending).status_code == 404
    assert fetch(people.alice, pending).status_code == 200


def test_an_approved_claims_evidence_is_public(people, pending):
    contribution_approve(contribution=pending, reviewer=people.reviewer, points=40)
    response = fetch(None, pending)
    assert response.status_code == 200
    assert body(response) == PNG


def test_the_file_is_not_served_from_its_storage_path(people, pending):
    contribution_approve(contribution=pending, reviewer=people.reviewer, points=40)
    assert Client().get(f"/media/{pending.evidence_file.name}").status_code == 404


def test_the_product_page_links_evidence_through_the_checking_view(people, pending, product):
    client = Client()
    client.force_login(people.creator)
    page = client.get(f"/products/{product.pk}/").content.decode()
    assert f"/contributions/{pending.pk}/evidence/" in page
    assert pending.evidence_file.name not in page
