"""The ballot's one statement: an ordinary vote in ONE SQL statement that is its own
transaction, by member id or by API token (the member found inside the statement). Only
``voting.services.ballot`` calls it; docs/voting-funding.md has the measurements behind it.

The statement, part by part (``_one_statement_sql``):

* ``k`` (``by_token``): the member of an unexpired API token, found by the token's hash;
  everywhere else the member is this row's id (or the ``member`` parameter).
* ``i``: the idea, if the member may vote on it now — found, not hidden, in voting, inside
  its window, not the member's own — and the member may vote at all (active, e-mail
  verified unless verification is off): ``may_vote`` in SQL. Read FOR KEY SHARE, which
  votes share with each other; a move out of voting takes FOR UPDATE and waits for them.
* ``i`` also says whether the vote *counts* (the account joined at least
  ``VOTE_MIN_ACCOUNT_AGE`` ago): the counting condition is inside the statement.
* ``r``: the gate. The member's counter row, locked (FOR NO KEY UPDATE), only if it still
  has room spread for the idea's current threshold. A concurrent vote on the same row is
  waited for and the room read again on the row it left.
* ``v``: the vote, inserted only through the gate when it counts, or uncounted with the time
  it will count (``counts_from``) when the account is too young (``ON CONFLICT DO NOTHING``:
  a second vote inserts nothing); ``u``: its count on the locked row, only if ``v`` inserted
  a counted vote; ``e``: its record, whenever ``v`` inserted. So a counted vote is stored
  exactly when it is counted, and nothing is written when the row has no room: the caller
  takes the locked path.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from accounts.models import User
from accounts.permissions import email_verification_required
from accounts.tokens import token_member_sql
from core.db import fetch_one_prepared
from ideas.models import Category, Idea, IdeaStatus, VoteTally, exact_vote_count_sql

from ..models import Vote, VoteAction, VoteEvent

TALLY_SHARDS = 16  # counter rows per idea (ideas.VoteTally): votes land on their member's row


@dataclass(frozen=True)
class VoteResult:
    idea_id: int
    voted: bool  # does the member have a vote on the idea now
    changed: bool  # did this call add or remove a vote
    vote_count: int
    vote_threshold: int
    status: str
    counts: bool = True  # does the member's vote count toward the threshold
    counts_from: datetime | None = None  # not yet: when it will (None: counts, or never)


def _cast_in_one_statement(
    idea_id: int, member_id: int | None, client: dict, now, *, token_hash=None
) -> VoteResult | None:
    """An ordinary vote in ONE statement that is its own transaction (``_one_statement_sql``):
    no lock held across a round trip to Python, no idea row built in Python. None when the
    statement declined — the rule refuses, or the member's vote counts and their counter row
    has no room for the idea's current threshold — having written nothing: the caller asks the
    rules and takes the locked path. A vote from an account too young to count
    (``voting.rules.vote_counts_from``) is recorded uncounted, with when it will count. A
    second vote inserts nothing and answers "already voted"; the count answered is the one the
    statement saw, with its own vote. With ``token_hash`` (an API token's
    ``accounts.tokens.key_hash``) instead of a member id, the statement finds the member of the
    unexpired token itself: a token vote is one round trip to the database. ``client``: the
    keyed hashes ``network`` and ``device`` and the ``user_agent``.

    Every vote waits for the WAL flush by default (VOTE_SYNCHRONOUS_COMMIT, on). Turned off,
    ``synchronous_commit`` is off for this statement only: a PostgreSQL crash may lose the last
    fraction of a second of votes, always together with their counts: the count stays exact.
    """
    sql = _one_statement_sql(
        sync=bool(getattr(settings, "VOTE_SYNCHRONOUS_COMMIT", True)),
        by_token=token_hash is not None,
    )
    who = {"member": member_id} if token_hash is None else {"token": token_hash}
    params = {
        "idea": idea_id, **who, "now": now, "voting": IdeaStatus.VOTING,
        "default_threshold": settings.VOTE_THRESHOLD, "cast": VoteAction.CAST,
        "unverified_ok": not email_verification_required(),
        "min_age": settings.VOTE_MIN_ACCOUNT_AGE,
        "network": client.get("network", "")[:50], "device": client.get("device", "")[:32],
        "user_agent": (client.get("user_agent") or "")[:200],
    }  # fmt: skip
    if connection.in_atomic_block:  # inside someone's transaction: a savepoint contains it
        with transaction.atomic():
            row = fetch_one_prepared(sql, params)
    else:
        row = fetch_one_prepared(sql, params)  # autocommit: the statement is its own transaction
    threshold, gate_open, inserted, counted, count_seen, _s, counts_from, earlier = row
    if threshold is None or not gate_open:
        return None
    status = IdeaStatus.VOTING
    if not inserted:  # already voted: whether the earlier vote counts, or from when
        return VoteResult(
            idea_id, True, False, count_seen, threshold, status, bool(earlier), counts_from
        )
    return VoteResult(
        idea_id, True, True, count_seen + counted, threshold, status, bool(counted), counts_from
    )


def _rule_sql(member: str) -> str:
    """The ``i`` part: ``may_vote`` in SQL, and whether the member's vote counts now
    (``voting.rules.vote_counts_from``: joined at least VOTE_MIN_ACCOUNT_AGE ago)."""
    ideas, categories, users = Idea._meta.db_table, Category._meta.db_table, User._meta.db_table
    return f"""
            SELECT COALESCE(NULLIF(c.vote_threshold, 0), %(default_threshold)s::int) AS threshold,
                   m.date_joined + %(min_age)s::interval <= %(now)s::timestamptz AS counts,
                   m.date_joined + %(min_age)s::interval AS counts_from
            FROM {ideas} i LEFT JOIN {categories} c ON c.id = i.category_id
            JOIN {users} m ON m.id = {member}
            WHERE i.id = %(idea)s::bigint
              AND i.hidden_at IS NULL
              AND i.status = %(voting)s::text
              AND (i.voting_deadline IS NULL OR i.voting_deadline > %(now)s::timestamptz)
              AND i.creator_id <> {member}
              AND m.is_active AND (m.email_verified OR %(unverified_ok)s::boolean)
            FOR KEY SHARE OF i
    """  # noqa: S608


@functools.cache
def _one_statement_sql(*, sync: bool, by_token: bool = False) -> str:
    """One vote in one statement, its own transaction (parameters cast: one prepared
    signature; unless ``sync``, ``synchronous_commit`` off for this transaction only). Its
    parts are described in the module's docstring."""
    votes, events = Vote._meta.db_table, VoteEvent._meta.db_table
    ideas, tallies = Idea._meta.db_table, VoteTally._meta.db_table
    sync_commit = "on" if sync else "off"
    member = "(SELECT id FROM k)" if by_token else "%(member)s::bigint"
    token = token_member_sql(token="%(token)s::text", now="%(now)s::timestamptz")
    k = f"k AS MATERIALIZED ({token}), " if by_token else ""
    mine = f"FROM {votes} WHERE idea_id = %(idea)s::bigint AND member_id = {member}"
    return f"""
        WITH {k}s AS (
            SELECT set_config('synchronous_commit', '{sync_commit}', true)
            WHERE '{sync_commit}' = 'off'
        ), i AS MATERIALIZED ({_rule_sql(member)}
        ), r AS MATERIALIZED (
            SELECT t.id FROM {tallies} t, i
            WHERE t.idea_id = %(idea)s::bigint AND t.shard = mod({member}, {TALLY_SHARDS})
              AND i.counts AND t.room > 0 AND t.threshold = i.threshold
            FOR NO KEY UPDATE OF t
        ), v AS (
            INSERT INTO {votes} (idea_id, member_id, created_at, counted, counts_from, network,
                                 device)
            SELECT %(idea)s::bigint, {member}, %(now)s::timestamptz, i.counts,
                   CASE WHEN i.counts THEN NULL ELSE i.counts_from END,
                   %(network)s::text, %(device)s::text
            FROM i WHERE NOT i.counts OR EXISTS (SELECT 1 FROM r)
            ON CONFLICT (idea_id, member_id) DO NOTHING RETURNING counted
        ), u AS (
            UPDATE {tallies} SET votes = votes + 1, room = room - 1
            WHERE id = (SELECT id FROM r) AND EXISTS (SELECT 1 FROM v WHERE counted)
            RETURNING 1
        ), e AS (
            INSERT INTO {events} (idea_id, member_id, action, network, user_agent, created_at)
            SELECT %(idea)s::bigint, {member}, %(cast)s::text, %(network)s::text,
                   %(user_agent)s::text, %(now)s::timestamptz FROM v
        )
        SELECT (SELECT threshold FROM i),
               (SELECT count(*) FROM r) + (SELECT count(*) FROM i WHERE NOT counts),
               (SELECT count(*) FROM v), (SELECT count(*) FROM u),
               (SELECT {exact_vote_count_sql(ideas)} FROM {ideas} WHERE id = %(idea)s::bigint),
               (SELECT count(*) FROM s),
               COALESCE((SELECT CASE WHEN counts THEN NULL ELSE counts_from END FROM i
                         WHERE EXISTS (SELECT 1 FROM v)),
                        CASE WHEN NOT p.counted THEN p.counts_from END),
               p.counted
        FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT counted, counts_from {mine}) p ON true
    """  # noqa: S608
