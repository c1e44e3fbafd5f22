"""Votes, the threshold and the voting window (SPEC section 2).

Who may vote is ``voting.rules.may_vote`` (and ``may_withdraw_vote``); the services check it
before writing. How ``Idea.vote_count`` stays exact: the vote's own transaction inserts the vote
(the unique constraint refuses a second one) and then, as its *last* write, bumps the counter
with a conditional ``UPDATE … SET vote_count = vote_count + 1 WHERE status = 'voting' AND
<inside the window>``. The counter is therefore exact at every commit, the vote that reaches
the threshold knows it (it reads the new count under the row lock) and moves the idea in the
same transaction, and a vote racing the move to review or the end of the window is refused (the
UPDATE matches no row, the transaction rolls back). The vote write has two versions: that
portable ORM path, and on PostgreSQL one statement for votes below the threshold
(``_cast_in_one_statement``, which also reads the idea); docs/voting-funding.md has the
measurements behind this choice.
"""

import ipaddress
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from accounts.roles import REVIEWERS
from core.errors import Conflict
from core.rules import check
from core.text import sentence
from ideas.models import Category, Idea, IdeaStatus
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


def _bump(idea: Idea, delta: int, now) -> int:
    """Move the counter by ``delta`` if the idea is still open for votes; the new count.

    Call as the last write of the vote's transaction: the UPDATE takes the idea's row lock, so
    the count read right after it is this vote's own (nobody else can change the row until
    COMMIT). Raises Conflict (rolling the vote back) when the idea left voting or its window
    ended since it was read: that is the race with the threshold and the window.
    """
    open_now = Q(voting_deadline__isnull=True) | Q(voting_deadline__gt=now)
    moved = (
        Idea.objects.filter(open_now, pk=idea.pk, status=IdeaStatus.VOTING)
        .update(vote_count=F("vote_count") + delta)
    )  # fmt: skip
    if not moved:
        raise Conflict(gettext("Voting on this idea has just closed."), code="not_in_voting")
    return Idea.objects.filter(pk=idea.pk).values_list("vote_count", flat=True).get()


def _log(*, idea: Idea, member: User, action: str, network: str, user_agent: str, now) -> None:
    VoteEvent.objects.create(
        idea_id=idea.pk,
        member_id=member.pk,
        action=action,
        network=network[:50],
        user_agent=(user_agent or "")[:200],
        created_at=now,
    )


def _current(idea: Idea, member: User, *, voted: bool, changed: bool) -> VoteResult:
    count, status = Idea.objects.filter(pk=idea.pk).values_list("vote_count", "status").get()
    return VoteResult(idea.pk, voted, changed, count, idea.vote_threshold, status)


def vote_cast_by_id(
    *, idea_id: int, member: User, network: str = "", user_agent: str = ""
) -> VoteResult | None:
    """The vote endpoint's entry: vote for the idea with this id (None: no such idea, or it
    is hidden).

    On PostgreSQL an ordinary vote is ONE statement that also reads the idea
    (``_cast_in_one_statement``): no idea row comes to Python at all. Whatever that statement
    declines (a vote ``voting.rules.may_vote`` would refuse, the vote that may reach the
    threshold) takes ``vote_cast``, which reads the idea and asks the rules.
    """
    if connection.vendor == "postgresql" and rules.member_may_vote(member):
        result = _cast_in_one_statement(idea_id, member, network, user_agent, timezone.now())
        if result is not None:
            return result
    idea = idea_for_vote(idea_id=idea_id)
    if idea is None:
        return None
    return vote_cast(idea=idea, member=member, network=network, user_agent=user_agent)


def vote_cast(*, idea: Idea, member: User, network: str = "", user_agent: str = "") -> VoteResult:
    """Vote for ``idea``: one vote per member (a second call changes nothing).

    The vote that brings the count to the idea's threshold moves it to review in the same
    transaction (exactly once: later votes find it no longer in voting) and notifies reviewers.
    """
    now = timezone.now()
    check(rules.may_vote(idea=idea, member=member, now=now))
    threshold = idea.vote_threshold
    # PostgreSQL below the threshold: one statement, so the hot idea's row lock is never held
    # across a round trip to Python (docs/voting-funding.md has the measurements).
    if connection.vendor == "postgresql" and idea.vote_count + 1 < threshold:
        fast = _cast_in_one_statement(idea.pk, member, network, user_agent, now)
        if fast is not None:
            idea.vote_count = fast.vote_count
            return fast
    with transaction.atomic():
        count = _cast(idea, member, network, user_agent, now)
        if count is None:
            return _current(idea, member, voted=True, changed=False)
        status = IdeaStatus.VOTING
        if count >= threshold:
            # We hold the idea's row lock and it is in voting: this vote is the one.
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


def _cast(idea: Idea, member: User, network: str, user_agent: str, now) -> int | None:
    """The portable vote: insert it (the unique constraint refuses a second: None), log it,
    bump the counter last. Call inside the vote's transaction."""
    try:
        with transaction.atomic():
            Vote.objects.create(idea_id=idea.pk, member_id=member.pk, created_at=now)
    except IntegrityError:
        return None
    _log(
        idea=idea, member=member, action=VoteAction.CAST, network=network,
        user_agent=user_agent, now=now,
    )  # fmt: skip
    return _bump(idea, +1, now)


class _Declined(Exception):
    """The one statement declined after inserting: this vote may reach the threshold (or the
    idea just closed). Its 1 / 0 rolled everything back."""


def _cast_in_one_statement(
    idea_id: int, member: User, network: str, user_agent: str, now
) -> VoteResult | None:
    """The hot path on PostgreSQL: reading the idea, the vote, its record and the counter in
    ONE statement that is its own transaction, so the idea's row lock is held only inside the
    server, never across a round trip to Python (where a busy worker would keep every other
    voter waiting), and no idea row is built in Python.

    It takes only an ordinary vote and declines (None: the caller takes vote_cast's portable
    path, which asks voting.rules and explains any refusal) anything else:

    * the idea must be found, not hidden, not the member's own, in voting and inside its
      window (the idea's side of ``rules.may_vote``; the member's side is asked before);
    * the vote must stay below the threshold: the counter's UPDATE matches only while
      ``vote_count + 1 < threshold`` (and again in voting, inside the window: re-checked
      under the row lock). If the vote went in but the counter did not move, the final SELECT
      divides by zero, which aborts the whole statement: nothing is written. So a vote is
      never stored uncounted. (The divisor is u's row count, never a literal 0: the planner
      folds a constant ``1 / 0`` and would fail every statement at plan time.)

    A second vote by the same member inserts nothing and answers "already voted" with the
    count the statement read.

    Every vote waits for the WAL flush by default (VOTE_SYNCHRONOUS_COMMIT, on). Turned off,
    ``synchronous_commit`` is off for this statement only: COMMIT returns (and releases the
    idea's row lock) without waiting for the flush, and a PostgreSQL crash may lose the last
    fraction of a second of votes, always together with their counter increments: the count
    stays exact. The vote that reaches the threshold takes the portable path, which keeps the
    server's default (it waits).
    """
    sql = _one_statement_sql()
    params = {
        "idea": idea_id, "member": member.pk, "now": now, "voting": IdeaStatus.VOTING,
        "default_threshold": settings.VOTE_THRESHOLD, "cast": VoteAction.CAST,
        "network": network[:50], "user_agent": (user_agent or "")[:200],
    }  # fmt: skip

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
    threshold, count_before, inserted, count = row[:4]
    if threshold is None:
        return None  # not an ordinary vote: vote_cast asks the rules
    if not inserted:
        return VoteResult(idea_id, True, False, count_before, threshold, IdeaStatus.VOTING)
    return VoteResult(idea_id, True, True, count, threshold, IdeaStatus.VOTING)


def _one_statement_sql() -> str:
    """The statement of _cast_in_one_statement. Parameters are cast, so the prepared statement
    keeps one signature whatever the ids' sizes; unless VOTE_SYNCHRONOUS_COMMIT, it turns
    ``synchronous_commit`` off for its own transaction (``set_config(…, true)``)."""
    votes, events = Vote._meta.db_table, VoteEvent._meta.db_table
    ideas, categories = Idea._meta.db_table, Category._meta.db_table
    sync = "on" if getattr(settings, "VOTE_SYNCHRONOUS_COMMIT", True) else "off"
    open_now = (
        "status = %(voting)s::text AND (voting_deadline IS NULL "
        "OR voting_deadline > %(now)s::timestamptz)"
    )
    return f"""
        WITH s AS (
            SELECT set_config('synchronous_commit', '{sync}', true) WHERE '{sync}' = 'off'
        ), i AS (
            SELECT i.vote_count,
                   COALESCE(NULLIF(c.vote_threshold, 0), %(default_threshold)s::int) AS threshold
            FROM {ideas} i LEFT JOIN {categories} c ON c.id = i.category_id
            WHERE i.id = %(idea)s::bigint AND i.hidden_at IS NULL
              AND i.creator_id <> %(member)s::bigint AND i.{open_now}
        ), v AS (
            INSERT INTO {votes} (idea_id, member_id, created_at)
            SELECT %(idea)s::bigint, %(member)s::bigint, %(now)s::timestamptz FROM i
            ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING id
        ), u AS (
            UPDATE {ideas} SET vote_count = vote_count + 1
            WHERE id = %(idea)s::bigint AND {open_now}
              AND vote_count + 1 < (SELECT threshold FROM i) AND EXISTS (SELECT 1 FROM v)
            RETURNING vote_count
        ), e AS (
            INSERT INTO {events} (idea_id, member_id, action, network, user_agent, created_at)
            SELECT %(idea)s::bigint, %(member)s::bigint, %(cast)s::text, %(network)s::text,
                   %(user_agent)s::text, %(now)s::timestamptz FROM u
        )
        SELECT (SELECT threshold FROM i), (SELECT vote_count FROM i),
               (SELECT count(*) FROM v), (SELECT vote_count FROM u),
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
    with transaction.atomic():
        deleted, _ = Vote.objects.filter(idea_id=idea.pk, member_id=member.pk).delete()
        if not deleted:
            return _current(idea, member, voted=False, changed=False)
        _log(
            idea=idea, member=member, action=VoteAction.WITHDRAW, network=network,
            user_agent=user_agent, now=now,
        )  # fmt: skip
        count = _bump(idea, -1, now)
    idea.vote_count = count
    return VoteResult(idea.pk, False, True, count, idea.vote_threshold, IdeaStatus.VOTING)


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
