"""The vote rule is stated twice: in Python (``voting.rules.may_vote``) and in SQL (the ballot's
one statement, which takes an ordinary vote without reading the idea into Python). They must
agree: on every combination of the idea's status, window, hidden flag and creator and of the
member's e-mail and account, the statement takes the vote exactly when the rule says None."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from ideas.models import Idea, IdeaStatus, VoteTally
from tests.factories import make_idea
from voting.models import Vote, VoteEvent
from voting.rules import may_vote, vote_counts_from
from voting.selectors import ballot_target
from voting.services import TALLY_SHARDS, ballot

pytestmark = pytest.mark.django_db

STATUSES = [IdeaStatus.VOTING, IdeaStatus.REVIEW, IdeaStatus.EXPIRED, IdeaStatus.DRAFT]
WINDOWS = {"no deadline": None, "open": timedelta(days=1), "ended": timedelta(minutes=-1)}
MEMBERS = {  # name: (e-mail verified, active)
    "verified": (True, True),
    "unverified": (False, True),
    "inactive": (True, False),
    "unverified-inactive": (False, False),
}


def _members(make_user) -> dict:
    return {
        name: make_user(name, verified=verified, is_active=active)
        for name, (verified, active) in MEMBERS.items()
    }


def _idea(creator, status, window, hidden, now) -> Idea:
    idea = make_idea(creator=creator, title=f"{status} {window} {hidden}", publish=False)
    deadline = None if WINDOWS[window] is None else now + WINDOWS[window]
    Idea.objects.filter(pk=idea.pk).update(
        status=status, voting_deadline=deadline, hidden_at=now if hidden else None
    )
    # Room on every counter row, so only the rule can make the statement decline.
    VoteTally.objects.bulk_create(
        VoteTally(idea=idea, shard=shard, room=10, threshold=100) for shard in range(TALLY_SHARDS)
    )
    return idea


@pytest.mark.parametrize("verification", ["mandatory", "none"])
def test_the_statement_takes_a_vote_exactly_when_may_vote_allows_it(
    make_user, settings, verification
):
    settings.VOTE_THRESHOLD = 100
    settings.EMAIL_VERIFICATION = verification
    members = _members(make_user)
    now = timezone.now()
    disagreements, taken = [], 0
    combinations = itertools.product(STATUSES, WINDOWS, [False, True], members)
    for status, window, hidden, creator_name in combinations:
        idea = _idea(members[creator_name], status, window, hidden, now)
        target = ballot_target(idea_id=idea.pk)
        for name, member in members.items():
            python_allows = may_vote(idea=target, member=member, now=now) is None
            assert python_allows == (
                may_vote(idea=Idea.objects.get(pk=idea.pk), member=member, now=now) is None
            )  # an Idea and its BallotTarget are the same to the rule
            result = ballot._cast_in_one_statement(idea.pk, member.pk, {}, now)
            sql_takes = result is not None and result.changed
            stored = Vote.objects.filter(idea=idea, member=member).exists()
            assert (
                stored == sql_takes == VoteEvent.objects.filter(idea=idea, member=member).exists()
            )
            taken += sql_takes
            if python_allows != sql_takes:
                own = "own idea" if name == creator_name else "another's idea"
                disagreements.append((status, window, hidden and "hidden", own, name))
    assert disagreements == []
    # Votes were taken at all: by each member who may vote (the verified one; when
    # verification is off, the unverified one too) on each open idea of the three other
    # creators (two open windows: none, and one not yet ended).
    assert taken == (2 * 3 if verification == "mandatory" else 2 * 2 * 3)


def test_the_statement_declines_a_full_counter_row_and_writes_nothing(make_user, settings):
    """No room on the member's row: the statement's gate stays shut, nothing is stored, and
    the caller takes the locked path (no error raised, nothing rolled back)."""
    settings.VOTE_THRESHOLD = 100
    now = timezone.now()
    carla, alice = make_user("carla"), make_user("alice")
    idea = _idea(carla, IdeaStatus.VOTING, "open", False, now)
    VoteTally.objects.filter(idea=idea, shard=alice.pk % TALLY_SHARDS).update(room=0)
    assert ballot._cast_in_one_statement(idea.pk, alice.pk, {}, now) is None
    assert not Vote.objects.filter(idea=idea).exists()
    assert not VoteEvent.objects.filter(idea=idea).exists()
    assert sum(VoteTally.objects.filter(idea=idea).values_list("votes", flat=True)) == 0


def test_the_statement_and_the_rule_agree_on_when_a_vote_counts(make_user, settings):
    """``vote_counts_from`` in Python and the statement's ``counts`` in SQL: an account just
    under VOTE_MIN_ACCOUNT_AGE is recorded uncounted from the same time, one just over counts."""
    now = timezone.now()
    carla = make_user("carla")
    idea = _idea(carla, IdeaStatus.VOTING, "open", False, now)
    first = make_user("first")
    ballot.vote_cast(idea=ballot_target(idea_id=idea.pk), member=first)  # spreads the room
    age = settings.VOTE_MIN_ACCOUNT_AGE
    for name, joined in [("young", now - age + timedelta(minutes=1)), ("old", now - age)]:
        member = make_user(name, date_joined=joined)
        result = ballot._cast_in_one_statement(idea.pk, member.pk, {}, now)
        expected = vote_counts_from(member=member, now=now)
        assert (result.counts, result.counts_from) == (expected is None, expected)
        assert Vote.objects.get(idea=idea, member=member).counted == (expected is None)
