"""Benchmark: verify.py on a report of N participants (default 1,000,000), as a member would run
it: ``python3 -I verify.py report.json`` with the system Python, timed from the outside. The
report is built the way ``sales.report`` builds a published one (the split of
``payouts/allocation.py``, the canonical content and its SHA-256); no database is needed.

    .venv/bin/python bench/verify_million.py [--members 1000000]

Prints the figures (report size, time, peak memory of the verifier); asserts nothing.
"""

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_report(members: int) -> dict:
    from payouts.allocation import carry_forward, split_profit
    from sales.verify_main import REPORT_FORMAT, canonical

    rng = random.Random(28)
    weights = {rank: rng.randint(1, 500) for rank in range(1, members + 1)}
    revenue, costs = 987_654_321_00, 12_345_678_00
    outcome = carry_forward(revenue - costs, 0)
    split = split_profit(outcome.distributable, 1750, weights)
    body = {
        "format": REPORT_FORMAT, "settlement": 1, "product": {"id": 1, "title": "Bench"},
        "period": {"id": 1, "start": "2026-01-01", "end": "2026-01-31"},
        "currency": "EUR", "currency_places": 2,
        "sales": {"channels": [{"channel": "shopify", "lines": 1, "quantity": 1,
                                "gross": revenue, "discounts": 0, "refunds": 0,
                                "channel_fees": 0, "net": revenue}]},
        "costs": {"expenses": [], "adjustments": [{"id": 1, "date": "2026-01-02", "revenue": 0,
                  "costs": costs, "origin": "manual", "reason": "bench"}]},
        "totals": {"revenue": revenue, "costs": costs, "profit": revenue - costs,
                   "carried_loss_in": 0, "distributable": outcome.distributable,
                   "carried_loss_out": 0},
        "rates": {"creator_bp": 1000, "platform_fee_bp": 1750},
        "rule": {"version": "ahhha-split/1", "source": "payouts/allocation.py",
                 "source_sha256": hashlib.sha256(
                     (ROOT / "payouts" / "allocation.py").read_bytes()).hexdigest()},
        "shares": {
            "creator": {"member": "member-creator", "share": split.creator},
            "platform": {"share": split.platform},
            "contributors": [
                {"rank": r, "member": f"member-{r:012x}", "weight": w,
                 "share": split.contributors[r]}
                for r, w in weights.items()
            ],
        },
        "posted_at": "2026-02-01T00:00:00+00:00",
    }  # fmt: skip
    body["sha256"] = hashlib.sha256(canonical(body)).hexdigest()
    return body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    args = parser.parse_args()
    t = time.perf_counter()
    body = build_report(args.members)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        report.write_text(json.dumps(body))
        del body
        print(f"report of {args.members:,} contributors: {report.stat().st_size / 1e6:.0f} MB "
              f"(built in {time.perf_counter() - t:.1f} s, not timed)")  # fmt: skip
        shipped = ROOT / "verify.py"
        python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
        t = time.perf_counter()
        done = subprocess.run(
            [python, "-I", str(shipped), str(report)], capture_output=True, text=True, check=False
        )
        took = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    said = done.stdout.strip() or done.stderr.strip()[-300:]
    print(
        f"{python} -I verify.py report.json: exit {done.returncode} in {took:.1f} s, "
        f"peak memory {peak:.0f} MB: {said}"
    )


if __name__ == "__main__":
    main()
