"""The verifier of a period report (docs/verify.md): standard library only.

``verify.py`` at the repository's root (and at ``/verify.py`` on the site) is this module with
the platform's split, ``payouts/allocation.py``, pasted above it: ``python manage.py
build_verify`` writes it, and a test checks that the shipped file is what it writes. Run it with
any Python 3.11 or later, nothing installed::

    python3 -I verify.py report.json

It recomputes every channel's net sales, the revenue, the costs and the profit from the lines,
the loss carried forward, every share from the weights with the split, and the SHA-256 of the
canonical content; it prints ``OK: N shares, total X`` or the first difference and exits 1.
"""

from __future__ import annotations

import hashlib
import json
import sys

from payouts.allocation import (  # verify.py: the split pasted above
    CREATOR_SHARE_BP,
    carry_forward,
    split_profit,
)

ALLOCATION_SHA256 = ""  # verify.py: the SHA-256 of the split's source pasted above
REPORT_FORMAT = "ahhha-period-report/1"


class Difference(Exception):
    """The first thing in the report that does not add up."""


def canonical(body: dict) -> bytes:
    """The bytes the report's hash covers: its content without ``sha256``, keys sorted, no
    spaces, UTF-8."""
    content = {k: v for k, v in body.items() if k != "sha256"}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _same(what: str, stated, computed) -> None:
    if stated != computed:
        raise Difference(f"{what}: the report says {stated!r}, recomputed {computed!r}")


def _money(amount: int, places: int, currency: str) -> str:
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**places) if places else (abs(amount), 0)
    return f"{sign}{whole}.{part:0{places}d} {currency}" if places else f"{sign}{whole} {currency}"


def _check_totals(report: dict) -> dict:
    sales_net = 0
    for i, channel in enumerate(report["sales"]["channels"], start=1):
        net = channel["gross"] - channel["discounts"] - channel["refunds"] - channel["channel_fees"]
        _same(f"sales channel {i} ({channel['channel']}) net", channel["net"], net)
        sales_net += net
    adjustments = report["costs"]["adjustments"]
    revenue = sales_net + sum(a["revenue"] for a in adjustments)
    costs = sum(e["amount"] for e in report["costs"]["expenses"])
    costs += sum(a["costs"] for a in adjustments)
    totals = report["totals"]
    _same("totals.revenue", totals["revenue"], revenue)
    _same("totals.costs", totals["costs"], costs)
    _same("totals.profit", totals["profit"], revenue - costs)
    outcome = carry_forward(revenue - costs, totals["carried_loss_in"])
    _same("totals.distributable", totals["distributable"], outcome.distributable)
    _same("totals.carried_loss_out", totals["carried_loss_out"], outcome.carried_loss)
    return totals


def _check_shares(report: dict, distributable: int) -> int:
    shares = report["shares"]
    contributors = shares["contributors"]
    if distributable <= 0:
        _same("shares.contributors (nothing to split)", len(contributors), 0)
        return 0
    ranks = [c["rank"] for c in contributors]
    if ranks != list(range(1, len(contributors) + 1)):
        raise Difference("shares.contributors: ranks must run 1, 2, 3, … in the split's order")
    weights = {c["rank"]: c["weight"] for c in contributors}
    split = split_profit(distributable, report["rates"]["platform_fee_bp"], weights)
    _same("number of contributors", len(contributors), len(split.contributors))
    computed = split.contributors
    for entry in contributors:
        if entry["share"] != computed.get(entry["rank"]):
            raise Difference(
                f"share of contributor {entry['rank']} ({entry['member']}, weight "
                f"{entry['weight']}): the report says {entry['share']!r}, recomputed "
                f"{computed.get(entry['rank'])!r}"
            )
    _same("shares.creator.share", shares["creator"]["share"], split.creator)
    _same("shares.platform.share", shares["platform"]["share"], split.platform)
    total = split.creator + split.platform + sum(computed.values())
    _same("the shares' total", total, distributable)
    return len(contributors) + 2


def verify(body: dict) -> str:
    """The report's check; returns the OK line or raises ``Difference``."""
    _same("format", body.get("format"), REPORT_FORMAT)
    digest = hashlib.sha256(canonical(body)).hexdigest()
    _same("sha256 of the canonical content", body.get("sha256"), digest)
    rule = body["rule"]
    if ALLOCATION_SHA256 and rule.get("source_sha256") != ALLOCATION_SHA256:
        raise Difference(
            f"rule: the report was split by {rule.get('version')!r} (source "
            f"{rule.get('source_sha256')}), this verifier carries source {ALLOCATION_SHA256}: "
            "download the verify.py of the report's site"
        )
    _same("rates.creator_bp", body["rates"]["creator_bp"], CREATOR_SHARE_BP)
    totals = _check_totals(body)
    count = _check_shares(body, totals["distributable"])
    total = _money(totals["distributable"], body["currency_places"], body["currency"])
    return f"OK: {count} shares, total {total}"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python3 verify.py report.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as handle:
            body = json.load(handle)
        print(verify(body))
    except Difference as exc:
        print(f"DIFFERENT: {exc}")
        return 1
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        print(f"DIFFERENT: the report is not a period report ({exc.__class__.__name__}: {exc})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
