"""Seams through which funding lets a higher app act without importing it (``core.hooks``)."""

from core.hooks import Hook

pledge_funded = Hook(
    "pledge_funded",
    "Called once per collected pledge of a funded round, inside the transaction that closes it, "
    "as pledge_funded(pledge=pledge, points=points, decided_by=actor). The provider records "
    "the pledge's approved funding contribution; find it with grep 'pledge_funded.connect'.",
)
