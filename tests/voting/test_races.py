"""Votes racing each other, with real threads and connections (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import Conflict, NotAllowed
from ideas.models import Idea, IdeaStatus, IdeaTransition
from notifications.models import Notification
from tests.factories import idea_in_voting
from voting.models import Vote, VoteEvent
from voting.services import ballot, vote_cast, vote_cast_by_id

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(jobs):
    """Run each job in its own thread, released together; collect results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def voter(idea_id, member):
    def job():
        idea = Idea.objects.select_related("category").get(pk=idea_id)
        return vote_cast(idea=idea, member=member)

    return job


def test_fifty_members_voting_at_once_give_fifty_votes(make_user, settings):
    settings.VOTE_THRESHOLD = 1000
    idea = idea_in_voting(make_user("carla"))
    members = [make_user(f"member{i}") for i in range(50)]
    results = run_at_once([voter(idea.pk, m) for m in members])
    assert not [r for r in results if isinstance(r, Exception)]
    idea.refresh_from_db()
    assert idea.vote_count == 50
    assert Vote.objects.filter(idea=idea).count() == 50


def test_one_member_voting_ten_times_at_once_counts_once(make_user):
    idea = idea_in_voting(make_user("carla"))
    alice = make_user("alice")
    results = run_at_once([voter(idea.pk, alice) for _ in range(10)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(1 for r in results if r.changed) == 1
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert Vote.objects.filter(idea=idea).count() == 1


def test_votes_crossing_the_threshold_at_once_move_the_idea_once(make_user, settings):
    settings.VOTE_THRESHOLD = 5
    make_user("rita", role="reviewer")
    idea = idea_in_voting(make_user("carla"))
    members = [make_user(f"member{i}") for i in range(12)]
    results = run_at_once([voter(idea.pk, m) for m in members])
    counted = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, Conflict) for r in refused)  # late votes find it in review
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW
    assert idea.vote_count == 5 == len(counted)
    assert Vote.objects.filter(idea=idea).count() == 5
    assert IdeaTransition.objects.filter(idea=idea, to_status=IdeaStatus.REVIEW).count() == 1
    assert Notification.objects.filter(kind="idea_review_requested").count() == 1


def test_the_endpoints_path_counts_votes_at_once_and_moves_the_idea_once(make_user, settings):
    """What the vote API calls (vote_cast_by_id): ordinary votes in one statement each, the
    one reaching the threshold through the full path, late ones refused."""
    settings.VOTE_THRESHOLD = 30
    make_user("rita", role="reviewer")
    idea = idea_in_voting(make_user("carla"))
    members = [make_user(f"member{i}") for i in range(50)]
    results = run_at_once([lambda m=m: vote_cast_by_id(idea_id=idea.pk, member=m) for m in members])
    counted = [r for r in results if not isinstance(r, Exception)]
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW
    assert idea.vote_count == 30 == len(counted) == Vote.objects.filter(idea=idea).count()
    assert IdeaTransition.objects.filter(idea=idea, to_status=IdeaStatus.REVIEW).count() == 1


def test_an_ordinary_vote_is_one_statement_that_reads_the_idea_too(make_user, monkeypatch):
    """The idea is never read into Python and the full path never runs for an ordinary vote
    (it did for every vote while the statement failed at plan time). The idea's first vote
    takes the full path: it spreads the counter rows' room."""
    idea = idea_in_voting(make_user("carla"))
    alice = make_user("alice")
    assert vote_cast_by_id(idea_id=idea.pk, member=make_user("bob")).vote_count == 1

    def full_path(*args, **kwargs):
        raise AssertionError("an ordinary vote took the full path")

    monkeypatch.setattr(ballot, "ballot_target", full_path)
    monkeypatch.setattr(ballot, "_cast_locked", full_path)
    result = vote_cast_by_id(idea_id=idea.pk, member=alice, network="203.0.113.0/24")
    repeat = vote_cast_by_id(idea_id=idea.pk, member=alice)
    assert (result.changed, result.vote_count) == (True, 2)
    assert (repeat.changed, repeat.vote_count) == (False, 2)
    assert Idea.objects.get(pk=idea.pk).vote_count == 2 == Vote.objects.filter(idea=idea).count()
    event = VoteEvent.objects.get(idea=idea, member=alice)
    assert (event.member, event.action, event.network) == (alice, "cast", "203.0.113.0/24")


def test_the_one_statement_declines_what_the_rules_refuse(make_user):
    """Own idea, hidden idea, idea out of voting: the statement writes nothing and the full
    path answers with the rule's refusal (or no idea at all)."""
    carla = make_user("carla")
    own = idea_in_voting(carla)
    with pytest.raises(NotAllowed):
        vote_cast_by_id(idea_id=own.pk, member=carla)
    hidden = idea_in_voting(carla)
    Idea.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert vote_cast_by_id(idea_id=hidden.pk, member=make_user("alice")) is None
    assert not Vote.objects.filter(idea__in=[own, hidden]).exists()
    assert Idea.objects.get(pk=own.pk).vote_count == 0
