"""Issue 28's second done-when: a posted settlement's public report, checked by verify.py run
with the system Python alone (``-I``: no project code, no packages); any change to a weight, a
line or a share makes it exit 1 naming what differs."""

import hashlib
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from payouts import services as payouts_services
from sales import services
from sales.report import pseudonym
from sales.verifier import SHIPPED, verify_source
from tests.sales.shopify import order_rows, shopify_file

pytestmark = pytest.mark.django_db
# The system Python, not the project's virtualenv: nothing of the project is importable.
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else shutil.which("python3")


@pytest.fixture
def report(shop, import_file, client_for):
    import_file(shopify_file(order_rows("#1", day="2026-01-03", items=[(3, "333.33")])))
    proposed = services.adjustment_propose(
        product=shop.product, day=date(2026, 1, 20), side="costs", amount=100_01,
        reason="Packaging", actor=shop.finance,
    )  # fmt: skip
    services.adjustment_approve(adjustment=proposed, actor=shop.finance2)
    period = services.period_compute(
        product=shop.product, start=date(2026, 1, 1), end=date(2026, 1, 31), notes="",
        actor=shop.finance,
    )  # fmt: skip
    settlement = payouts_services.period_settle(period=period, actor=shop.finance)
    payouts_services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    payouts_services.settlement_approve(settlement=settlement, actor=shop.finance2)
    payouts_services.settlement_post(settlement_id=settlement.pk)
    response = client_for(None).get(f"/api/v1/settlements/{settlement.pk}/report.json")
    assert response.status_code == 200
    return response.content


def _verify(tmp_path, content: bytes) -> subprocess.CompletedProcess:
    (tmp_path / "verify.py").write_text(verify_source())
    (tmp_path / "report.json").write_bytes(content)
    return subprocess.run(
        [PYTHON, "-I", "verify.py", "report.json"], cwd=tmp_path, capture_output=True,
        text=True, check=False, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_anyone_recomputes_a_published_report(shop, report, tmp_path):
    body = json.loads(report)
    assert body["totals"]["revenue"] == 999_99 and body["totals"]["costs"] == 100_01
    assert body["rates"] == {"creator_bp": 1000, "platform_fee_bp": 1500}
    names = [c["member"] for c in body["shares"]["contributors"]]
    assert names == sorted(
        [pseudonym(product_id=shop.product.pk, member_id=m.pk) for m in (shop.alice, shop.bob)],
        key=lambda n: names.index(n),
    )
    assert "alice" not in report.decode() and "bob" not in report.decode()
    done = _verify(tmp_path, report)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "OK: 4 shares, total 899.98 EUR"


@pytest.mark.parametrize(
    "change, named",
    [
        (lambda b: b["shares"]["contributors"][0].update(weight=4), "contributor 1"),
        (lambda b: b["shares"]["contributors"][1].update(share=1), "contributor 2"),
        (lambda b: b["sales"]["channels"][0].update(gross=1), "sales channel 1"),
        (lambda b: b["costs"]["adjustments"][0].update(costs=1), "totals.costs"),
        (lambda b: b["shares"]["creator"].update(share=0), "shares.creator"),
    ],
)
def test_any_change_to_the_report_exits_1_naming_what_differs(report, tmp_path, change, named):
    body = json.loads(report)
    change(body)
    # Someone who also rewrote the hash still fails on the numbers.
    from sales.verify_main import canonical

    body["sha256"] = hashlib.sha256(canonical(body)).hexdigest()
    done = _verify(tmp_path, json.dumps(body).encode())
    assert done.returncode == 1
    assert done.stdout.startswith("DIFFERENT: ") and named in done.stdout


def test_a_changed_report_without_a_new_hash_fails_on_the_hash(report, tmp_path):
    body = json.loads(report)
    body["period"]["end"] = "2026-02-28"
    done = _verify(tmp_path, json.dumps(body).encode())
    assert done.returncode == 1 and "sha256" in done.stdout


def test_the_stored_hash_is_the_reports_and_stays(report, client_for, shop):
    from sales.models import SettlementReport

    stored = SettlementReport.objects.get()
    assert json.loads(report)["sha256"] == stored.sha256
    again = client_for(shop.alice).get(f"/api/v1/settlements/{stored.settlement_id}/report.json")
    assert again.content == report


def test_the_shipped_verify_py_is_the_generated_one(client):
    assert SHIPPED.read_text() == verify_source()
    served = client.get("/verify.py")
    assert served.status_code == 200 and served.content.decode() == verify_source()


def test_an_unposted_settlement_has_no_report(shop, client_for):
    assert client_for(None).get("/api/v1/settlements/999999/report.json").status_code == 404


def test_expenses_charged_to_revenue_are_costs_with_their_receipts_hash(
    shop, import_file, tmp_path, client_for
):
    from tests.products.test_revenue_costs import _expense

    import_file(shopify_file(order_rows("#9", day="2026-01-03", items=[(1, "500.00")])))
    spent = _expense(shop.product, shop.creator, on=date(2026, 1, 7), amount=120_00)
    _expense(shop.product, shop.creator, on=date(2026, 1, 8), amount=7, charged_to="funds")
    period = services.period_compute(
        product=shop.product, start=date(2026, 1, 1), end=date(2026, 1, 31), notes="",
        actor=shop.finance,
    )  # fmt: skip
    assert (period.revenue, period.costs) == (500_00, 120_00)
    settlement = payouts_services.period_settle(period=period, actor=shop.finance)
    payouts_services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    payouts_services.settlement_approve(settlement=settlement, actor=shop.finance2)
    payouts_services.settlement_post(settlement_id=settlement.pk)
    content = client_for(None).get(f"/api/v1/settlements/{settlement.pk}/report.json").content
    (expense,) = json.loads(content)["costs"]["expenses"]
    assert (expense["amount"], expense["receipt_sha256"]) == (120_00, spent.receipt_sha256)
    done = _verify(tmp_path, content)
    assert done.returncode == 0 and done.stdout.startswith("OK: 4 shares, total 380.00 EUR")
