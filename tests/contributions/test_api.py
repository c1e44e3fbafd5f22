from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contributions.models import Contribution, ContributionStatus
from contributions.services import contribution_approve, contribution_submit
from tests.contributions.test_services import PNG
from tests.factories import idea_in_voting

CLAIM = {"kind": "design", "description": "Drew the hinge.", "proposed_points": 40}
ROLES = ["anonymous", "member", "unverified", "creator", "reviewer", "finance"]


def who(people, role):
    return {
        "anonymous": None,
        "member": people.alice,
        "unverified": people.unverified,
        "creator": people.creator,
        "reviewer": people.reviewer,
        "finance": people.finance,
    }[role]


@pytest.fixture
def pending(product, people):
    """Alice's pending design claim on the product."""
    return contribution_submit(
        product=product,
        member=people.alice,
        kind="design",
        description="Drew the hinge.",
        proposed_points=40,
    )


def error_fields(response) -> dict:
    return response.json()["error"]["fields"]


# --- Products -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_anyone_lists_products(client_for, people, product, role):
    response = client_for(who(people, role)).get("/api/v1/products/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == product.pk
    assert row["idea"] == product.idea_id
    assert row["currency"] == "EUR"
    assert row["total_points"] == 300
    assert row["contributor_count"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_anyone_reads_a_product_with_its_contribution_table(client_for, people, product, role):
    contribution = contribution_submit(
        product=product, member=people.alice, kind="design", description="x", proposed_points=9
    )
    contribution_approve(contribution=contribution, reviewer=people.reviewer, points=100)

    response = client_for(who(people, role)).get(f"/api/v1/products/{product.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == product.pk
    assert body["idea"] == product.idea_id
    assert body["currency"] == "EUR"
    assert body["platform_fee_bp"] == 1500
    assert body["contributions"] == [
        {"member": people.bob.pk, "member_name": "bob", "points": 300, "share": "0.750000"},
        {"member": people.alice.pk, "member_name": "alice", "points": 100, "share": "0.250000"},
    ]


def test_the_product_detail_carries_a_summary_and_the_top_rows_only(
    client_for, people, product, make_user
):
    for n in range(12):
        member = make_user(f"m{n:02d}")
        contribution = contribution_submit(
            product=product, member=member, kind="design", description="x", proposed_points=1
        )
        contribution_approve(contribution=contribution, reviewer=people.reviewer, points=10 + n)

    body = client_for(None).get(f"/api/v1/products/{product.pk}/").json()

    assert body["contribution_summary"] == {
        "contributor_count": 13,
        "total_points": 300 + sum(10 + n for n in range(12)),
        "shown": 10,
        "table": f"http://testserver/api/v1/products/{product.pk}/contributions/",
    }
    assert len(body["contributions"]) == 10
    assert body["contributions"][0]["member_name"] == "bob"  # 300 points: the largest first
    assert body["contributions"][1]["member_name"] == "m11"


def test_anyone_pages_through_the_whole_contribution_table(client_for, people, product, make_user):
    for n in range(4):
        contribution = contribution_submit(
            product=product,
            member=make_user(f"m{n}"),
            kind="design",
            description="x",
            proposed_points=1,
        )
        contribution_approve(contribution=contribution, reviewer=people.reviewer, points=100 - n)
    url = f"/api/v1/products/{product.pk}/contributions/"

    first = client_for(None).get(url, {"page_size": 3}).json()
    second = client_for(None).get(first["next"]).json()

    assert first["count"] == 5
    assert [r["member_name"] for r in first["results"]] == ["bob", "m0", "m1"]
    assert [r["member_name"] for r in second["results"]] == ["m2", "m3"]
    assert second["next"] is None
    assert set(first["results"][0]) == {"member", "member_name", "points", "share"}
    shares = [r["share"] for r in first["results"] + second["results"]]
    assert sum(Decimal(share) for share in shares) == 1


def test_claims_are_listed_by_product_and_the_product_is_required(client_for, people, product):
    assert client_for(None).get("/api/v1/contributions/").status_code == 400
    assert client_for(None).get("/api/v1/contributions/?product=１").status_code == 400
    assert client_for(None).get("/api/v1/contributions/?product=999999").status_code == 404


def test_an_unknown_product_is_404(client_for, people):
    response = client_for(None).get("/api/v1/products/999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Claiming -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("unverified", 403),
        ("member", 201),
        ("creator", 201),
        ("reviewer", 201),
        ("finance", 201),
    ],
)
def test_who_may_claim_on_a_product(client_for, people, product, role, status):
    response = client_for(who(people, role)).post(
        f"/api/v1/products/{product.pk}/contributions/", CLAIM, format="json"
    )

    assert response.status_code == status
    claimed = Contribution.objects.filter(kind="design").count()
    assert claimed == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()["status"] == "pending"
        assert response.json()["proposed_points"] == 40


@pytest.mark.parametrize("points", [0, -5, 2.5, 2.0, "2.0", "ten", True, None, 10**12], ids=repr)
def test_claim_points_must_be_a_positive_whole_number(client_for, people, product, points):
    response = client_for(people.alice).post(
        f"/api/v1/products/{product.pk}/contributions/",
        {**CLAIM, "proposed_points": points},
        format="json",
    )

    assert response.status_code == 400
    assert "proposed_points" in error_fields(response)


@pytest.mark.parametrize("kind", ["catering", "funding", ""])
def test_claim_kind_must_be_a_claimable_kind(client_for, people, product, kind):
    response = client_for(people.alice).post(
        f"/api/v1/products/{product.pk}/contributions/", {**CLAIM, "kind": kind}, format="json"
    )

    assert response.status_code == 400
    assert "kind" in error_fields(response)


def test_a_claim_without_a_description_names_the_field(client_for, people, product):
    response = client_for(people.alice).post(
        f"/api/v1/products/{product.pk}/contributions/",
        {"kind": "design", "proposed_points": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "description" in error_fields(response)


def test_claiming_on_an_idea_that_is_not_a_product_is_400_on_idea(client_for, people):
    idea = idea_in_voting(creator=people.creator)

    response = client_for(people.alice).post(
        "/api/v1/contributions/", {**CLAIM, "idea": idea.pk}, format="json"
    )

    assert response.status_code == 400
    assert "idea" in error_fields(response)
    assert not Contribution.objects.exists()


def test_claiming_by_idea_id_on_a_product_works(client_for, people, product):
    response = client_for(people.alice).post(
        "/api/v1/contributions/", {**CLAIM, "idea": product.idea_id}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["idea"] == product.idea_id


def test_anonymous_cannot_claim_by_idea_id(client_for, people, product):
    response = client_for(None).post(
        "/api/v1/contributions/", {**CLAIM, "idea": product.idea_id}, format="json"
    )
    assert response.status_code == 401


def test_a_claim_with_an_evidence_file_by_multipart(client_for, people, product):
    response = client_for(people.alice).post(
        f"/api/v1/products/{product.pk}/contributions/",
        {**CLAIM, "evidence_file": SimpleUploadedFile("hinge.png", PNG)},
        format="multipart",
    )

    assert response.status_code == 201
    assert response.json()["evidence_type"] == "image/png"
    claim_id = response.json()["id"]
    assert response.json()["evidence_file"].endswith(f"/contributions/{claim_id}/evidence/")
    served = Client()
    served.force_login(people.alice)
    download = served.get(response.json()["evidence_file"])
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG


def test_a_disguised_evidence_file_is_400_on_evidence_file(client_for, people, product):
    response = client_for(people.alice).post(
        f"/api/v1/products/{product.pk}/contributions/",
        {**CLAIM, "evidence_file": SimpleUploadedFile("hinge.png", b"MZ\x90\x00 not a png")},
        format="multipart",
    )

    assert response.status_code == 400
    assert "evidence_file" in error_fields(response)


# --- Reading claims -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,sees_pending",
    [
        ("anonymous", False),
        ("unverified", False),
        ("member", True),  # alice: it is her own claim
        ("creator", True),
        ("reviewer", True),
        ("finance", False),
    ],
)
def test_pending_claims_are_seen_by_claimant_creator_and_reviewers(
    client_for, people, product, pending, role, sees_pending
):
    client = client_for(who(people, role))

    listing = client.get(f"/api/v1/contributions/?product={product.pk}")
    detail = client.get(f"/api/v1/contributions/{pending.pk}/")

    assert listing.status_code == 200
    ids = [c["id"] for c in listing.json()["results"]]
    assert (pending.pk in ids) is sees_pending
    assert len([c for c in listing.json()["results"] if c["kind"] == "funding"]) == 1
    assert detail.status_code == (200 if sees_pending else 404)


def test_another_member_does_not_see_a_pending_claim(client_for, people, product, pending):
    response = client_for(people.bob).get(f"/api/v1/contributions/{pending.pk}/")
    assert response.status_code == 404


# --- Endorsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("member", 403),  # alice, the claimant herself
        ("unverified", 403),
        ("reviewer", 403),
        ("finance", 403),
        ("creator", 200),
    ],
)
def test_only_the_creator_endorses_a_claim(client_for, people, pending, role, status):
    response = client_for(who(people, role)).post(f"/api/v1/contributions/{pending.pk}/endorse/")

    assert response.status_code == status
    pending.refresh_from_db()
    assert (pending.endorsed_at is not None) is (status == 200)
    if status == 200:
        assert response.json()["endorsed"] is True


def test_endorsing_twice_is_409(client_for, people, pending):
    client = client_for(people.creator)
    assert client.post(f"/api/v1/contributions/{pending.pk}/endorse/").status_code == 200
    response = client.post(f"/api/v1/contributions/{pending.pk}/endorse/")
    assert response.status_code == 409


# --- Approving and rejecting --------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("member", 403),
        ("unverified", 403),
        ("creator", 403),
        ("finance", 403),
        ("reviewer", 200),
    ],
)
def test_only_reviewers_approve(client_for, people, pending, role, status):
    response = client_for(who(people, role)).post(
        f"/api/v1/contributions/{pending.pk}/approve/", {"points": 30}, format="json"
    )

    assert response.status_code == status
    pending.refresh_from_db()
    if status == 200:
        assert pending.status == ContributionStatus.APPROVED
        assert pending.points == 30
        assert response.json()["points"] == 30
        assert response.json()["decided_by"] == people.reviewer.pk
    else:
        assert pending.status == ContributionStatus.PENDING


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("member", 403),
        ("unverified", 403),
        ("creator", 403),
        ("finance", 403),
        ("reviewer", 200),
    ],
)
def test_only_reviewers_reject(client_for, people, pending, role, status):
    response = client_for(who(people, role)).post(
        f"/api/v1/contributions/{pending.pk}/reject/", {"reason": "Not shown."}, format="json"
    )

    assert response.status_code == status
    pending.refresh_from_db()
    expected = ContributionStatus.REJECTED if status == 200 else ContributionStatus.PENDING
    assert pending.status == expected


def test_approving_twice_is_409_and_keeps_the_first_points(client_for, people, pending):
    first = client_for(people.reviewer).post(
        f"/api/v1/contributions/{pending.pk}/approve/", {"points": 30}, format="json"
    )
    second = client_for(people.reviewer2).post(
        f"/api/v1/contributions/{pending.pk}/approve/", {"points": 90}, format="json"
    )

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_decided"
    pending.refresh_from_db()
    assert pending.points == 30


def test_rejecting_an_approved_claim_is_409(client_for, people, pending):
    client_for(people.reviewer).post(
        f"/api/v1/contributions/{pending.pk}/approve/", {"points": 30}, format="json"
    )
    response = client_for(people.reviewer2).post(
        f"/api/v1/contributions/{pending.pk}/reject/", {"reason": "Oops"}, format="json"
    )
    assert response.status_code == 409


@pytest.mark.parametrize("points", [0, -1, 1.5, 2.0, "3.0", "", None, False], ids=repr)
def test_approval_points_must_be_a_positive_whole_number(client_for, people, pending, points):
    response = client_for(people.reviewer).post(
        f"/api/v1/contributions/{pending.pk}/approve/", {"points": points}, format="json"
    )

    assert response.status_code == 400
    assert "points" in error_fields(response)
    pending.refresh_from_db()
    assert pending.status == ContributionStatus.PENDING


def test_approval_without_points_names_the_field(client_for, people, pending):
    response = client_for(people.reviewer).post(
        f"/api/v1/contributions/{pending.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 400
    assert "points" in error_fields(response)


def test_rejection_without_a_reason_names_the_field(client_for, people, pending):
    response = client_for(people.reviewer).post(
        f"/api/v1/contributions/{pending.pk}/reject/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in error_fields(response)


def test_a_reviewer_cannot_approve_their_own_claim(client_for, people, product):
    own = contribution_submit(
        product=product, member=people.reviewer, kind="other", description="x", proposed_points=5
    )
    response = client_for(people.reviewer).post(
        f"/api/v1/contributions/{own.pk}/approve/", {"points": 5}, format="json"
    )
    assert response.status_code == 403


def test_deciding_an_unknown_claim_is_404(client_for, people):
    response = client_for(people.reviewer).post(
        "/api/v1/contributions/424242/approve/", {"points": 5}, format="json"
    )
    assert response.status_code == 404


def test_token_auth_works_for_scripts(api_client, people, pending):
    from tests.helpers import api_key_for

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(people.reviewer)}")

    response = api_client.post(
        f"/api/v1/contributions/{pending.pk}/approve/", {"points": 12}, format="json"
    )

    assert response.status_code == 200


def test_the_schema_documents_the_share_format(client_for, people):
    response = client_for(None).get("/api/schema/")
    assert response.status_code == 200
    assert b"decimal string" in response.content


def test_claiming_is_rate_limited_per_member(client_for, people, product, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "claim_user": "2/hour",
            "claim_ip": "99/hour",
        },
    }
    client = client_for(people.alice)
    url = f"/api/v1/products/{product.pk}/contributions/"

    statuses = [client.post(url, CLAIM, format="json").status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    assert Contribution.objects.filter(member=people.alice).count() == 2


def test_a_product_whose_idea_was_hidden_is_gone_for_the_public_but_not_for_reviewers(
    client_for, people, product
):
    from django.utils import timezone

    from ideas.models import Idea

    Idea.objects.filter(pk=product.idea_id).update(hidden_at=timezone.now(), hidden_reason="Spam")

    assert client_for(people.alice).get(f"/api/v1/products/{product.pk}/").status_code == 404
    assert client_for(None).get("/api/v1/products/").json()["results"] == []
    assert client_for(people.reviewer).get(f"/api/v1/products/{product.pk}/").status_code == 200
