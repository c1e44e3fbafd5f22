"""The ledger export, read by hledger: a product's funds, its spending, the refunds after its
abandonment and its profit are separate accounts, every transaction balances (hledger refuses a
journal where one does not), the accounts add up to zero, and each member's payable is what
their earnings page shows."""

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from payouts import services as payouts
from payouts.selectors import member_balances
from products.money.services.expenses import expense_approve, expense_mark_paid, expense_submit
from products.money.services.refunds import refund_confirm, refunds_start
from tests.factories import approve_contribution, book_totals
from tests.products.conftest import receipt

pytestmark = pytest.mark.django_db


def journal(rows: list[dict]) -> str:
    """One hledger transaction per ledger transaction; one account per kind and owner."""
    by_tx: dict[str, list[dict]] = {}
    for row in rows:
        by_tx.setdefault(row["transaction_id"], []).append(row)
    lines = []
    for tx_id, entries in by_tx.items():
        lines.append(f"{entries[0]['posted_at'][:10]} #{tx_id} {entries[0]['kind']}")
        for e in entries:
            owner = f":m{e['member_id']}" if e["member_id"] else ""
            if not owner and e["account"].startswith(("product_", "profit_pool")):
                owner = f":p{e['product_id']}"
            lines.append(f"    {e['account']}{owner}  {e['amount']} {e['currency']}")
        lines.append("")
    return "\n".join(lines)


def hledger_balances(text: str, tmp_path) -> dict[str, Decimal]:
    path = tmp_path / "ledger.journal"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run(
        ["hledger", "-f", str(path), "balance", "--flat", "--no-elide", "-O", "csv"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    balances = {}
    for row in csv.reader(io.StringIO(out)):
        if row and row[0] not in ("account",):
            balances[row[0]] = Decimal(row[1].split()[0].replace(",", "") or 0)
    return balances


def test_funds_spending_refunds_and_profit_are_separate_accounts_and_reconcile(
    people, paid_product, spend, client_for, tmp_path, django_capture_on_commit_callbacks
):
    product = paid_product()  # 1,000.00 collected
    spend(product, 30_000)  # to a supplier
    spend(product, 7_000, description="Design work", supplier=None) if False else None  # noqa: B018 (the member payee below)
    # Design work by a member: her payable account, paid with the next batch.
    work = expense_submit(
        product=product, member=people.carla, description="Design work", amount=7_000,
        spent_on=date.today(), charged_to="funds", payee_kind="member",
        payee_member=people.dora, receipt=receipt(),
    )  # fmt: skip
    expense_approve(expense=work, actor=people.fiona)
    expense_mark_paid(expense=work, actor=people.felix)

    # A month of sales: a posted settlement debits the profit pool.
    approve_contribution(product, people.dora, 5)
    today = date.today()
    book_totals(product, day=today, revenue=20_000, by=people.fiona)
    period = payouts.period_record(product=product, start=today, end=today, actor=people.fiona)
    settlement = payouts.period_settle(period=period, actor=people.fiona)
    payouts.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    payouts.settlement_approve(settlement=settlement, actor=people.felix)
    payouts.settlement_post(settlement_id=settlement.pk)

    with django_capture_on_commit_callbacks(execute=True):
        refunds = refunds_start(product=product, abandonment_id=1)
    for refund in refunds:
        refund_confirm(refund=refund, actor=people.felix, reference="back")

    answer = client_for(people.fiona).get("/api/v1/ledger/export.csv")
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    balances = hledger_balances(journal(rows), tmp_path)
    p = f"p{product.pk}"

    assert balances["collected"] == Decimal("-1000.00")
    assert balances.get(f"product_funds:{p}", Decimal(0)) == 0  # refunded to the last cent
    assert balances[f"product_spent:{p}"] == Decimal("300.00")  # paid to suppliers
    assert balances.get(f"product_committed:{p}", Decimal(0)) == 0
    assert balances["returned"] == Decimal("630.00")  # 1,000 − 300 − 70 given back
    assert balances[f"profit_pool:{p}"] == Decimal("-200.00")  # the profit, not the refunds
    assert sum(balances.values()) == 0  # everything reconciles
    for member in (people.carla, people.dora):
        shown = Decimal(member_balances(member_id=member.pk).get("EUR", 0)) / 100
        assert balances.get(f"member_payable:m{member.pk}", Decimal(0)) == shown
    assert balances[f"member_payable:m{people.dora.pk}"] >= Decimal("70.00")  # design work
