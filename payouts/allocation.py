"""The split (SPEC section 5): pure integer arithmetic, no Django, no floats.

This module imports nothing but the standard library (tests/payouts/test_pure_split.py runs it
in a Python without site-packages), so the split can be read, checked and reused without the
project around it. Its numbers (the creator's share, the fee range) live here too;
``payouts.rules`` re-exports them for the apps that check funding terms. Bad input raises
``AllocationError`` (a ``ValueError``); the settlement job translates it into ``core.errors``.

Every exact share is a fraction with the common denominator ``10000 × Σw`` (or ``10000`` when
nobody holds weight), so comparing fractional remainders is comparing integers. Each party gets
the floor of its exact share; the leftover minor units (fewer than the number of parties) go one
each to the largest remainders, ties to the earlier party: creator, contributors by ascending
user id, platform last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

BP = 10_000  # basis points in a whole
CREATOR_SHARE_BP = 1_000  # the idea's creator: 10 % of every distributable amount
FEE_BP_MIN = 1_000  # the platform fee, fixed per product when funding is approved: 10 % …
FEE_BP_MAX = 2_500  # … to 25 %
FEE_BP_RANGE = range(FEE_BP_MIN, FEE_BP_MAX + 1)


class AllocationError(ValueError):
    """Input the split refuses: a negative or non-integer amount, a fee outside the range, a
    negative weight. A plain exception: the caller (a service) says it in ``core.errors``."""


@dataclass(frozen=True)
class Split:
    creator: int
    platform: int
    contributors: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.creator + self.platform + sum(self.contributors.values())


@dataclass(frozen=True)
class CarryForward:
    """One period's outcome of loss carry-forward."""

    distributable: int  # what the split gets (≥ 0)
    carried_loss: int  # the loss still carried to the next period (≥ 0)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def largest_remainder(numerators: Sequence[int], denominator: int, total: int) -> list[int]:
    """THE rounding of the split and of the contribution table's shares (largest remainder).

    Each exact part is ``numerators[i] / denominator`` and the parts add up to ``total``
    (``sum(numerators) == total * denominator``). Each part gets its floor; the leftover units
    (fewer than the number of parts) go one each to the largest remainders, ties to the earlier
    part. Callers list the parts in their tie-break order.
    """
    parts = [n // denominator for n in numerators]
    leftover = total - sum(parts)
    if leftover:
        remainders = [n % denominator for n in numerators]
        # Largest first. Python's sort is stable, also in reverse, so equal remainders keep
        # their order (the earlier part first) without a tuple key per part: a million-party
        # split sorts in a third of the time.
        order = sorted(range(len(remainders)), key=remainders.__getitem__, reverse=True)
        for i in order[:leftover]:
            parts[i] += 1
    return parts


def split_profit(profit: int, platform_fee_bp: int, weights: Mapping[int, int]) -> Split:
    """Split ``profit`` minor units between creator, contributors (by weight) and platform.

    Raises ``AllocationError`` for a negative profit, a fee outside ``FEE_BP_RANGE``, or a negative
    weight. Contributors with zero weight get no line; if no one holds weight the contributor
    pool goes to the creator.
    """
    if not _is_int(profit) or profit < 0:
        raise AllocationError(f"profit must be a non-negative integer, not {profit!r}")
    if not _is_int(platform_fee_bp) or not FEE_BP_MIN <= platform_fee_bp <= FEE_BP_MAX:
        raise AllocationError(
            f"platform_fee_bp must be between {FEE_BP_MIN} and {FEE_BP_MAX}, "
            f"not {platform_fee_bp!r}"
        )
    # Plain ints pass in one sweep (a million weights); anything else is checked one by one.
    if not all(w.__class__ is int and w >= 0 for w in weights.values()):
        for member, weight in weights.items():
            if not _is_int(weight) or weight < 0:
                raise AllocationError(
                    f"weight of {member!r} must be a non-negative integer: {weight!r}"
                )

    members = sorted([m for m, w in weights.items() if w > 0])
    total_weight = sum(weights.values())  # zero weights add nothing
    pool_bp = BP - CREATOR_SHARE_BP - platform_fee_bp

    # Numerators over one common denominator; they add up to profit × denominator exactly.
    if total_weight == 0:
        denominator = BP
        creator_num = profit * (CREATOR_SHARE_BP + pool_bp)
        platform_num = profit * platform_fee_bp
        contributor_nums: list[int] = []
    else:
        denominator = BP * total_weight
        creator_num = profit * CREATOR_SHARE_BP * total_weight
        platform_num = profit * platform_fee_bp * total_weight
        pool = profit * pool_bp
        contributor_nums = [pool * weights[m] for m in members]

    # Parties in tie-break order: creator, contributors by ascending id, platform last.
    parts = largest_remainder([creator_num, *contributor_nums, platform_num], denominator, profit)

    return Split(
        creator=parts[0],
        platform=parts[-1],
        contributors=dict(zip(members, parts[1:-1], strict=True)),
    )


def carry_forward(profit: int, carried_loss: int) -> CarryForward:
    """distributable = profit − carried loss; if that is ≤ 0 the shortfall is carried on."""
    if not _is_int(profit) or not _is_int(carried_loss) or carried_loss < 0:
        raise AllocationError("profit must be an integer and carried_loss a non-negative integer")
    net = profit - carried_loss
    if net <= 0:
        return CarryForward(distributable=0, carried_loss=-net)
    return CarryForward(distributable=net, carried_loss=0)
