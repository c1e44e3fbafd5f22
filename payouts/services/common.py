"""What every payouts service shares: the finance check and queueing a task after commit."""

from django.db import transaction

from accounts.roles import is_finance
from core.rules import check

from .. import rules


def require_finance(actor) -> None:
    check(rules.may_do_finance(is_finance=is_finance(actor)))


def on_commit_delay(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))
