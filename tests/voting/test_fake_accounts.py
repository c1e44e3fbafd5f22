"""Votes that fake accounts cannot buy (issue 26): a new account's vote is recorded and counts
once the account is VOTE_MIN_ACCOUNT_AGE old; clusters of new accounts (one network, one device,
a sign-up burst) cannot carry an idea to review; a reviewer voids a cluster with a reason; each
member sees whether their votes count."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ideas.models import Idea, IdeaStatus
from notifications.models import Notification
from tests.a11y import assert_accessible
from tests.factories import idea_in_voting
from tests.helpers import browser_login
from voting.models import Vote, VoteHold, VoteVoid
from voting.services import vote_cast, votes_due_count

pytestmark = pytest.mark.django_db


def _vote(client, idea, address: str):
    return client.post(f"/api/v1/ideas/{idea.pk}/vote/", REMOTE_ADDR=address)


def _count(idea) -> int:
    return Idea.objects.get(pk=idea.pk).vote_count


def _fresh(make_user, name: str, **extra):
    return make_user(name, verified=True, date_joined=timezone.now(), **extra)


def test_a_new_accounts_vote_is_recorded_and_counts_once_the_account_is_a_day_old(
    make_user, client_for
):
    idea = idea_in_voting(make_user("carla"))
    newbie = _fresh(make_user, "newbie")
    client = client_for(newbie)
    response = _vote(client, idea, "198.51.100.7")
    body = response.json()
    assert response.status_code == 201
    assert (body["voted"], body["counts"], body["vote_count"]) == (True, False, 0)
    counts_from = newbie.date_joined + timedelta(days=1)
    assert body["counts_from"] == counts_from.isoformat()
    assert _count(idea) == 0
    mine = client.get("/api/v1/me/votes/").json()["results"]
    assert [(v["idea"], v["state"]) for v in mine] == [(idea.pk, "pending")]
    assert votes_due_count() == 0  # not yet
    assert votes_due_count(now=counts_from + timedelta(minutes=1)) == 1
    assert _count(idea) == 1
    assert client.get("/api/v1/me/votes/").json()["results"][0]["state"] == "counts"
    again = _vote(client, idea, "198.51.100.7").json()
    assert (again["counts"], again["vote_count"]) == (True, 1)


def _attack(make_user, client_for, idea, n=50):
    for i in range(n):
        _vote(client_for(_fresh(make_user, f"sock{i}")), idea, f"203.0.113.{i + 1}")


def test_fifty_fresh_accounts_from_one_network_are_flagged_and_do_not_send_an_idea_to_review(
    make_user, client_for, settings, client
):
    settings.VOTE_THRESHOLD = 50
    idea = idea_in_voting(make_user("carla"))
    rita = make_user("rita", role="reviewer")
    _attack(make_user, client_for, idea)  # within a few seconds: well inside ten minutes
    assert _count(idea) == 0 and Vote.objects.filter(idea=idea).count() == 50
    assert votes_due_count(now=timezone.now() + timedelta(days=1, minutes=5)) == 50
    idea.refresh_from_db()
    assert (idea.status, idea.vote_count) == (IdeaStatus.VOTING, 50)
    assert VoteHold.objects.get(idea=idea).closed_at is None
    held = client_for(rita).get("/api/v1/votes/held/").json()
    assert [h["idea"] for h in held] == [idea.pk]
    kinds = {c["kind"]: len(c["votes"]) for c in held[0]["clusters"]}
    assert kinds["network"] == 50 and kinds["signup"] == 50
    assert Notification.objects.filter(recipient=rita, kind="idea_votes_held").count() == 1
    client.force_login(rita)
    page = client.get("/review/votes/")
    assert page.status_code == 200 and "One network" in page.content.decode()


def test_fifty_voters_from_different_networks_with_day_old_accounts_send_an_idea_to_review(
    make_user, client_for, settings
):
    settings.VOTE_THRESHOLD = 50
    idea = idea_in_voting(make_user("carla"))
    now = timezone.now()
    for i in range(50):
        member = make_user(f"fan{i}", date_joined=now - timedelta(days=1, minutes=30 * i + 1))
        response = _vote(client_for(member), idea, f"198.{i + 1}.100.7")
        assert response.json()["counts"] is True
    idea.refresh_from_db()
    assert (idea.status, idea.vote_count) == (IdeaStatus.REVIEW, 50)
    assert not VoteHold.objects.filter(idea=idea).exists()


def test_a_reviewer_voids_a_cluster_with_a_reason_and_the_count_drops_exactly(
    make_user, client_for, settings
):
    settings.VOTE_THRESHOLD = 10
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    honest = make_user("honest")
    _vote(client_for(honest), idea, "192.0.2.1")
    _attack(make_user, client_for, idea, n=12)
    votes_due_count(now=timezone.now() + timedelta(days=1, minutes=5))
    assert _count(idea) == 13
    rita = make_user("rita", role="reviewer")
    cluster = client_for(rita).get("/api/v1/votes/held/").json()[0]["clusters"][0]["key"]
    response = client_for(rita).post(
        f"/api/v1/ideas/{idea.pk}/vote-clusters/void/",
        {"cluster": cluster, "reason": "Sock puppets"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["votes"], response.json()["counted"]) == (12, 12)
    idea.refresh_from_db()
    assert (idea.status, idea.vote_count) == (IdeaStatus.VOTING, 1)
    void = VoteVoid.objects.get(idea=idea)
    assert (void.reviewer, void.reason, void.votes) == (rita, "Sock puppets", 12)
    assert VoteHold.objects.get(idea=idea).outcome == VoteHold.Outcome.VOIDED
    assert Notification.objects.filter(kind="vote_voided").count() == 12
    told = Notification.objects.get(kind="idea_votes_voided")
    assert told.recipient == carla and "Sock puppets" in told.text
    assert told.code == "idea_votes_voided_notice"
    sock = client_for(Vote.objects.filter(voided=void).first().member)
    mine = sock.get("/api/v1/me/votes/").json()["results"][0]
    assert (mine["state"], mine["void_reason"]) == ("voided", "Sock puppets")
    assert _vote(sock, idea, "203.0.113.1").json()["counts"] is False  # no second vote


def test_a_reviewer_may_send_a_held_idea_to_review(make_user, client_for, settings):
    settings.VOTE_THRESHOLD = 5
    idea = idea_in_voting(make_user("carla"))
    _attack(make_user, client_for, idea, n=5)
    votes_due_count(now=timezone.now() + timedelta(days=1, minutes=5))
    rita = make_user("rita", role="reviewer")
    response = client_for(rita).post(f"/api/v1/ideas/{idea.pk}/vote-hold/release/")
    assert response.status_code == 200
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.REVIEW
    assert VoteHold.objects.get(idea=idea).outcome == VoteHold.Outcome.RELEASED


def test_new_accounts_sharing_a_device_cookie_are_a_cluster(make_user, client_for, settings):
    settings.VOTE_THRESHOLD = 3
    idea = idea_in_voting(make_user("carla"))
    now = timezone.now()
    for i in range(3):
        member = make_user(f"twin{i}", date_joined=now - timedelta(days=2, hours=5 * i))
        client = client_for(member)
        client.cookies["ahhha_device"] = "a" * 32
        _vote(client, idea, f"10.{i}.0.1")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.VOTING and idea.vote_count == 3
    clusters = client_for(make_user("rita", role="reviewer")).get("/api/v1/votes/held/").json()
    assert [c["kind"] for c in clusters[0]["clusters"]] == ["device"]


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("member", 403), ("reviewer", 200)]
)
def test_who_may_see_the_held_ideas(who, status, make_user, client_for):
    user = {"anonymous": None, "member": make_user("alice"),
            "reviewer": make_user("rita", role="reviewer")}[who]  # fmt: skip
    assert client_for(user).get("/api/v1/votes/held/").status_code == status


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("member", 403)])
def test_who_may_void_or_release(who, status, make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    user = None if who == "anonymous" else make_user("alice")
    client = client_for(user)
    void = client.post(
        f"/api/v1/ideas/{idea.pk}/vote-clusters/void/", {"cluster": "x", "reason": "y"}
    )
    assert void.status_code == status
    assert client.post(f"/api/v1/ideas/{idea.pk}/vote-hold/release/").status_code == status


def test_only_the_member_sees_their_votes(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    alice, bob = make_user("alice"), make_user("bob")
    _vote(client_for(alice), idea, "192.0.2.1")
    assert client_for(None).get("/api/v1/me/votes/").status_code == 401
    assert client_for(bob).get("/api/v1/me/votes/").json()["results"] == []
    assert len(client_for(alice).get("/api/v1/me/votes/").json()["results"]) == 1


def test_the_pages_answer_whom_they_should(make_user, client):
    idea = idea_in_voting(make_user("carla"))
    assert client.get("/votes/mine/").status_code == 302
    alice = make_user("alice")
    client.force_login(alice)
    assert client.get("/review/votes/").status_code == 403
    assert client.post(f"/review/votes/{idea.pk}/", {"action": "release"}).status_code == 403
    page = client.get("/votes/mine/")
    assert page.status_code == 200 and "Did my vote count?" in page.content.decode()


def test_the_vote_box_tells_a_new_account_when_its_vote_counts(make_user, client):
    idea = idea_in_voting(make_user("carla"))
    newbie = _fresh(make_user, "newbie")
    client.force_login(newbie)
    vote_cast(idea=idea, member=newbie)
    html = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Your vote is recorded; it counts from" in html
    assert "Recorded; it counts from" in client.get("/votes/mine/").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_vote_pages_are_accessible_on_desktop_and_phone(page, make_user, settings):
    settings.VOTE_THRESHOLD = 5
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    for i in range(5):
        vote_cast(idea=idea, member=_fresh(make_user, f"sock{i}"), network="n" * 24)
    voided_idea = idea_in_voting(carla, title="A wind kettle")
    vote_cast(idea=voided_idea, member=make_user("alice"))
    votes_due_count(now=timezone.now() + timedelta(days=1, minutes=5))
    make_user("rita", role="reviewer")
    for width, height in [(1280, 900), (375, 800)]:
        page.set_viewport_size({"width": width, "height": height})
        for who, path, heading in [
            ("rita", "/review/votes/", "Ideas held for a vote review"),
            ("sock0", "/votes/mine/", "Did my vote count?"),
        ]:
            page.context.clear_cookies()
            browser_login(page, who)
            page.goto(path)
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            assert_accessible(page, f"{path} at {width} px")
