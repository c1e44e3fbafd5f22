"""The vote counter rows (ideas.VoteTally) on PostgreSQL: votes counted beside the idea row,
the count exact at every commit, the room never enough to reach the threshold, the fold."""

import threading
import time

import pytest
from django.db import connection, transaction

from core.errors import Conflict, NotAllowed
from ideas.models import Category, Idea, IdeaStatus, VoteTally
from ideas.transitions import idea_transition
from tests.factories import idea_in_voting
from voting.models import Vote
from voting.services import (
    TALLY_SHARDS,
    ballot,
    vote_cast,
    vote_cast_by_id,
    vote_tallies_fold,
    vote_withdraw,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _idea_row(idea_id):
    """What the idea's own row says, without the counter rows."""
    return Idea.objects.filter(pk=idea_id).values_list("votes_folded", flat=True).get()


def test_ordinary_votes_leave_the_idea_row_alone_and_the_count_exact(make_user, settings):
    settings.VOTE_THRESHOLD = 1000
    idea = idea_in_voting(make_user("carla"))
    first = vote_cast_by_id(idea_id=idea.pk, member=make_user("m0"))  # spreads the room
    assert first.vote_count == 1 and _idea_row(idea.pk) == 1
    rows = VoteTally.objects.filter(idea=idea)
    assert rows.count() == TALLY_SHARDS
    assert sum(r.room for r in rows) == 1000 - 1 - 1  # the votes still needed, less the last
    for i in range(1, 21):
        assert vote_cast_by_id(idea_id=idea.pk, member=make_user(f"m{i}")).vote_count == i + 1
    assert _idea_row(idea.pk) == 1  # the wide row was not written by the 20 votes
    assert Idea.objects.get(pk=idea.pk).vote_count == 21 == Vote.objects.filter(idea=idea).count()
    assert sum(VoteTally.objects.filter(idea=idea).values_list("votes", flat=True)) == 20


def test_the_room_never_takes_the_vote_that_reaches_the_threshold(make_user, settings):
    """With 40 votes needed and 16 rows, the rows run out one by one; each vote that finds
    its row empty takes the locked path, which spreads what is left; the 40th moves the idea."""
    settings.VOTE_THRESHOLD = 40
    make_user("rita", role="reviewer")
    idea = idea_in_voting(make_user("carla"))
    for i in range(40):
        result = vote_cast_by_id(idea_id=idea.pk, member=make_user(f"m{i}"))
        assert result.vote_count == i + 1
        assert result.status == (IdeaStatus.REVIEW if i == 39 else IdeaStatus.VOTING)
        counted = Idea.objects.get(pk=idea.pk).vote_count
        room = sum(VoteTally.objects.filter(idea=idea).values_list("room", flat=True))
        assert counted == i + 1 and room <= max(0, 39 - counted)
    with pytest.raises(Conflict):
        vote_cast_by_id(idea_id=idea.pk, member=make_user("late"))
    assert Vote.objects.filter(idea=idea).count() == 40


def test_a_lowered_threshold_is_seen_by_the_next_vote(make_user, settings):
    """The room was spread for 100; the category's threshold drops to 3: the next vote takes
    the locked path (the rows say 100) and, being the third, moves the idea."""
    settings.VOTE_THRESHOLD = 100
    make_user("rita", role="reviewer")
    gadgets = Category.objects.create(name="Gadgets", slug="gadgets")
    idea = idea_in_voting(make_user("carla"), category=gadgets)
    vote_cast_by_id(idea_id=idea.pk, member=make_user("m0"))
    vote_cast_by_id(idea_id=idea.pk, member=make_user("m1"))
    Category.objects.filter(pk=gadgets.pk).update(vote_threshold=3)
    third = vote_cast_by_id(idea_id=idea.pk, member=make_user("m2"))
    assert (third.vote_count, third.status) == (3, IdeaStatus.REVIEW)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.REVIEW


def test_a_withdrawal_gives_the_room_back_and_counts_exactly(make_user, settings):
    settings.VOTE_THRESHOLD = 50
    idea = idea_in_voting(make_user("carla"))
    members = [make_user(f"m{i}") for i in range(5)]
    for member in members:
        vote_cast_by_id(idea_id=idea.pk, member=member)
    result = vote_withdraw(idea=Idea.objects.get(pk=idea.pk), member=members[2])
    assert (result.changed, result.vote_count) == (True, 4)
    assert Idea.objects.get(pk=idea.pk).vote_count == 4 == Vote.objects.filter(idea=idea).count()
    room = sum(VoteTally.objects.filter(idea=idea).values_list("room", flat=True))
    assert room == 50 - 1 - 4


def test_the_fold_moves_the_rows_into_the_idea_without_changing_the_count(make_user, settings):
    settings.VOTE_THRESHOLD = 1000
    voting = idea_in_voting(make_user("carla"), title="Still voting")
    gone = idea_in_voting(make_user("dana"), title="Withdrawn later")
    for i in range(12):
        vote_cast_by_id(idea_id=voting.pk, member=make_user(f"m{i}"))
        vote_cast_by_id(idea_id=gone.pk, member=make_user(f"n{i}"))
    idea_transition(idea=gone, to_status=IdeaStatus.WITHDRAWN, reason="Changed my mind.")
    assert _idea_row(voting.pk) == 1  # the first vote folded, the next eleven on the rows
    assert vote_tallies_fold() == 2
    assert _idea_row(voting.pk) == 12 == Idea.objects.get(pk=voting.pk).vote_count
    assert _idea_row(gone.pk) == 12 == Idea.objects.get(pk=gone.pk).vote_count
    assert set(VoteTally.objects.filter(idea=voting).values_list("votes", flat=True)) == {0}
    assert not VoteTally.objects.filter(idea=gone).exists()  # no vote can reach it any more
    assert vote_tallies_fold() == 0
    # The room is untouched: the next vote still takes the one statement.
    assert vote_cast_by_id(idea_id=voting.pk, member=make_user("x")).vote_count == 13
    assert _idea_row(voting.pk) == 12


def test_a_vote_waits_for_a_move_out_of_voting_and_is_refused_after_it(make_user, settings):
    """The creator withdraws the idea while a vote arrives: the vote's one statement waits for
    the move (FOR KEY SHARE against its FOR UPDATE) and then finds the idea gone from voting,
    so nothing is counted on a withdrawn idea."""
    settings.VOTE_THRESHOLD = 1000
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    vote_cast_by_id(idea_id=idea.pk, member=make_user("m0"))  # the room is spread
    moved, done = threading.Event(), threading.Event()

    def withdraw():
        try:
            with transaction.atomic():
                idea_transition(
                    idea=Idea.objects.get(pk=idea.pk), to_status=IdeaStatus.WITHDRAWN, actor=carla
                )
                moved.set()
                time.sleep(0.5)  # the vote below arrives while this move is not committed
        finally:
            done.set()
            connection.close()

    thread = threading.Thread(target=withdraw)
    thread.start()
    assert moved.wait(10)
    with pytest.raises((NotAllowed, Conflict)):
        vote_cast_by_id(idea_id=idea.pk, member=make_user("late"))
    assert done.is_set()  # the vote was answered only after the move committed
    thread.join()
    assert Vote.objects.filter(idea=idea).count() == 1 == Idea.objects.get(pk=idea.pk).vote_count


def test_the_locked_path_takes_what_the_one_statement_declines(make_user, settings, monkeypatch):
    """vote_cast (the page's path) tries the one statement first and, when the member's row
    has no room, takes the locked path, which counts the vote and spreads the room again."""
    settings.VOTE_THRESHOLD = 1000
    idea = idea_in_voting(make_user("carla"))
    vote_cast(idea=Idea.objects.get(pk=idea.pk), member=make_user("m0"))
    alice = make_user("alice")
    VoteTally.objects.filter(idea=idea, shard=alice.pk % TALLY_SHARDS).update(room=0)
    settles = []
    real = ballot._tally_settle
    monkeypatch.setattr(ballot, "_tally_settle", lambda *a: settles.append(a) or real(*a))
    result = vote_cast(idea=Idea.objects.get(pk=idea.pk), member=alice)
    assert (result.changed, result.vote_count, len(settles)) == (True, 2, 1)
    assert VoteTally.objects.get(idea=idea, shard=alice.pk % TALLY_SHARDS).room > 0
