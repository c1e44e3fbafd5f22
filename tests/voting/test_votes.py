import pytest

from core.errors import Conflict
from ideas.models import Category, Idea, IdeaStatus, IdeaTransition
from ideas.transitions import idea_transition
from notifications.models import Notification
from tests.factories import idea_in_review, idea_in_voting
from voting.models import Vote, VoteEvent
from voting.services import vote_cast, vote_withdraw

pytestmark = pytest.mark.django_db


def vote_url(idea):
    return f"/api/v1/ideas/{idea.pk}/vote/"


def test_a_member_votes_and_the_count_goes_up(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    alice = make_user("alice")
    response = client_for(alice).post(vote_url(idea))
    assert response.status_code == 201
    assert response.json()["voted"] is True
    assert response.json()["vote_count"] == 1
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_vote_twice_counts_once(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    client = client_for(make_user("alice"))
    client.post(vote_url(idea))
    again = client.post(vote_url(idea))
    assert again.status_code == 200
    assert again.json()["vote_count"] == 1
    assert Vote.objects.filter(idea=idea).count() == 1


def test_withdrawing_a_vote_takes_it_back(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    client = client_for(make_user("alice"))
    client.post(vote_url(idea))
    response = client.delete(vote_url(idea))
    assert response.status_code == 200
    assert response.json() == {
        "idea": idea.pk,
        "voted": False,
        "vote_count": 0,
        "vote_threshold": idea.vote_threshold,
        "status": "voting",
    }
    idea.refresh_from_db()
    assert idea.vote_count == 0
    assert not Vote.objects.filter(idea=idea).exists()


def test_withdrawing_without_a_vote_changes_nothing(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    vote_cast(idea=idea, member=make_user("bob"))
    response = client_for(make_user("alice")).delete(vote_url(idea))
    assert response.status_code == 200
    assert response.json()["vote_count"] == 1


def test_nobody_votes_on_their_own_idea(make_user, client_for):
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    response = client_for(carla).post(vote_url(idea))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "own_idea"
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_an_unverified_member_cannot_vote(make_user, client_for, settings):
    settings.EMAIL_VERIFICATION = "mandatory"
    idea = idea_in_voting(make_user("carla"))
    response = client_for(make_user("newbie", verified=False)).post(vote_url(idea))
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_an_unverified_member_may_vote_when_verification_is_off(make_user, client_for, settings):
    settings.EMAIL_VERIFICATION = "none"
    idea = idea_in_voting(make_user("carla"))
    response = client_for(make_user("newbie", verified=False)).post(vote_url(idea))
    assert response.status_code == 201


def test_anonymous_visitors_cannot_vote_but_can_read_the_count(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    anonymous = client_for(None)
    assert anonymous.post(vote_url(idea)).status_code == 401
    assert anonymous.delete(vote_url(idea)).status_code == 401
    read = anonymous.get(vote_url(idea))
    assert read.status_code == 200
    assert read.json()["voted"] is False


def test_voting_outside_voting_is_a_conflict(make_user, client_for):
    idea = idea_in_review(make_user("carla"))
    response = client_for(make_user("alice")).post(vote_url(idea))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_in_voting"


def test_withdrawing_outside_voting_is_a_conflict(make_user, client_for):
    idea = idea_in_voting(make_user("carla"), category=Category.objects.create(
        name="Home", slug="home", vote_threshold=1
    ))  # fmt: skip
    alice = make_user("alice")
    client_for(alice).post(vote_url(idea))  # reaches the threshold of 1: now in review
    response = client_for(alice).delete(vote_url(idea))
    assert response.status_code == 409
    assert Vote.objects.filter(idea=idea, member=alice).exists()


def test_voting_after_the_window_ended_is_a_conflict(make_user, client_for):
    idea = idea_in_voting(make_user("carla"), days_left=-1)
    response = client_for(make_user("alice")).post(vote_url(idea))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting_ended"


def test_voting_on_a_missing_idea_is_404(make_user, client_for):
    assert client_for(make_user("alice")).post("/api/v1/ideas/999999/vote/").status_code == 404


def test_the_vote_reaching_the_threshold_sends_the_idea_to_review(make_user, settings):
    settings.VOTE_THRESHOLD = 3
    make_user("rita", role="reviewer")
    make_user("rafael", role="reviewer")
    idea = idea_in_voting(make_user("carla"))
    results = [vote_cast(idea=idea, member=make_user(n)) for n in ("alice", "bob", "chen")]
    assert [r.status for r in results] == ["voting", "voting", "review"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW
    assert idea.vote_count == 3
    move = IdeaTransition.objects.get(idea=idea, to_status=IdeaStatus.REVIEW)
    assert move.actor is None and "threshold" in move.reason_text
    notes = Notification.objects.filter(kind="idea_review_requested")
    assert sorted(n.recipient.username for n in notes) == ["rafael", "rita"]
    assert Notification.objects.filter(kind="idea_threshold_reached", recipient=idea.creator)


def test_a_category_threshold_overrides_the_default(make_user, settings):
    settings.VOTE_THRESHOLD = 100
    gadgets = Category.objects.create(name="Gadgets", slug="gadgets", vote_threshold=2)
    idea = idea_in_voting(make_user("carla"), category=gadgets)
    vote_cast(idea=idea, member=make_user("alice"))
    result = vote_cast(idea=idea, member=make_user("bob"))
    assert result.status == IdeaStatus.REVIEW
    assert result.vote_threshold == 2


def test_every_vote_and_withdrawal_is_on_the_record(make_user):
    idea = idea_in_voting(make_user("carla"))
    alice = make_user("alice")
    vote_cast(idea=idea, member=alice, network="203.0.113.0/24")
    vote_withdraw(idea=idea, member=alice, network="203.0.113.0/24")
    actions = list(VoteEvent.objects.filter(idea=idea).values_list("action", "network"))
    assert actions == [("cast", "203.0.113.0/24"), ("withdraw", "203.0.113.0/24")]


def test_the_record_keeps_the_network_not_the_address(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    client = client_for(make_user("alice"))
    client.post(vote_url(idea), REMOTE_ADDR="198.51.100.77")
    assert VoteEvent.objects.get(idea=idea).network == "198.51.100.0/24"


def test_voting_is_rate_limited_per_member(make_user, client_for, rates):
    rates("vote_user", "2/min")
    idea = idea_in_voting(make_user("carla"))
    client = client_for(make_user("alice"))
    client.post(vote_url(idea))
    client.delete(vote_url(idea))
    third = client.post(vote_url(idea))
    assert third.status_code == 429
    assert int(third["Retry-After"]) > 0


def test_voting_is_rate_limited_per_address(make_user, client_for, rates):
    rates("vote_ip", "2/min")
    idea = idea_in_voting(make_user("carla"))
    statuses = [
        client_for(make_user(name)).post(vote_url(idea), REMOTE_ADDR="192.0.2.9").status_code
        for name in ("alice", "bob", "chen")
    ]
    assert statuses == [201, 201, 429]
    idea.refresh_from_db()
    assert idea.vote_count == 2


def test_a_vote_racing_the_move_to_review_is_refused_and_not_stored(make_user, settings):
    settings.VOTE_THRESHOLD = 50
    idea = idea_in_voting(make_user("carla"))
    stale = Idea.objects.select_related("category").get(pk=idea.pk)  # read while in voting
    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="Moved meanwhile.")
    with pytest.raises(Conflict):
        vote_cast(idea=stale, member=make_user("alice"))
    assert not Vote.objects.filter(idea=idea).exists()
    assert not VoteEvent.objects.filter(idea=idea).exists()
    assert Idea.objects.get(pk=idea.pk).vote_count == 0


def test_votes_wait_for_the_flush_when_configured(make_user, settings):
    settings.VOTE_SYNCHRONOUS_COMMIT = True
    idea = idea_in_voting(make_user("carla"))
    assert vote_cast(idea=idea, member=make_user("alice")).vote_count == 1


def test_staff_and_superusers_hear_of_the_threshold_as_reviewers_do(make_user, settings):
    """Staff and superusers hold every role (accounts.roles): they are told as reviewers are;
    an inactive account is not."""
    settings.VOTE_THRESHOLD = 1
    make_user("rita", role="reviewer")
    make_user("stan", is_staff=True)
    make_user("sue", is_superuser=True)
    make_user("gone", is_staff=True, is_active=False)
    make_user("plain")
    idea = idea_in_voting(make_user("carla"))
    assert vote_cast(idea=idea, member=make_user("alice")).status == IdeaStatus.REVIEW
    notes = Notification.objects.filter(kind="idea_review_requested")
    assert sorted(n.recipient.username for n in notes) == ["rita", "stan", "sue"]
