import pytest
from django.test import Client

from funding.models import ReviewDecision
from ideas.models import IdeaStatus
from tests.factories import idea_in_review
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/admin/funding/ideainreview/"


@pytest.fixture
def admin_client(make_user):
    make_user("ada", is_staff=True, is_superuser=True)
    client = Client()
    client.login(username="ada", password=PASSWORD)
    return client


def test_staff_approve_an_idea_for_funding_with_an_admin_action(admin_client, make_user):
    idea = idea_in_review(make_user("carla"))
    form = admin_client.post(URL, {"action": "approve_for_funding", "_selected_action": [idea.pk]})
    assert form.status_code == 200 and b"Platform fee" in form.content
    done = admin_client.post(
        URL,
        {
            "action": "approve_for_funding",
            "_selected_action": [idea.pk],
            "apply": "1",
            "funding_goal": "1000",
            "currency": "EUR",
            "platform_fee_bp": "2000",
            "points_per_unit": "1",
            "reason": "Approved in the admin.",
        },
    )
    assert done.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.funding_round.goal, idea.funding_round.platform_fee_bp) == (
        "funding",
        100_000,
        2000,
    )
    assert ReviewDecision.objects.get(idea=idea).reason == "Approved in the admin."


def test_staff_reject_an_idea_with_an_admin_action(admin_client, make_user):
    idea = idea_in_review(make_user("carla"))
    admin_client.post(
        URL,
        {"action": "reject", "_selected_action": [idea.pk], "apply": "1", "reason": "Dup."},
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED


def test_the_admin_review_list_shows_only_ideas_in_review(admin_client, make_user):
    idea_in_review(make_user("carla"), title="Waiting for review")
    from tests.factories import idea_in_voting

    idea_in_voting(make_user("dara"), title="Still voting")
    html = admin_client.get(URL).content.decode()
    assert "Waiting for review" in html and "Still voting" not in html
