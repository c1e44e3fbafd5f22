"""The split's numbers and the payouts rules, in one place.

This module is a leaf: it imports nothing from the apps (only ``core``), so the apps that store
or check funding terms (``ideas``, ``funding``) read the fee range from here without depending on
the rest of ``payouts``. The pure split (``payouts.allocation``) takes its constants from here.
"""

BP = 10_000  # basis points in a whole
CREATOR_SHARE_BP = 1_000  # the idea's creator: 10 % of every distributable amount
FEE_BP_MIN = 1_000  # the platform fee, fixed per product when funding is approved: 10 % …
FEE_BP_MAX = 2_500  # … to 25 %
FEE_BP_RANGE = range(FEE_BP_MIN, FEE_BP_MAX + 1)
