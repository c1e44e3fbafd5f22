"""The ballot: every vote and every withdrawal is written here, and only here (SPEC section 2).

Who may vote is ``voting.rules.may_vote`` (and ``may_withdraw_vote``), asked of the idea as
``voting.rules.VoteTarget``: an ``Idea`` or the narrow ``voting.selectors.BallotTarget``. How
``Idea.vote_count`` stays exact at every commit: it is the idea's folded count plus its counter
rows (``ideas.VoteTally``); a vote is inserted (the unique constraint refuses a second one) and
counted on a counter row in the same transaction, never on the wide idea row. Two ways in:

* **the one statement** (``_one_statement_sql``) takes an ordinary vote: the rule in
  SQL, then the vote only through its member's counter row, locked while it has *room*. The
  rows' room adds up to less than the votes the idea still needs, so these votes never reach
  the threshold, and votes on different rows never wait for each other;
* **the locked path** (``_cast_locked``, ``vote_withdraw``) takes the rest — the idea's first
  vote, a row out of room, the vote that may reach the threshold, a withdrawal: the idea FOR
  UPDATE (``_lock_open``, which also refuses a vote racing the move to review or the end of the
  window), the vote, then ``_tally_settle`` folds the rows into ``Idea.votes_folded`` exactly
  and spreads the room again. The vote that brings the count to the threshold sees every vote
  there is and moves the idea in the same transaction.

docs/voting-funding.md has the measurements behind this design.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.errors import Conflict
from core.rules import check
from ideas.models import Idea, IdeaStatus, VoteTally

from .. import rules
from ..clusters import network_of
from ..models import Vote, VoteAction, VoteEvent
from ..selectors import ballot_target
from .holds import threshold_reached
from .statement import TALLY_SHARDS, VoteResult, _cast_in_one_statement

__all__ = ["network_of"]


def _client(network: str, user_agent: str, device: str) -> dict:
    return {"network": network, "user_agent": user_agent, "device": device}


def vote_cast_by_id(
    *, idea_id: int, member: User, network: str = "", user_agent: str = "", device: str = "",
    tried: bool = False,
) -> VoteResult | None:  # fmt: skip
    """The vote endpoint's entry: vote for the idea with this id (None: no such idea, or it
    is hidden). An ordinary vote is the one statement alone (unless ``tried``: the caller ran
    it already, ``vote_cast_by_token``); whatever it declines reads the idea
    (``ballot_target``), asks the rules, which explain a refusal, and takes the locked path.
    ``network`` and ``device`` are keyed hashes (``voting.clusters``)."""
    now, client = timezone.now(), _client(network, user_agent, device)
    if member.is_authenticated and not tried:
        result = _cast_in_one_statement(idea_id, member.pk, client, now)
        if result is not None:
            return result
    target = ballot_target(idea_id=idea_id)
    if target is None or target.hidden_at is not None:
        return None
    check(rules.may_vote(idea=target, member=member, now=now))
    return _cast_locked(idea_id, member, client, now)


def vote_cast_by_token(
    *, idea_id: int, token_hash: str, network: str = "", user_agent: str = "", device: str = ""
) -> VoteResult | None:
    """An ordinary vote by API token, the member found inside the one statement (the
    endpoint has not looked the token up). None when the statement declined — an unknown or
    expired token, a member who may not vote, a refused vote, a counter row out of room —
    having written nothing: the caller then authenticates the token as usual and calls
    ``vote_cast_by_id(…, tried=True)``, whose rules explain the refusal."""
    client = _client(network, user_agent, device)
    return _cast_in_one_statement(idea_id, None, client, timezone.now(), token_hash=token_hash)


def vote_cast(
    *, idea, member: User, network: str = "", user_agent: str = "", device: str = ""
) -> VoteResult:
    """Vote for ``idea`` (a ``voting.rules.VoteTarget`` with a ``pk``: an ``Idea`` or a
    ``BallotTarget``), as the caller saw it: one vote per member (a second call changes
    nothing). The vote that brings the count to the idea's threshold moves it to review in the
    same transaction (exactly once: later votes find it no longer in voting) and notifies the
    reviewers — unless the crossing rests on flagged votes (``holds.threshold_reached``)."""
    now, client = timezone.now(), _client(network, user_agent, device)
    check(rules.may_vote(idea=idea, member=member, now=now))
    result = _cast_in_one_statement(idea.pk, member.pk, client, now)
    return result or _cast_locked(idea.pk, member, client, now)


def vote_withdraw(*, idea, member: User, network: str = "", user_agent: str = "") -> VoteResult:
    """Take back one's vote while the idea is in voting (withdrawing twice changes nothing; a
    voided vote stays, so its voter cannot vote again)."""
    now = timezone.now()
    check(rules.may_withdraw_vote(idea=idea, member=member, now=now))
    with transaction.atomic():
        folded, threshold = _lock_open(idea.pk, now)
        mine = Vote.objects.filter(idea_id=idea.pk, member_id=member.pk, voided__isnull=True)
        counted = mine.values_list("counted", flat=True).first()  # under the idea's lock
        if counted is None or not mine.delete()[0]:
            return _unchanged(idea.pk, folded, voted=False, threshold=threshold)
        _log(idea.pk, member, VoteAction.WITHDRAW, _client(network, user_agent, ""), now)
        count = _tally_settle(idea.pk, folded, -1 if counted else 0, threshold)
    return VoteResult(idea.pk, False, True, count, threshold, IdeaStatus.VOTING)


def _cast_locked(idea_id: int, member: User, client: dict, now) -> VoteResult:
    """Whatever the one statement declined and the rules allow (the idea's first vote, a
    counter row out of room, the vote that may reach the threshold): the idea locked, the vote,
    the rows folded and their room spread again (``_tally_settle``). A vote from an account
    too young to count is recorded uncounted (``rules.vote_counts_from``)."""
    counts_from = rules.vote_counts_from(member=member, now=now)
    with transaction.atomic():
        folded, threshold = _lock_open(idea_id, now)
        try:
            with transaction.atomic():
                Vote.objects.create(
                    idea_id=idea_id, member_id=member.pk, created_at=now,
                    counted=counts_from is None, counts_from=counts_from,
                    network=client["network"][:50], device=client["device"][:32],
                )  # fmt: skip
        except IntegrityError:
            return _unchanged(idea_id, folded, voted=True, threshold=threshold, member=member)
        _log(idea_id, member, VoteAction.CAST, client, now)
        count = _tally_settle(idea_id, folded, +1 if counts_from is None else 0, threshold)
        status = IdeaStatus.VOTING
        if count >= threshold and threshold_reached(idea_id, count, threshold):
            status = IdeaStatus.REVIEW  # we hold the lock: this vote is the one
    return VoteResult(
        idea_id, True, True, count, threshold, status, counts_from is None, counts_from
    )


def _lock_open(idea_id: int, now) -> tuple[int, int]:
    """Lock the idea FOR UPDATE if it is still open for votes: its folded count and its
    threshold, read under the lock.

    FOR UPDATE is the lock the one statement's FOR KEY SHARE yields to: it waits for the votes
    in flight and holds new ones until this transaction ends, so the counter rows summed after
    it are every vote there is. Raises Conflict when the idea left voting, was hidden or its
    window ended since it was read: the race with the threshold and the window.
    """
    open_now = Q(voting_deadline__isnull=True) | Q(voting_deadline__gt=now)
    row = (
        Idea.objects.select_for_update(of=("self",))
        .filter(open_now, pk=idea_id, status=IdeaStatus.VOTING, hidden_at__isnull=True)
        .values_list("votes_folded", "category__vote_threshold")
        .first()
    )
    if row is None:
        raise Conflict(gettext("Voting on this idea has just closed."), code="not_in_voting")
    return row[0], row[1] or settings.VOTE_THRESHOLD


def _tallied(idea_id: int) -> int:
    return VoteTally.objects.filter(idea_id=idea_id).aggregate(n=Sum("votes"))["n"] or 0


def _fold(idea_id: int, folded: int, delta: int = 0) -> int:
    """Under the idea's lock: its counter rows' votes and ``delta`` into ``votes_folded``;
    the exact count. The caller resets or drops the rows in the same transaction."""
    count = folded + _tallied(idea_id) + delta
    Idea.objects.filter(pk=idea_id).update(votes_folded=count)
    return count


def _tally_settle(idea_id: int, folded: int, delta: int, threshold: int) -> int:
    """Under the idea's lock (``_lock_open``): fold its counter rows and ``delta`` into
    ``votes_folded``, spread the votes left below the threshold over the rows again; the
    exact count. The rows' room adds up to at most ``threshold - 1 - count``, so the votes the
    one statement takes without the idea's lock can never reach the threshold: that vote comes
    here."""
    count = _fold(idea_id, folded, delta)
    left = max(0, threshold - 1 - count)
    VoteTally.objects.bulk_create(
        [
            VoteTally(
                idea_id=idea_id,
                shard=shard,
                votes=0,
                threshold=threshold,
                room=left // TALLY_SHARDS + (shard < left % TALLY_SHARDS),
            )  # fmt: skip
            for shard in range(TALLY_SHARDS)
        ],
        update_conflicts=True,
        unique_fields=["idea", "shard"],
        update_fields=["votes", "room", "threshold"],
    )
    return count


def _unchanged(
    idea_id: int, folded: int, *, voted: bool, threshold: int, member: User | None = None
) -> VoteResult:
    """Nothing to write (a second vote, a withdrawal without a vote): the count as it stands,
    read under the idea's lock, and whether the member's vote counts."""
    count = folded + _tallied(idea_id)
    counted, counts_from = True, None
    if member is not None:
        mine = Vote.objects.filter(idea_id=idea_id, member_id=member.pk)
        counted, counts_from = mine.values_list("counted", "counts_from").first() or (True, None)
    status = IdeaStatus.VOTING
    return VoteResult(idea_id, voted, False, count, threshold, status, counted, counts_from)


def _log(idea_id: int, member: User, action: str, client: dict, now) -> None:
    VoteEvent.objects.create(
        idea_id=idea_id,
        member_id=member.pk,
        action=action,
        network=client["network"][:50],
        user_agent=(client["user_agent"] or "")[:200],
        created_at=now,
    )


def vote_tallies_fold() -> int:
    """The beat job: fold the counter rows' votes into ``Idea.votes_folded`` (what lists
    order by and hot_score reads), one idea per transaction under its lock; the rows of ideas
    no longer in voting go. The exact count never changes. Returns the ideas folded."""
    folded = 0
    ideas = VoteTally.objects.exclude(votes=0).order_by().values_list("idea_id", flat=True)
    for idea_id in set(ideas):
        with transaction.atomic():
            row = (
                Idea.objects.select_for_update().filter(pk=idea_id)
                .values_list("votes_folded", "status").first()
            )  # fmt: skip
            if row is None:
                continue
            _fold(idea_id, row[0])
            tallies = VoteTally.objects.filter(idea_id=idea_id)
            if row[1] == IdeaStatus.VOTING:
                tallies.update(votes=0)
            else:
                tallies.delete()
        folded += 1
    # Rows with nothing to fold of ideas that left voting: no vote can reach them any more.
    VoteTally.objects.filter(votes=0).exclude(idea__status=IdeaStatus.VOTING).delete()
    return folded
