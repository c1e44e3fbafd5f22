import pytest
from django.test import Client

from funding.services import pledge_create
from tests.factories import idea_in_funding, idea_in_review, idea_in_voting
from tests.helpers import PASSWORD
from voting.services import vote_cast, vote_withdraw

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_idea_page_shows_the_vote_button_and_progress(make_user, settings):
    settings.VOTE_THRESHOLD = 10
    idea = idea_in_voting(make_user("carla"))
    vote_cast(idea=idea, member=make_user("bob"))
    html = signed_in(make_user("alice")).get(f"/ideas/{idea.pk}/").content.decode()
    assert 'id="vote-button"' in html
    assert "Vote for this idea" in html
    assert 'id="vote-count">1<' in html
    assert "of 10 needed for review" in html
    assert 'data-width="10"' in html


def test_the_idea_page_tells_a_voter_they_voted(make_user):
    idea = idea_in_voting(make_user("carla"))
    alice = make_user("alice")
    vote_cast(idea=idea, member=alice)
    html = signed_in(alice).get(f"/ideas/{idea.pk}/").content.decode()
    assert "Withdraw my vote" in html


def test_the_creator_sees_no_vote_button_on_their_idea(make_user):
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    html = signed_in(carla).get(f"/ideas/{idea.pk}/").content.decode()
    assert 'id="vote-button"' not in html
    assert "the others vote on it" in html


def test_visitors_are_asked_to_sign_in_to_vote(make_user):
    idea = idea_in_voting(make_user("carla"))
    html = signed_in(None).get(f"/ideas/{idea.pk}/").content.decode()
    assert "Sign in to vote" in html


def test_the_idea_page_shows_the_funding_bar(make_user):
    rita = make_user("rita", role="reviewer")
    idea = idea_in_funding(make_user("carla"), rita, goal=10_000)
    pledge_create(idea=idea, member=make_user("bob"), amount=2_550)
    html = signed_in(make_user("alice")).get(f"/ideas/{idea.pk}/").content.decode()
    assert "25.50 EUR" in html and "100.00 EUR" in html
    assert 'id="funding-backers">1<' in html
    assert "days left" in html
    assert 'id="pledge-form"' in html


@pytest.mark.parametrize("who, expected", [("member", 403), ("creator", 403), ("finance", 403)])
def test_only_reviewers_see_the_review_queue(who, expected, make_user):
    user = make_user(who, role="finance" if who == "finance" else None)
    assert signed_in(user).get("/review/").status_code == expected


def test_visitors_are_sent_to_sign_in_from_the_review_queue():
    response = signed_in(None).get("/review/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_review_queue_lists_ideas_in_review_with_their_forms(make_user):
    idea = idea_in_review(make_user("carla"), title="Bamboo bike")
    html = signed_in(make_user("rita", role="reviewer")).get("/review/").content.decode()
    assert "Bamboo bike" in html
    assert f'action="/review/ideas/{idea.pk}/decide/#review-{idea.pk}"' in html
    assert "Platform fee (basis points)" in html


def test_a_reviewer_approves_from_the_queue(make_user):
    idea = idea_in_review(make_user("carla"))
    client = signed_in(make_user("rita", role="reviewer"))
    p = f"a{idea.pk}-"
    response = client.post(
        f"/review/ideas/{idea.pk}/decide/",
        {
            "decision": "approve",
            p + "funding_goal": "2500.50",
            p + "currency": "EUR",
            p + "platform_fee_bp": "1200",
            p + "points_per_unit": "3",
            p + "reason": "Solid.",
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.funding_round.goal, idea.funding_round.platform_fee_bp) == (
        "funding",
        250_050,
        1200,
    )


def test_a_bad_fee_in_the_queue_form_is_shown_next_to_the_field(make_user):
    idea = idea_in_review(make_user("carla"))
    client = signed_in(make_user("rita", role="reviewer"))
    p = f"a{idea.pk}-"
    response = client.post(
        f"/review/ideas/{idea.pk}/decide/",
        {"decision": "approve", p + "funding_goal": "100", p + "currency": "EUR",
         p + "platform_fee_bp": "3000", p + "points_per_unit": "1", p + "reason": "Ok"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "less than or equal to 2500" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "review"


def test_a_reviewer_rejects_from_the_queue(make_user):
    idea = idea_in_review(make_user("carla"))
    client = signed_in(make_user("rita", role="reviewer"))
    client.post(
        f"/review/ideas/{idea.pk}/decide/", {"decision": "reject", f"r{idea.pk}-reason": "Dup."}
    )
    idea.refresh_from_db()
    assert idea.status == "rejected"


def test_members_cannot_post_decisions_from_the_page(make_user):
    idea = idea_in_review(make_user("carla"))
    response = signed_in(make_user("alice")).post(
        f"/review/ideas/{idea.pk}/decide/", {"decision": "reject", f"r{idea.pk}-reason": "x"}
    )
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == "review"


def test_the_vote_record_shows_who_voted_when_to_reviewers(make_user):
    idea = idea_in_voting(make_user("carla"))
    bob = make_user("bob", display_name="Bob Builder")
    vote_cast(idea=idea, member=bob, network="203.0.113.0/24")
    vote_withdraw(idea=idea, member=bob, network="203.0.113.0/24")
    response = signed_in(make_user("rita", role="reviewer")).get(f"/review/ideas/{idea.pk}/votes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bob Builder" in html and "203.0.113.0/24" in html
    assert "Withdrawn" in html and "Cast" in html
    assert "bob@example.org" not in html


@pytest.mark.parametrize("who", ["member", "creator"])
def test_members_cannot_see_the_vote_record(who, make_user, client_for):
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    user = carla if who == "creator" else make_user("alice")
    assert signed_in(user).get(f"/review/ideas/{idea.pk}/votes/").status_code == 403
    assert client_for(user).get(f"/api/v1/ideas/{idea.pk}/votes/").status_code == 403


def test_reviewers_read_the_vote_record_through_the_api(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    vote_cast(idea=idea, member=make_user("bob"), network="203.0.113.0/24")
    body = (
        client_for(make_user("rita", role="reviewer")).get(f"/api/v1/ideas/{idea.pk}/votes/").json()
    )
    assert [(e["member_name"], e["action"], e["network"]) for e in body["results"]] == [
        ("bob", "cast", "203.0.113.0/24")
    ]
