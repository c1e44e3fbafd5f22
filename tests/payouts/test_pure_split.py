"""The split needs nothing but the standard library: a Python without site-packages (so without
Django, DRF or anything else installed) imports it and splits."""

import subprocess
import sys
from pathlib import Path

import pytest

from payouts.allocation import AllocationError, split_profit

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import payouts.allocation as allocation
split = allocation.split_profit(800_00, 1500, {{1: 3, 2: 1}})
assert split.total == 800_00, split
ours = ("__main__", "payouts", "payouts.allocation")
outside = sorted(
    name for name in sys.modules
    if name.split(".")[0] not in sys.stdlib_module_names and name not in ours
)
print(" ".join(outside))
"""


def test_the_split_imports_and_runs_with_the_standard_library_alone():
    # -I: ignore PYTHON* variables and the user's site; -S: no site-packages at all.
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PROGRAM], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"payouts.allocation imported {done.stdout.strip()}"


def test_bad_input_is_a_plain_value_error():
    with pytest.raises(AllocationError) as refused:
        split_profit(100, 999, {})
    assert isinstance(refused.value, ValueError)
    assert type(refused.value).__mro__[1:] == (ValueError, Exception, BaseException, object)


@pytest.mark.django_db
def test_a_refused_split_fails_the_run_with_the_refusal_said(team, record):
    from payouts import services
    from payouts.models import Settlement, SettlementStatus

    settlement = services.period_settle(period=record(revenue=1_000_00), actor=team.finance)
    # A fee below the range (the product's own row cannot hold one: funding checks it).
    Settlement.objects.filter(pk=settlement.pk).update(platform_fee_bp=999)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.FAILED
    assert settlement.error.startswith("Conflict: The split refused this settlement's numbers")
    assert "not 999" in settlement.error
    assert not settlement.lines.exists()
