from django.test import Client

from contributions.models import ContributionStatus
from contributions.services import contribution_submit


def staff_client(make_user):
    admin = make_user("ada", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_staff_approve_claims_with_their_proposed_points_in_the_admin(make_user, people, product):
    claim = contribution_submit(
        product=product, member=people.alice, kind="design", description="x", proposed_points=8
    )

    response = staff_client(make_user).post(
        "/admin/contributions/contribution/",
        {"action": "approve_with_proposed_points", "_selected_action": [claim.pk]},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.points) == (ContributionStatus.APPROVED, 8)


def test_staff_reject_claims_with_a_reason_in_the_admin(make_user, people, product):
    claim = contribution_submit(
        product=product, member=people.alice, kind="design", description="x", proposed_points=8
    )
    client = staff_client(make_user)
    form = {"action": "reject_with_reason", "_selected_action": [claim.pk]}

    ask = client.post("/admin/contributions/contribution/", form)
    assert ask.status_code == 200 and b"Reason" in ask.content
    client.post(
        "/admin/contributions/contribution/", {**form, "confirm": "yes", "reason": "Duplicate."}
    )

    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason) == (ContributionStatus.REJECTED, "Duplicate.")


def test_the_admin_change_page_renders(make_user, people, product):
    claim = contribution_submit(
        product=product, member=people.alice, kind="design", description="x", proposed_points=8
    )
    client = staff_client(make_user)
    assert client.get(f"/admin/contributions/contribution/{claim.pk}/change/").status_code == 200
    assert client.get("/admin/contributions/contribution/").status_code == 200
