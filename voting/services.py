"""Votes, the threshold and the voting window (SPEC section 2).

How ``Idea.vote_count`` stays exact: the vote's own transaction inserts the vote (the unique
constraint refuses a second one) and then, as its *last* statement, bumps the counter with a
conditional ``UPDATE … SET vote_count = vote_count + 1 WHERE status = 'voting' RETURNING``.
The counter is therefore exact at every commit, the vote that reaches the threshold knows it
(it reads the new count under the row lock) and moves the idea in the same transaction, and a
vote racing the move to review or the end of the window is refused (the UPDATE matches no row,
the transaction rolls back). Because the UPDATE comes last, each voter holds the idea's row
lock only for its COMMIT; docs/voting-funding.md has the measurements behind this choice.
"""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import DataError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import email_verified_or_not_required
from accounts.roles import REVIEWERS
from core.errors import Conflict, NotAllowed
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify

from .models import Vote, VoteAction, VoteEvent


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


def vote_check(*, idea: Idea, member: User) -> None:
    """Who may vote: a verified member, not the creator, while the idea is in voting."""
    if member.pk == idea.creator_id:
        raise NotAllowed("You cannot vote on your own idea.", code="own_idea")
    if not email_verified_or_not_required(member):
        raise NotAllowed(
            "Verify your e-mail address first: follow the link we sent you.",
            code="email_unverified",
        )
    if idea.status != IdeaStatus.VOTING:
        raise Conflict(
            f"Voting is closed: the idea is {idea.get_status_display().lower()}.",
            code="not_in_voting",
        )
    if idea.voting_deadline and idea.voting_deadline <= timezone.now():
        raise Conflict("The voting window of this idea has ended.", code="voting_ended")


def _bump(idea: Idea, delta: int, now) -> int:
    """Move the counter by ``delta`` if the idea is still open for votes; the new count.

    Call as the last statement of the vote's transaction: the row lock it takes is then held
    only until COMMIT. Raises Conflict (rolling the vote back) when the idea left voting or its
    window ended since it was read: that is the race with the threshold and the window.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Idea._meta.db_table} SET vote_count = vote_count + %s "  # noqa: S608
            "WHERE id = %s AND status = %s AND (voting_deadline IS NULL OR voting_deadline > %s) "
            "RETURNING vote_count",
            [delta, idea.pk, IdeaStatus.VOTING, now],
        )
        row = cursor.fetchone()
    if row is None:
        raise Conflict("Voting on this idea has just closed.", code="not_in_voting")
    return row[0]


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


def vote_cast(*, idea: Idea, member: User, network: str = "", user_agent: str = "") -> VoteResult:
    """Vote for ``idea``: one vote per member (a second call changes nothing).

    The vote that brings the count to the idea's threshold moves it to review in the same
    transaction (exactly once: later votes find it no longer in voting) and notifies reviewers.
    """
    vote_check(idea=idea, member=member)
    now = timezone.now()
    threshold = idea.vote_threshold
    if connection.vendor == "postgresql" and idea.vote_count + 1 < threshold:
        fast = _cast_below_threshold(idea, member, network, user_agent, now, threshold)
        if fast is not None:
            inserted, count = fast
            if not inserted:
                return _current(idea, member, voted=True, changed=False)
            idea.vote_count = count
            return VoteResult(idea.pk, True, True, count, threshold, IdeaStatus.VOTING)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            inserted, count = _cast_postgresql(idea, member, network, user_agent, now)
        else:
            inserted, count = _cast_portable(idea, member, network, user_agent, now)
        if not inserted:
            return _current(idea, member, voted=True, changed=False)
        status = IdeaStatus.VOTING
        if count >= threshold:
            # We hold the idea's row lock and it is in voting: this vote is the one.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # this commit waits for the flush
                    cursor.execute("SET LOCAL synchronous_commit TO ON")
            idea.status = IdeaStatus.VOTING
            idea_transition(
                idea=idea,
                to_status=IdeaStatus.REVIEW,
                actor=None,
                reason=f"Reached the vote threshold ({count} of {threshold} votes).",
            )
            _notify_threshold(idea, count)
            status = IdeaStatus.REVIEW
    idea.vote_count = count
    return VoteResult(idea.pk, True, True, count, threshold, status)


class _NearThreshold(Exception):
    """The fast path refused: this vote may reach the threshold (or the idea just closed)."""


def _cast_below_threshold(
    idea: Idea, member: User, network: str, user_agent: str, now, threshold: int
) -> tuple[bool, int | None] | None:
    """The hot path on PostgreSQL: the vote, its record and the counter in ONE statement that
    is its own transaction, so the idea's row lock is held only inside the server, never across
    a round trip to Python (where a busy worker would keep every other voter waiting).

    It only counts a vote that stays below the threshold: the UPDATE matches only while the
    idea is in voting, inside its window and ``vote_count + 1 < threshold``. If the vote went
    in but the counter did not move (the idea just closed, or this vote may cross the
    threshold), the final SELECT divides by zero, which aborts the whole statement: nothing is
    written, and the caller takes the transactional path that moves the idea to review. So a
    vote is never stored uncounted. Returns (inserted, new count), or None for "take the
    transactional path". ``synchronous_commit`` is off for this statement only (see
    _cast_postgresql for why that is safe for the count).
    """
    votes, events, ideas = Vote._meta.db_table, VoteEvent._meta.db_table, Idea._meta.db_table
    sync = "" if getattr(settings, "VOTE_SYNCHRONOUS_COMMIT", False) else (
        "SET LOCAL synchronous_commit TO OFF; "
    )  # fmt: skip
    statement = f"""
        WITH v AS (
            INSERT INTO {votes} (idea_id, member_id, created_at) VALUES (%s, %s, %s)
            ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING id
        ), u AS (
            UPDATE {ideas} SET vote_count = vote_count + 1
            WHERE id = %s AND status = %s AND (voting_deadline IS NULL OR voting_deadline > %s)
              AND vote_count + 1 < %s AND EXISTS (SELECT 1 FROM v)
            RETURNING vote_count
        ), e AS (
            INSERT INTO {events} (idea_id, member_id, action, network, user_agent, created_at)
            SELECT %s, %s, %s, %s, %s, %s FROM u
        )
        SELECT (SELECT count(*) FROM v), (SELECT vote_count FROM u),
               CASE WHEN EXISTS (SELECT 1 FROM v) AND NOT EXISTS (SELECT 1 FROM u)
                    THEN 1 / 0 END
    """  # noqa: S608
    sql = sync + statement
    params = [
        idea.pk, member.pk, now,
        idea.pk, IdeaStatus.VOTING, now, threshold,
        idea.pk, member.pk, VoteAction.CAST, network[:50], (user_agent or "")[:200], now,
    ]  # fmt: skip

    def run():
        with connection.cursor() as cursor:
            try:
                cursor.execute(sql, params)
            except DataError:  # the 1 / 0 above: see the docstring
                raise _NearThreshold from None
            if sync:
                cursor.cursor.nextset()
            inserted, count, _ = cursor.fetchone()
        return bool(inserted), count

    try:
        if connection.in_atomic_block:  # inside someone's transaction: a savepoint contains it
            with transaction.atomic():
                return run()
        return run()  # autocommit: the statement (and its SET LOCAL) is one transaction
    except _NearThreshold:
        return None


def _cast_portable(idea: Idea, member: User, network: str, user_agent: str, now):
    """Insert the vote (the unique constraint refuses a second), log it, bump the counter last."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Vote._meta.db_table} (idea_id, member_id, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s) ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING id",
            [idea.pk, member.pk, now],
        )
        if cursor.fetchone() is None:
            return False, None
    _log(
        idea=idea, member=member, action=VoteAction.CAST, network=network,
        user_agent=user_agent, now=now,
    )  # fmt: skip
    return True, _bump(idea, +1, now)


def _cast_postgresql(idea: Idea, member: User, network: str, user_agent: str, now):
    """The same three writes as _cast_portable in one round trip: one statement whose CTEs
    insert the vote, log it and bump the counter (only if the vote was new and the idea is
    still open). Call inside the vote's transaction: if the vote went in but the counter did
    not move (the idea just left voting), the caller raises and the whole thing rolls back.

    ``synchronous_commit`` is off for this transaction only: COMMIT returns (and releases the
    idea's row lock) without waiting for the WAL flush, so voters on a hot idea do not queue
    behind each other's fsync. A PostgreSQL crash may lose the last fraction of a second of
    votes, always together with their counter increments: the count stays exact. Set
    VOTE_SYNCHRONOUS_COMMIT = True to wait for the flush instead.
    """
    sync = "" if getattr(settings, "VOTE_SYNCHRONOUS_COMMIT", False) else (
        "SET LOCAL synchronous_commit TO OFF; "
    )  # fmt: skip
    votes, events, ideas = Vote._meta.db_table, VoteEvent._meta.db_table, Idea._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            sync + f"""
            WITH v AS (
                INSERT INTO {votes} (idea_id, member_id, created_at) VALUES (%s, %s, %s)
                ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING id
            ), e AS (
                INSERT INTO {events} (idea_id, member_id, action, network, user_agent, created_at)
                SELECT %s, %s, %s, %s, %s, %s FROM v
            ), u AS (
                UPDATE {ideas} SET vote_count = vote_count + 1
                WHERE id = %s AND status = %s
                  AND (voting_deadline IS NULL OR voting_deadline > %s)
                  AND EXISTS (SELECT 1 FROM v)
                RETURNING vote_count
            )
            SELECT (SELECT count(*) FROM v), (SELECT vote_count FROM u)
            """,  # noqa: S608
            [
                idea.pk, member.pk, now,
                idea.pk, member.pk, VoteAction.CAST, network[:50], (user_agent or "")[:200], now,
                idea.pk, IdeaStatus.VOTING, now,
            ],
        )  # fmt: skip
        if sync:
            cursor.cursor.nextset()
        inserted, count = cursor.fetchone()
    if not inserted:
        return False, None
    if count is None:
        raise Conflict("Voting on this idea has just closed.", code="not_in_voting")
    return True, count


def vote_withdraw(
    *, idea: Idea, member: User, network: str = "", user_agent: str = ""
) -> VoteResult:
    """Take back one's vote while the idea is in voting (withdrawing twice changes nothing)."""
    if idea.status != IdeaStatus.VOTING:
        raise Conflict(
            "Votes can only be withdrawn while the idea is in voting.", code="not_in_voting"
        )
    now = timezone.now()
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
        message=f"“{idea.title}” reached {count} votes and waits for your review.",
        url="/review/",
    )
    notify(
        recipients=[idea.creator],
        kind="idea_threshold_reached",
        message=f"Your idea “{idea.title}” reached {count} votes and goes to review.",
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
            reason=f"Reached the vote threshold ({idea.vote_count} votes).",
        )
        _notify_threshold(idea, idea.vote_count)
        return
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.EXPIRED,
        reason=f"The voting window ended with {idea.vote_count} of {idea.vote_threshold} votes.",
    )
    notify(
        recipients=[idea.creator],
        kind="idea_expired",
        message=f"The voting window of “{idea.title}” ended with "
        f"{idea.vote_count} of {idea.vote_threshold} votes.",
        url=idea.get_absolute_url(),
    )


def _lowest_threshold() -> int:
    from ideas.models import Category

    lowest = (
        Category.objects.filter(vote_threshold__isnull=False)
        .order_by("vote_threshold")
        .values_list("vote_threshold", flat=True)
        .first()
    )
    return lowest or settings.VOTE_THRESHOLD
