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

import ipaddress
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.errors import Conflict
from core.rules import check
from ideas.models import Idea, IdeaStatus, VoteTally
from ideas.transitions import idea_transition

from .. import rules
from ..models import Vote, VoteAction, VoteEvent
from ..selectors import ballot_target
from .notices import notify_threshold
from .statement import TALLY_SHARDS, VoteResult, _cast_in_one_statement

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


def network_of(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: enough to see a ring, not a person.
    A plain IPv4 address is read by a pattern (``ipaddress`` costs more than the vote's SQL)."""
    if not address:
        return ""
    plain = _IPV4.fullmatch(address.strip())
    if plain:
        return f"{plain[1]}.{plain[2]}.{plain[3]}.0/24"
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def vote_cast_by_id(
    *, idea_id: int, member: User, network: str = "", user_agent: str = "", tried: bool = False
) -> VoteResult | None:
    """The vote endpoint's entry: vote for the idea with this id (None: no such idea, or it
    is hidden). An ordinary vote is the one statement alone (unless ``tried``: the caller ran
    it already, ``vote_cast_by_token``); whatever it declines reads the idea
    (``ballot_target``), asks the rules, which explain a refusal, and takes the locked path."""
    now = timezone.now()
    if member.is_authenticated and not tried:
        result = _cast_in_one_statement(idea_id, member.pk, network, user_agent, now)
        if result is not None:
            return result
    target = ballot_target(idea_id=idea_id)
    if target is None or target.hidden_at is not None:
        return None
    check(rules.may_vote(idea=target, member=member, now=now))
    return _cast_locked(idea_id, member, network, user_agent, now)


def vote_cast_by_token(
    *, idea_id: int, token_hash: str, network: str = "", user_agent: str = ""
) -> VoteResult | None:
    """An ordinary vote by API token, the member found inside the one statement (the
    endpoint has not looked the token up). None when the statement declined — an unknown or
    expired token, a member who may not vote, a refused vote, a counter row out of room —
    having written nothing: the caller then authenticates the token as usual and calls
    ``vote_cast_by_id(…, tried=True)``, whose rules explain the refusal."""
    return _cast_in_one_statement(
        idea_id, None, network, user_agent, timezone.now(), token_hash=token_hash
    )


def vote_cast(*, idea, member: User, network: str = "", user_agent: str = "") -> VoteResult:
    """Vote for ``idea`` (a ``voting.rules.VoteTarget`` with a ``pk``: an ``Idea`` or a
    ``BallotTarget``), as the caller saw it: one vote per member (a second call changes
    nothing). The vote that brings the count to the idea's threshold moves it to review in the
    same transaction (exactly once: later votes find it no longer in voting) and notifies the
    reviewers."""
    now = timezone.now()
    check(rules.may_vote(idea=idea, member=member, now=now))
    result = _cast_in_one_statement(idea.pk, member.pk, network, user_agent, now)
    return result or _cast_locked(idea.pk, member, network, user_agent, now)


def vote_withdraw(*, idea, member: User, network: str = "", user_agent: str = "") -> VoteResult:
    """Take back one's vote while the idea is in voting (withdrawing twice changes nothing)."""
    now = timezone.now()
    check(rules.may_withdraw_vote(idea=idea, member=member, now=now))
    with transaction.atomic():
        folded, threshold = _lock_open(idea.pk, now)
        deleted, _ = Vote.objects.filter(idea_id=idea.pk, member_id=member.pk).delete()
        if not deleted:
            return _unchanged(idea.pk, folded, voted=False, threshold=threshold)
        _log(idea.pk, member, VoteAction.WITHDRAW, network, user_agent, now)
        count = _tally_settle(idea.pk, folded, -1, threshold)
    return VoteResult(idea.pk, False, True, count, threshold, IdeaStatus.VOTING)


def _cast_locked(idea_id: int, member: User, network: str, user_agent: str, now) -> VoteResult:
    """Whatever the one statement declined and the rules allow (the idea's first vote, a
    counter row out of room, the vote that may reach the threshold): the idea locked, the vote,
    the rows folded and their room spread again (``_tally_settle``)."""
    with transaction.atomic():
        folded, threshold = _lock_open(idea_id, now)
        try:
            with transaction.atomic():
                Vote.objects.create(idea_id=idea_id, member_id=member.pk, created_at=now)
        except IntegrityError:
            return _unchanged(idea_id, folded, voted=True, threshold=threshold)
        _log(idea_id, member, VoteAction.CAST, network, user_agent, now)
        count = _tally_settle(idea_id, folded, +1, threshold)
        status = IdeaStatus.VOTING
        if count >= threshold:
            _reach_threshold(idea_id, count, threshold)  # we hold the lock: this vote is the one
            status = IdeaStatus.REVIEW
    return VoteResult(idea_id, True, True, count, threshold, status)


def _reach_threshold(idea_id: int, count: int, threshold: int) -> None:
    """Under the idea's lock, the vote that reached the threshold: the idea to review, the
    reviewers and the creator told. The one place the ballot reads a whole ``Idea``."""
    idea = Idea.objects.select_related("creator").get(pk=idea_id)
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.REVIEW,
        actor=None,
        reason=gettext("Reached the vote threshold (%(count)s of %(threshold)s votes).")
        % {"count": count, "threshold": threshold},
    )
    notify_threshold(idea, count)


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


def _unchanged(idea_id: int, folded: int, *, voted: bool, threshold: int) -> VoteResult:
    """Nothing to write (a second vote, a withdrawal without a vote): the count as it stands,
    read under the idea's lock."""
    count = folded + _tallied(idea_id)
    return VoteResult(idea_id, voted, False, count, threshold, IdeaStatus.VOTING)


def _log(idea_id: int, member: User, action: str, network: str, user_agent: str, now) -> None:
    VoteEvent.objects.create(
        idea_id=idea_id,
        member_id=member.pk,
        action=action,
        network=network[:50],
        user_agent=(user_agent or "")[:200],
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
