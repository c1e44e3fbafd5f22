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

payment_received = Hook(
    "payment_received",
    "Called once when a funded pledge's payment is received (an adapter's outcome or finance "
    "confirming it), inside that transaction, as payment_received(payment=payment). The "
    "provider posts the money to the product's funds in the ledger (products.money).",
)
