"""Seams through which funding lets a higher app act without importing it (``core.hooks``)."""

from core.hooks import Hook

pledge_funded = Hook(
    "pledge_funded",
    "Called once per collected pledge of a funded round, inside the transaction that closes it, "
    "as pledge_funded(pledge=pledge, points=points, decided_by=actor). The provider records "
    "the pledge's approved funding contribution; find it with grep 'pledge_funded.connect'.",
)

pledge_unpaid = Hook(
    "pledge_unpaid",
    "Called once when a funded pledge's payment lapses or finance refuses it, inside that "
    "transaction, as pledge_unpaid(pledge=pledge). The provider withdraws the pledge's funding "
    "contribution (no points for money that never came).",
)
