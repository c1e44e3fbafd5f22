"""Votes, the threshold and the voting window (SPEC section 2).

Who may vote is ``voting.rules.may_vote`` (and ``may_withdraw_vote``); the services check it
before writing. How ``Idea.vote_count`` stays exact at every commit: it is the idea's folded
count plus its counter rows (``ideas.VoteTally``), and each vote's own transaction inserts the
vote (the unique constraint refuses a second one) and counts it on a counter row, never on the
wide idea row. Two paths write a vote:

* on PostgreSQL, ONE statement (``_cast_in_one_statement``) counts an ordinary vote on the
  member's counter row while that row has *room*: the rows' room adds up to less than the votes
  the idea still needs, so these votes never reach the threshold, and votes on different rows
  never wait for each other;
* everything else (SQLite, a row out of room, the vote that reaches the threshold, a withdrawal)
  takes the locked path: the idea FOR UPDATE (``_lock_open``, which also refuses a vote racing
  the move to review or the end of the window), the vote, then ``_tally_settle`` folds the rows
  into ``Idea.votes_folded`` exactly and spreads the room again. The vote that brings the count
  to the threshold sees every vote there is and moves the idea in the same transaction.

docs/voting-funding.md has the measurements behind this design.
"""

import functools
import ipaddress
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from accounts.permissions import email_verification_required
from accounts.roles import REVIEWERS
from accounts.tokens import key_hash, token_member_sql
from core.errors import Conflict
from core.rules import check
from core.text import sentence
from ideas.models import Category, Idea, IdeaStatus, VoteTally, exact_vote_count_sql
from ideas.transitions import idea_transition
from notifications.services import notify

from . import rules
from .models import Vote, VoteAction, VoteEvent
from .selectors import idea_for_vote


@dataclass(frozen=True)
class VoteResult:
    idea_id: int
    voted: bool  # does the member have a vote on the idea now
    changed: bool  # did this call add or remove a vote
    vote_count: int
    vote_threshold: int
    status: str


def network_of(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address: enough to see a ring, not a person."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def reviewers() -> list[User]:
    return list(
        User.objects.filter(Q(groups__name=REVIEWERS) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("id")
    )


TALLY_SHARDS = 16  # counter rows per idea (ideas.VoteTally): votes land on their member's row


def _lock_open(idea: Idea, now) -> int:
    """Lock the idea FOR UPDATE if it is still open for votes; its folded count.

    FOR UPDATE is the lock the one statement's FOR KEY SHARE yields to: it waits for the votes
    in flight and holds new ones until this transaction ends, so the counter rows summed after
    it are every vote there is. Raises Conflict when the idea left voting or its window ended
    since it was read: the race with the threshold and the window.
    """
    open_now = Q(voting_deadline__isnull=True) | Q(voting_deadline__gt=now)
    folded = (
        Idea.objects.select_for_update()
        .filter(open_now, pk=idea.pk, status=IdeaStatus.VOTING)
        .values_list("votes_folded", flat=True)
        .first()
    )
    if folded is None:
        raise Conflict(gettext("Voting on this idea has just closed."), code="not_in_voting")
    return folded


def _tallied(idea_id: int) -> int:
    return VoteTally.objects.filter(idea_id=idea_id).aggregate(n=Sum("votes"))["n"] or 0


def _fold(idea_id: int, folded: int, delta: int = 0) -> int:
    """Under the idea's lock: its counter rows' votes and ``delta`` into ``votes_folded``;
    the exact count. The caller resets or drops the rows in the same transaction."""
    count = folded + _tallied(idea_id) + delta
    Idea.objects.filter(pk=idea_id).update(votes_folded=count)
    return count


def _tally_settle(idea: Idea, folded: int, delta: int, threshold: int) -> int:
    """Under the idea's lock (``_lock_open``): fold its counter rows and ``delta`` into
    ``votes_folded``, spread the votes left below the threshold over the rows again; the
    exact count.

    The rows' room adds up to at most ``threshold - 1 - count``, so the votes the one statement
    takes without the idea's lock can never reach the threshold: that vote comes here. Only
    PostgreSQL has the one statement, so only there are the rows kept.
    """
    count = _fold(idea.pk, folded, delta)
    if connection.vendor == "postgresql":
        left = max(0, threshold - 1 - count)
        VoteTally.objects.bulk_create(
            [
                VoteTally(
                    idea_id=idea.pk,
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


def _unchanged(idea: Idea, folded: int, *, voted: bool, threshold: int) -> VoteResult:
    """Nothing to write (a second vote, a withdrawal without a vote): the count as it stands,
    read under the idea's lock."""
    idea.vote_count = folded + _tallied(idea.pk)
    return VoteResult(idea.pk, voted, False, idea.vote_count, threshold, idea.status)


def _log(*, idea: Idea, member: User, action: str, network: str, user_agent: str, now) -> None:
    VoteEvent.objects.create(
        idea_id=idea.pk,
        member_id=member.pk,
        action=action,
        network=network[:50],
        user_agent=(user_agent or "")[:200],
        created_at=now,
    )


def vote_cast_by_id(
    *, idea_id: int, member: User, network: str = "", user_agent: str = ""
) -> VoteResult | None:
    """The vote endpoint's entry: vote for the idea with this id (None: no such idea, or it
    is hidden).

    On PostgreSQL an ordinary vote is ONE statement that also reads the idea
    (``_cast_in_one_statement``): no idea row comes to Python at all. Whatever that statement
    declines (a vote ``voting.rules.may_vote`` would refuse, the vote that may reach the
    threshold) reads the idea, asks the rules and takes the locked path.
    """
    if connection.vendor == "postgresql" and rules.member_may_vote(member):
        result = _cast_in_one_statement(idea_id, member, network, user_agent, timezone.now())
        if result is not None:
            return result
    idea = idea_for_vote(idea_id=idea_id)
    if idea is None:
        return None
    now = timezone.now()
    check(rules.may_vote(idea=idea, member=member, now=now))
    return _cast_locked(idea, member, network, user_agent, now)


def vote_cast(*, idea: Idea, member: User, network: str = "", user_agent: str = "") -> VoteResult:
    """Vote for ``idea``: one vote per member (a second call changes nothing).

    The vote that brings the count to the idea's threshold moves it to review in the same
    transaction (exactly once: later votes find it no longer in voting) and notifies reviewers.
    """
    now = timezone.now()
    check(rules.may_vote(idea=idea, member=member, now=now))
    if connection.vendor == "postgresql":
        fast = _cast_in_one_statement(idea.pk, member, network, user_agent, now)
        if fast is not None:
            idea.vote_count = fast.vote_count
            return fast
    return _cast_locked(idea, member, network, user_agent, now)


def _cast_locked(idea: Idea, member: User, network: str, user_agent: str, now) -> VoteResult:
    """The portable path, and on PostgreSQL whatever the one statement declined (the idea's
    first vote, a counter row out of room, the vote that may reach the threshold): the idea
    locked, the vote, the rows folded and their room spread again (``_tally_settle``)."""
    threshold = idea.vote_threshold
    with transaction.atomic():
        folded = _lock_open(idea, now)
        try:
            with transaction.atomic():
                Vote.objects.create(idea_id=idea.pk, member_id=member.pk, created_at=now)
        except IntegrityError:
            return _unchanged(idea, folded, voted=True, threshold=threshold)
        _log(
            idea=idea, member=member, action=VoteAction.CAST, network=network,
            user_agent=user_agent, now=now,
        )  # fmt: skip
        count = _tally_settle(idea, folded, +1, threshold)
        status = IdeaStatus.VOTING
        if count >= threshold:
            # We hold the idea's lock and it is in voting: this vote is the one.
            idea.status = IdeaStatus.VOTING
            idea_transition(
                idea=idea,
                to_status=IdeaStatus.REVIEW,
                actor=None,
                reason=gettext("Reached the vote threshold (%(count)s of %(threshold)s votes).")
                % {"count": count, "threshold": threshold},
            )
            _notify_threshold(idea, count)
            status = IdeaStatus.REVIEW
    idea.vote_count = count
    return VoteResult(idea.pk, True, True, count, threshold, status)


class _Declined(Exception):
    """The one statement declined after inserting: the member's counter row had no room (or
    the idea just closed). Its 1 / 0 rolled everything back."""


def vote_cast_by_token(
    *, idea_id: int, token: str, network: str = "", user_agent: str = ""
) -> VoteResult | None:
    """The vote endpoint's entry for an API token on PostgreSQL: the member is found by the
    token inside the one statement (active, e-mail verified when that is mandatory), so a
    token vote reads nothing before it, as the bare INSERT it is measured against.

    None when the statement did not take the vote for any reason (an unknown token, a member
    who may not vote, a vote the rules would refuse, the threshold): the caller authenticates
    the request as any other and takes ``vote_cast_by_id``, which explains the refusal.
    """
    if connection.vendor != "postgresql":
        return None
    return _cast_in_one_statement(idea_id, None, network, user_agent, timezone.now(), token=token)


def _cast_in_one_statement(
    idea_id: int, member: User | None, network: str, user_agent: str, now, *, token: str = ""
) -> VoteResult | None:
    """The hot path on PostgreSQL: reading the idea, the vote, its record and the counter in
    ONE statement that is its own transaction, so no lock is held across a round trip to
    Python, and no idea row is built in Python.

    The count goes to one of the idea's counter rows (``ideas.VoteTally``, the member's id
    modulo TALLY_SHARDS), never to the idea's wide row: votes by members on different rows
    neither wait for each other's WAL flush nor rewrite the idea. The idea is read FOR KEY
    SHARE, which votes share with each other and with the foreign keys' own checks; a move out
    of voting (``idea_transition``) and the locked path (``_lock_open``) take FOR UPDATE, so
    they wait for the votes in flight and the votes after them see the new state.

    It takes only an ordinary vote and declines (None: the caller takes vote_cast's locked
    path, which asks voting.rules and explains any refusal) anything else:

    * the idea must be found, not hidden, not the member's own, in voting and inside its
      window (the idea's side of ``rules.may_vote``; the member's side is asked before);
    * the member's counter row must have room, spread for the idea's current threshold
      (``_tally_settle``): the rooms add up to less than the votes still needed, so this
      statement never takes the vote that reaches the threshold. If the vote went in but the
      row had no room, the final SELECT divides by zero, which aborts the whole statement:
      nothing is written. So a vote is never stored uncounted. (The divisor is u's row count,
      never a literal 0: the planner folds a constant ``1 / 0`` and would fail every
      statement at plan time.)

    A second vote by the same member inserts nothing and answers "already voted". The count
    it answers is the one the statement saw, with its own vote.

    Every vote waits for the WAL flush by default (VOTE_SYNCHRONOUS_COMMIT, on). Turned off,
    ``synchronous_commit`` is off for this statement only: a PostgreSQL crash may lose the last
    fraction of a second of votes, always together with their counts: the count stays exact.
    """
    sync = getattr(settings, "VOTE_SYNCHRONOUS_COMMIT", True)
    sql = _one_statement_sql(by_token=member is None, sync=bool(sync))
    params = {
        "idea": idea_id, "now": now, "voting": IdeaStatus.VOTING,
        "default_threshold": settings.VOTE_THRESHOLD, "cast": VoteAction.CAST,
        "network": network[:50], "user_agent": (user_agent or "")[:200],
    }  # fmt: skip
    if member is None:
        params["token"] = key_hash(token)
        params["unverified_ok"] = not email_verification_required()
    else:
        params["member"] = member.pk

    def run():
        # A server-side prepared statement on the connection's own psycopg cursor: planning
        # this CTE costs PostgreSQL more than running it (0.83 → 0.32 ms a vote, pgbench), and
        # Django's client-side binding cursors cannot prepare (settings: DB_PREPARED_STATEMENTS).
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        raw = connection.connection
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            try:
                cursor.execute(sql, params, prepare=True)
            except psycopg.errors.DivisionByZero:  # the statement's 1 / 0: see the docstring
                raise _Declined from None
            return cursor.fetchone()

    try:
        if connection.in_atomic_block:  # inside someone's transaction: a savepoint contains it
            with transaction.atomic():
                row = run()
        else:
            row = run()  # autocommit: the statement is its own transaction
    except _Declined:
        return None
    threshold, inserted, count_seen = row[:3]
    if threshold is None:
        return None  # not an ordinary vote: vote_cast asks the rules
    if not inserted:
        return VoteResult(idea_id, True, False, count_seen, threshold, IdeaStatus.VOTING)
    return VoteResult(idea_id, True, True, count_seen + 1, threshold, IdeaStatus.VOTING)


@functools.cache
def _one_statement_sql(*, by_token: bool, sync: bool) -> str:
    """The statement of _cast_in_one_statement, for a member already known (a session) or
    found by an API token (``m``: no row for an unknown token, an inactive member, or an
    unverified one when verification is mandatory). Parameters are cast, so the prepared
    statement keeps one signature whatever the ids' sizes; unless VOTE_SYNCHRONOUS_COMMIT, it
    turns ``synchronous_commit`` off for its own transaction (``set_config(…, true)``)."""
    votes, events = Vote._meta.db_table, VoteEvent._meta.db_table
    ideas, categories = Idea._meta.db_table, Category._meta.db_table
    tallies = VoteTally._meta.db_table
    member = (
        token_member_sql(token="%(token)s::text", now="%(now)s::timestamptz")
        + " AND u.is_active AND (u.email_verified OR %(unverified_ok)s::boolean)"
        if by_token
        else "SELECT %(member)s::bigint AS id"
    )
    sync_commit = "on" if sync else "off"
    open_now = (
        "status = %(voting)s::text AND (voting_deadline IS NULL "
        "OR voting_deadline > %(now)s::timestamptz)"
    )
    return f"""
        WITH s AS (
            SELECT set_config('synchronous_commit', '{sync_commit}', true)
            WHERE '{sync_commit}' = 'off'
        ), m AS (
            {member}
        ), i AS (
            SELECT COALESCE(NULLIF(c.vote_threshold, 0), %(default_threshold)s::int) AS threshold,
                   m.id AS member
            FROM {ideas} i LEFT JOIN {categories} c ON c.id = i.category_id, m
            WHERE i.id = %(idea)s::bigint AND i.hidden_at IS NULL
              AND i.creator_id <> m.id AND i.{open_now}
            FOR KEY SHARE OF i
        ), v AS (
            INSERT INTO {votes} (idea_id, member_id, created_at)
            SELECT %(idea)s::bigint, member, %(now)s::timestamptz FROM i
            ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING member_id
        ), u AS (
            UPDATE {tallies} SET votes = votes + 1, room = room - 1
            WHERE idea_id = %(idea)s::bigint AND shard = (SELECT mod(member, {TALLY_SHARDS}) FROM i)
              AND room > 0 AND threshold = (SELECT threshold FROM i) AND EXISTS (SELECT 1 FROM v)
            RETURNING 1
        ), e AS (
            INSERT INTO {events} (idea_id, member_id, action, network, user_agent, created_at)
            SELECT %(idea)s::bigint, member, %(cast)s::text, %(network)s::text,
                   %(user_agent)s::text, %(now)s::timestamptz FROM i, u
        )
        SELECT (SELECT threshold FROM i), (SELECT count(*) FROM v),
               (SELECT {exact_vote_count_sql(ideas)} FROM {ideas} WHERE id = %(idea)s::bigint),
               CASE WHEN EXISTS (SELECT 1 FROM v) AND NOT EXISTS (SELECT 1 FROM u)
                    THEN 1 / (SELECT count(*) FROM u) END,
               (SELECT count(*) FROM s)
    """  # noqa: S608


def vote_withdraw(
    *, idea: Idea, member: User, network: str = "", user_agent: str = ""
) -> VoteResult:
    """Take back one's vote while the idea is in voting (withdrawing twice changes nothing)."""
    now = timezone.now()
    check(rules.may_withdraw_vote(idea=idea, member=member, now=now))
    threshold = idea.vote_threshold
    with transaction.atomic():
        folded = _lock_open(idea, now)
        deleted, _ = Vote.objects.filter(idea_id=idea.pk, member_id=member.pk).delete()
        if not deleted:
            return _unchanged(idea, folded, voted=False, threshold=threshold)
        _log(
            idea=idea, member=member, action=VoteAction.WITHDRAW, network=network,
            user_agent=user_agent, now=now,
        )  # fmt: skip
        count = _tally_settle(idea, folded, -1, threshold)
    idea.vote_count = count
    return VoteResult(idea.pk, False, True, count, threshold, IdeaStatus.VOTING)


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


def _notify_threshold(idea: Idea, count: int) -> None:
    url = idea.get_absolute_url()
    notify(
        recipients=reviewers(),
        kind="idea_review_requested",
        message=sentence(
            gettext_lazy("“%(title)s” reached %(count)s votes and waits for your review."),
            title=idea.title,
            count=count,
        ),
        url="/review/",
    )
    notify(
        recipients=[idea.creator],
        kind="idea_threshold_reached",
        message=sentence(
            gettext_lazy("Your idea “%(title)s” reached %(count)s votes and goes to review."),
            title=idea.title,
            count=count,
        ),
        url=url,
    )


def voting_windows_close(*, now=None) -> dict[str, int]:
    """The beat job's safety net: ideas past their window expire (or go to review if they made
    the threshold, e.g. after it was lowered). Safe to run twice and alongside votes."""
    now = now or timezone.now()
    moved = {"expired": 0, "review": 0}
    candidates = Idea.objects.select_related("category", "creator").filter(status=IdeaStatus.VOTING)
    default = settings.VOTE_THRESHOLD
    for idea in candidates.filter(
        Q(voting_deadline__lte=now) | Q(vote_count__gte=min(default, _lowest_threshold()))
    ):
        reached = idea.vote_count >= idea.vote_threshold
        past = idea.voting_deadline is not None and idea.voting_deadline <= now
        if not reached and not past:
            continue
        try:
            with transaction.atomic():
                _window_close_one(idea, reached=reached)
        except Conflict:
            continue  # a vote or another run moved it first
        moved["review" if reached else "expired"] += 1
    return moved


def _window_close_one(idea: Idea, *, reached: bool) -> None:
    if reached:
        idea_transition(
            idea=idea,
            to_status=IdeaStatus.REVIEW,
            reason=gettext("Reached the vote threshold (%(vote_count)s votes).")
            % {"vote_count": idea.vote_count},
        )
        _notify_threshold(idea, idea.vote_count)
        return
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.EXPIRED,
        reason=gettext("The voting window ended with %(vote_count)s of %(vote_threshold)s votes.")
        % {"vote_count": idea.vote_count, "vote_threshold": idea.vote_threshold},
    )
    notify(
        recipients=[idea.creator],
        kind="idea_expired",
        message=sentence(
            gettext_lazy(
                "The voting window of “%(title)s” ended with %(vote_count)s of "
                "%(vote_threshold)s votes."
            ),
            title=idea.title,
            vote_count=idea.vote_count,
            vote_threshold=idea.vote_threshold,
        ),
        url=idea.get_absolute_url(),
    )


def _lowest_threshold() -> int:
    lowest = (
        Category.objects.filter(vote_threshold__isnull=False)
        .order_by("vote_threshold")
        .values_list("vote_threshold", flat=True)
        .first()
    )
    return lowest or settings.VOTE_THRESHOLD
