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

import functools
import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.permissions import email_verification_required
from core.db import fetch_one_prepared
from core.errors import Conflict
from core.phrases import said
from core.rules import check
from ideas.models import Category, Idea, IdeaStatus, VoteTally, exact_vote_count_sql
from ideas.transitions import idea_transition

from .. import phrases, rules
from ..models import Vote, VoteAction, VoteEvent
from ..selectors import ballot_target
from .notices import notify_threshold

TALLY_SHARDS = 16  # counter rows per idea (ideas.VoteTally): votes land on their member's row


@dataclass(frozen=True)
class VoteResult:
    idea_id: int
    voted: bool  # does the member have a vote on the idea now
    changed: bool  # did this call add or remove a vote
    vote_count: int
    vote_threshold: int
    status: str


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
    *, idea_id: int, member: User, network: str = "", user_agent: str = ""
) -> VoteResult | None:
    """The vote endpoint's entry: vote for the idea with this id (None: no such idea, or it
    is hidden). An ordinary vote is the one statement alone; whatever it declines reads the
    idea (``ballot_target``), asks the rules, which explain a refusal, and takes the locked
    path."""
    now = timezone.now()
    if member.is_authenticated:
        result = _cast_in_one_statement(idea_id, member.pk, network, user_agent, now)
        if result is not None:
            return result
    target = ballot_target(idea_id=idea_id)
    if target is None or target.hidden_at is not None:
        return None
    check(rules.may_vote(idea=target, member=member, now=now))
    return _cast_locked(idea_id, member, network, user_agent, now)


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


def _cast_in_one_statement(
    idea_id: int, member_id: int, network: str, user_agent: str, now
) -> VoteResult | None:
    """An ordinary vote in ONE statement that is its own transaction (``_one_statement_sql``):
    no lock held across a round trip to Python, no idea row built in Python. None when the
    statement declined — the rule refuses, or the member's counter row has no room for the
    idea's current threshold — having written nothing: the caller asks the rules and takes
    the locked path. A second vote inserts nothing and answers "already voted"; the count
    answered is the one the statement saw, with its own vote.

    Every vote waits for the WAL flush by default (VOTE_SYNCHRONOUS_COMMIT, on). Turned off,
    ``synchronous_commit`` is off for this statement only: a PostgreSQL crash may lose the last
    fraction of a second of votes, always together with their counts: the count stays exact.
    """
    sql = _one_statement_sql(sync=bool(getattr(settings, "VOTE_SYNCHRONOUS_COMMIT", True)))
    params = {
        "idea": idea_id, "member": member_id, "now": now, "voting": IdeaStatus.VOTING,
        "default_threshold": settings.VOTE_THRESHOLD, "cast": VoteAction.CAST,
        "unverified_ok": not email_verification_required(),
        "network": network[:50], "user_agent": (user_agent or "")[:200],
    }  # fmt: skip
    if connection.in_atomic_block:  # inside someone's transaction: a savepoint contains it
        with transaction.atomic():
            row = fetch_one_prepared(sql, params)
    else:
        row = fetch_one_prepared(sql, params)  # autocommit: the statement is its own transaction
    threshold, gate_open, counted, count_seen = row[:4]
    if threshold is None or not gate_open:
        return None
    if not counted:
        return VoteResult(idea_id, True, False, count_seen, threshold, IdeaStatus.VOTING)
    return VoteResult(idea_id, True, True, count_seen + 1, threshold, IdeaStatus.VOTING)


@functools.cache
def _one_statement_sql(*, sync: bool) -> str:
    """One vote in one statement, its own transaction (parameters cast: one prepared
    signature; unless ``sync``, ``synchronous_commit`` off for this transaction only).

    * ``i``: the idea, if the member may vote on it now — found, not hidden, in voting, inside
      its window, not the member's own — and the member may vote at all (active, e-mail
      verified unless verification is off): ``may_vote`` in SQL. Read FOR KEY SHARE, which
      votes share with each other; a move out of voting takes FOR UPDATE and waits for them.
    * ``r``: the gate. The member's counter row, locked (FOR NO KEY UPDATE), only if it still
      has room spread for the idea's current threshold. A concurrent vote on the same row is
      waited for and the room read again on the row it left.
    * ``v``: the vote, inserted only through the gate (``ON CONFLICT DO NOTHING``: a second
      vote inserts nothing); ``u``: its count on the locked row, only if ``v`` inserted; ``e``:
      its record, only if counted. So a vote is stored exactly when it is counted, and nothing
      is written when the row has no room: the caller takes the locked path.
    """
    votes, events = Vote._meta.db_table, VoteEvent._meta.db_table
    ideas, categories = Idea._meta.db_table, Category._meta.db_table
    tallies, users = VoteTally._meta.db_table, User._meta.db_table
    sync_commit = "on" if sync else "off"
    shard = f"mod(%(member)s::bigint, {TALLY_SHARDS})"
    return f"""
        WITH s AS (
            SELECT set_config('synchronous_commit', '{sync_commit}', true)
            WHERE '{sync_commit}' = 'off'
        ), i AS MATERIALIZED (
            SELECT COALESCE(NULLIF(c.vote_threshold, 0), %(default_threshold)s::int) AS threshold
            FROM {ideas} i LEFT JOIN {categories} c ON c.id = i.category_id
            WHERE i.id = %(idea)s::bigint
              AND i.hidden_at IS NULL
              AND i.status = %(voting)s::text
              AND (i.voting_deadline IS NULL OR i.voting_deadline > %(now)s::timestamptz)
              AND i.creator_id <> %(member)s::bigint
              AND EXISTS (
                  SELECT 1 FROM {users} m WHERE m.id = %(member)s::bigint AND m.is_active
                  AND (m.email_verified OR %(unverified_ok)s::boolean))
            FOR KEY SHARE OF i
        ), r AS MATERIALIZED (
            SELECT t.id FROM {tallies} t, i
            WHERE t.idea_id = %(idea)s::bigint AND t.shard = {shard}
              AND t.room > 0 AND t.threshold = i.threshold
            FOR NO KEY UPDATE OF t
        ), v AS (
            INSERT INTO {votes} (idea_id, member_id, created_at)
            SELECT %(idea)s::bigint, %(member)s::bigint, %(now)s::timestamptz FROM r
            ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING member_id
        ), u AS (
            UPDATE {tallies} SET votes = votes + 1, room = room - 1
            WHERE id = (SELECT id FROM r) AND EXISTS (SELECT 1 FROM v)
            RETURNING 1
        ), e AS (
            INSERT INTO {events} (idea_id, member_id, action, network, user_agent, created_at)
            SELECT %(idea)s::bigint, %(member)s::bigint, %(cast)s::text, %(network)s::text,
                   %(user_agent)s::text, %(now)s::timestamptz FROM u
        )
        SELECT (SELECT threshold FROM i), (SELECT count(*) FROM r), (SELECT count(*) FROM u),
               (SELECT {exact_vote_count_sql(ideas)} FROM {ideas} WHERE id = %(idea)s::bigint),
               (SELECT count(*) FROM s)
    """  # noqa: S608


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
        reason=said(phrases.THRESHOLD_REACHED, count=count, threshold=threshold),
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
