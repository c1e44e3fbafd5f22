"""The payouts rules as plain functions: who may do finance work, four eyes, and the one
largest-remainder rounding (the split and the contribution table's shares)."""

import pytest

from contributions.selectors import shares_of
from payouts import rules
from payouts.allocation import largest_remainder


def test_only_finance_staff_may_do_finance_work():
    assert rules.may_do_finance(is_finance=True) is None
    refusal = rules.may_do_finance(is_finance=False)
    assert refusal is not None and refusal.status_code == 403


@pytest.mark.parametrize(
    "actor, required, refused",
    [(1, True, True), (2, True, True), (3, True, False), (1, False, False), (2, False, False)],
)
def test_four_eyes_refuses_the_recorder_and_the_closer_unless_switched_off(
    actor, required, refused
):
    refusal = rules.may_approve_settlement(
        actor_id=actor, closed_by_id=1, recorded_by_id=2, second_approver_required=required
    )
    assert (refusal is not None) == refused
    if refused:
        assert refusal.code == "four_eyes"


def test_largest_remainder_floors_then_gives_leftovers_to_the_largest_remainders():
    assert largest_remainder([1, 1, 1], 3, 1) == [1, 0, 0]  # ties to the earlier part
    assert largest_remainder([5, 3, 2], 10, 1) == [1, 0, 0]
    assert largest_remainder([10, 20], 10, 3) == [1, 2]  # exact: nothing left over
    assert sum(largest_remainder([7, 11, 13], 31, 1)) == 1


def test_the_contribution_shares_use_the_same_rounding():
    weights = {5: 1, 2: 1, 9: 1}
    units = largest_remainder([weights[m] * 10**6 for m in sorted(weights)], 3, 10**6)
    assert shares_of(weights) == {2: "0.333334", 5: "0.333333", 9: "0.333333"}
    assert units == [333_334, 333_333, 333_333]


def test_the_creator_of_a_batch_does_not_mark_it_paid():
    refusal = rules.may_mark_batch_paid(actor_id=1, created_by_id=1)
    assert refusal is not None and refusal.code == "four_eyes"
    assert rules.may_mark_batch_paid(actor_id=2, created_by_id=1) is None


def test_a_reversal_is_approved_by_someone_other_than_the_requester():
    assert rules.may_approve_reversal(actor_id=1, requested_by_id=1, status="posted").code == (
        "four_eyes"
    )
    assert rules.may_approve_reversal(actor_id=2, requested_by_id=1, status="posted") is None
    assert rules.may_approve_reversal(actor_id=2, requested_by_id=None, status="posted")
    assert rules.may_approve_reversal(actor_id=2, requested_by_id=1, status="reversed")


@pytest.mark.parametrize(
    "status, approved, allowed",
    [
        ("preview", False, True),
        ("failed", False, True),
        ("preview", True, False),
        ("posted", False, False),
        ("running", False, False),
        ("discarded", False, False),
    ],
)
def test_only_an_unapproved_preview_or_a_failed_run_is_discarded(status, approved, allowed):
    assert (rules.may_discard_settlement(status=status, approved=approved) is None) == allowed


@pytest.mark.parametrize(
    "status, code",
    [(None, None), ("posted", "period_settled"), ("preview", "period_in_settlement")],
)
def test_a_period_changes_only_without_a_live_settlement(status, code):
    refusal = rules.may_change_period(settlement_status=status)
    assert (refusal.code if refusal else None) == code
