"""Everything that changes periods, settlements, the ledger and payout batches.

The settlement's life: ``period_record`` → ``period_settle`` (queues the job) →
``settlement_run`` (the job: weights, carry-forward, the split, a preview of every line) →
``settlement_approve`` (a second finance member; queues posting) → ``settlement_post`` (one
balanced ledger transaction, exactly once) → members are notified.

One module per concern: ``periods``, ``settlement_job`` (the preview run and the beat safety
net), ``posting`` (four eyes, exactly-once posting, notification), ``batches`` (payout batches),
``ledger`` (accounts, staged entries, posting a transaction, reversals), ``corrections``
(discarding a preview; reversing a posted settlement: requested, then approved by another).
Exports are reads: ``payouts.exports``. Callers use ``from payouts import services`` and the
names below.
"""

from .batches import payout_batch_cancel, payout_batch_create, payout_batch_mark_paid
from .corrections import (
    settlement_discard,
    settlement_reversal_approve,
    settlement_reversal_request,
)
from .ledger import ledger_transaction_reverse
from .periods import period_correct, period_delete, period_record, period_settle
from .posting import (
    settlement_approve,
    settlement_notify,
    settlement_notify_chunk,
    settlement_post,
)
from .returns import money_return_reversed, money_returned
from .settlement_job import settlement_run, settlements_resume

__all__ = [
    "money_return_reversed",
    "money_returned",
    "ledger_transaction_reverse",
    "payout_batch_cancel",
    "payout_batch_create",
    "payout_batch_mark_paid",
    "period_correct",
    "period_delete",
    "period_record",
    "period_settle",
    "settlement_approve",
    "settlement_discard",
    "settlement_notify",
    "settlement_notify_chunk",
    "settlement_post",
    "settlement_reversal_approve",
    "settlement_reversal_request",
    "settlement_run",
    "settlements_resume",
]
