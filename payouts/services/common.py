"""What every payouts service shares: the finance check and queueing a task after commit."""

from accounts.roles import is_finance
from core.outages import enqueue_on_commit
from core.rules import check

from .. import rules


def require_finance(actor) -> None:
    check(rules.may_do_finance(is_finance=is_finance(actor)))


def on_commit_delay(task, *args) -> None:
    """Queue after commit; a broker that is down fails the request (503) and rolls it back,
    and beat's safety net (settlements_resume) covers a publish lost after the commit."""
    enqueue_on_commit(task, *args, what=f"{args}")
