"""The split of SPEC section 5: golden cases, properties, and the inputs it refuses."""

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payouts.allocation import Split, carry_forward, split_profit

# A verbatim copy of shared/golden/split_cases.json, so the tests run wherever the repo does.
GOLDEN = Path(__file__).with_name("split_cases.json")
CASES = json.loads(GOLDEN.read_text())


def _as_split(expected: dict) -> Split:
    return Split(
        creator=expected["creator"],
        platform=expected["platform"],
        contributors={int(k): v for k, v in expected["contributors"].items()},
    )


@pytest.mark.parametrize("case", CASES["split"], ids=[c["note"] for c in CASES["split"]])
def test_split_reproduces_every_golden_case(case):
    weights = {int(k): v for k, v in case["weights"].items()}
    assert split_profit(case["profit"], case["platform_fee_bp"], weights) == _as_split(
        case["expected"]
    )


@pytest.mark.parametrize("case", CASES["periods"])
def test_loss_carry_forward_reproduces_every_golden_case(case):
    weights = {int(k): v for k, v in case["weights"].items()}
    carried = 0
    for profit, expected in zip(case["profits"], case["expected"], strict=True):
        outcome = carry_forward(profit, carried)
        carried = outcome.carried_loss
        assert outcome.distributable == expected["distributable"]
        assert outcome.carried_loss == expected["carried_loss"]
        if expected["split"] is None:
            assert outcome.distributable == 0
        else:
            split = split_profit(outcome.distributable, case["platform_fee_bp"], weights)
            assert split == _as_split(expected["split"])


def _exact_shares(profit: int, fee: int, weights: dict[int, int]) -> dict:
    total = sum(weights.values())
    pool = Fraction(profit * (10000 - 1000 - fee), 10000)
    creator = Fraction(profit * 1000, 10000) + (pool if total == 0 else 0)
    shares = {"creator": creator, "platform": Fraction(profit * fee, 10000)}
    for member, weight in weights.items():
        if weight and total:
            shares[member] = pool * weight / total
    return shares


profits = st.integers(min_value=0, max_value=10**15)
fees = st.integers(min_value=1000, max_value=2500)
weight_maps = st.dictionaries(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=10**6),
    max_size=40,
)


@settings(max_examples=3000, deadline=None)
@given(profit=profits, fee=fees, weights=weight_maps)
def test_parts_add_up_and_none_is_off_by_a_whole_unit(profit, fee, weights):
    split = split_profit(profit, fee, weights)
    assert split.total == profit
    exact = _exact_shares(profit, fee, weights)
    parts = {"creator": split.creator, "platform": split.platform, **split.contributors}
    assert set(parts) == set(exact)
    for party, part in parts.items():
        assert part >= 0
        assert abs(part - exact[party]) < 1


@settings(max_examples=1000, deadline=None)
@given(profit=profits, fee=fees, weights=weight_maps, data=st.data())
def test_result_does_not_depend_on_the_order_of_the_weights(profit, fee, weights, data):
    shuffled = data.draw(st.permutations(list(weights.items())))
    assert split_profit(profit, fee, dict(shuffled)) == split_profit(profit, fee, weights)


@settings(max_examples=500, deadline=None)
@given(profits=st.lists(st.integers(min_value=-(10**9), max_value=10**9), max_size=12))
def test_carry_forward_never_distributes_more_than_the_net_profit(profits):
    carried, distributed = 0, 0
    for profit in profits:
        outcome = carry_forward(profit, carried)
        assert outcome.distributable >= 0 and outcome.carried_loss >= 0
        assert outcome.distributable == 0 or outcome.carried_loss == 0
        carried = outcome.carried_loss
        distributed += outcome.distributable
    assert distributed - carried == sum(profits) or (not profits and distributed == 0)


@pytest.mark.parametrize(
    "profit, fee, weights",
    [(-1, 1000, {}), (100, 999, {}), (100, 2501, {}), (100, 1500, {1: -1}), (1.5, 1500, {})],
)
def test_split_refuses_bad_input(profit, fee, weights):
    with pytest.raises(ValueError):
        split_profit(profit, fee, weights)
