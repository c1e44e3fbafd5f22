"""Exports that are safe and useful: no cell a spreadsheet would run, XLSX amounts that add up
and dates that are dates, the same bytes from PostgreSQL's COPY as from the portable path, and
only finance (or the member, for their own statement) may download them."""

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from openpyxl import load_workbook

from core.money import to_decimal
from core.spreadsheet import FORMULA_STARTS, safe_text
from ideas.models import Idea
from payouts import exports, services
from payouts.models import LedgerEntry
from payouts.money import sql_safe_text
from tests.factories import FUNDED_AT, approve_contribution, make_product

pytestmark = pytest.mark.django_db

HOSTILE = {
    "alice": '=HYPERLINK("http://evil","x")',
    "bob": "+1",
    "creator": "@SUM(A1)",
}
HOSTILE_TITLE = "-2+3"
HOSTILE_REFERENCE = "=cmd|' /C calc'!A0"


@pytest.fixture
def hostile(team, record, settle_and_post):
    """A posted settlement whose names and title start like formulas, and a paid batch whose
    bank reference does too."""
    for who, name in HOSTILE.items():
        member = getattr(team, who)
        member.display_name = name
        member.save(update_fields=["display_name"])
    Idea.objects.filter(pk=team.product.idea_id).update(title=HOSTILE_TITLE)
    settle_and_post(record())
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    return services.payout_batch_mark_paid(
        batch=batch, reference=HOSTILE_REFERENCE, actor=team.finance2
    )


def _body(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def _csv_rows(response) -> list[dict]:
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _sheet_rows(response) -> tuple[list[str], list[tuple]]:
    """The header and the cells (read-only openpyxl cells, with value and number format); the
    workbook has no formula anywhere (no ``<f>`` element in any sheet)."""
    body = _body(response)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
    book = load_workbook(io.BytesIO(body), read_only=True)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows()]
    return [c.value for c in rows[0]], rows[1:]


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _runnable_csv_cells(rows: list[dict]) -> list[str]:
    return [
        value
        for row in rows
        for value in row.values()
        if value.startswith(FORMULA_STARTS) and not _is_number(value)
    ]


def _runnable_xlsx_cells(rows: list[tuple]) -> list[object]:
    """Cells a spreadsheet would evaluate: any that is not a string, number or date cell."""
    return [cell.value for row in rows for cell in row if cell.data_type not in ("s", "n", "d")]


def _major(amount_sum) -> Decimal:
    return to_decimal(amount_sum or 0, "EUR")


def _ledger_sum(**filters) -> Decimal:
    totals = LedgerEntry.objects.filter(transaction__posted_at__isnull=False, **filters).aggregate(
        credit=Sum("credit"), debit=Sum("debit")
    )
    return _major((totals["credit"] or 0) - (totals["debit"] or 0))


def _shares_sum() -> Decimal:
    """What the posted settlements credited to members, in major units."""
    return _ledger_sum(transaction__kind="settlement", account__kind="member_payable")


def test_the_ledger_csv_neutralises_every_formula_and_keeps_the_text(team, hostile, client_for):
    rows = _csv_rows(client_for(team.finance).get("/api/v1/ledger/export.csv"))
    assert rows and _runnable_csv_cells(rows) == []
    names = {r["member_name"] for r in rows}
    assert {"'" + name for name in HOSTILE.values()} <= names
    assert {r["product"] for r in rows if r["kind"] == "settlement"} == {"'" + HOSTILE_TITLE}
    assert sum(Decimal(r["amount"]) for r in rows) == 0
    shares = [r for r in rows if (r["kind"], r["account"]) == ("settlement", "member_payable")]
    assert sum(Decimal(r["amount"]) for r in shares) == _shares_sum() > 0


def test_the_ledger_xlsx_has_safe_text_numeric_amounts_and_real_dates(team, hostile, client_for):
    header, rows = _sheet_rows(client_for(team.finance).get("/api/v1/ledger/export.xlsx"))
    assert header == exports.COLUMNS
    assert rows and _runnable_xlsx_cells(rows) == []
    col = {name: i for i, name in enumerate(header)}
    names = {row[col["member_name"]].value for row in rows}
    assert set(HOSTILE.values()) <= names  # string cells, as typed: no apostrophe shows

    amounts = [row[col["amount"]] for row in rows]
    assert all(isinstance(c.value, int | float | Decimal) for c in amounts)
    assert {c.number_format for c in amounts} == {"#,##0.00"}
    as_decimal = [Decimal(str(c.value)) for c in amounts]
    assert sum(as_decimal) == 0 == _ledger_sum()
    shares = [
        Decimal(str(row[col["amount"]].value))
        for row in rows
        if (row[col["kind"]].value, row[col["account"]].value) == ("settlement", "member_payable")
    ]
    assert sum(shares) == _shares_sum() > 0

    dates = [row[col["posted_at"]].value for row in rows]
    assert all(isinstance(d, datetime) for d in dates)
    now = datetime.now(UTC).replace(tzinfo=None)
    assert all(abs(now - d) < timedelta(minutes=5) for d in dates)  # UTC, not local time


def test_the_batch_csv_and_xlsx_are_safe_and_add_up_to_the_batch(team, hostile, client_for):
    finance = client_for(team.finance)
    url = f"/api/v1/payout-batches/{hostile.pk}/export"
    rows = _csv_rows(finance.get(url + ".csv"))
    assert _runnable_csv_cells(rows) == []
    assert {r["reference"] for r in rows} == {"'" + HOSTILE_REFERENCE}
    assert sum(Decimal(r["amount"]) for r in rows) == _major(hostile.total)

    header, cells = _sheet_rows(finance.get(url + ".xlsx"))
    assert header == exports.BATCH_COLUMNS
    assert len(cells) == hostile.item_count and _runnable_xlsx_cells(cells) == []
    col = {name: i for i, name in enumerate(header)}
    amounts = [row[col["amount"]] for row in cells]
    assert all(isinstance(c.value, int | float | Decimal) for c in amounts)
    assert {c.number_format for c in amounts} == {"#,##0.00"}
    assert sum(Decimal(str(c.value)) for c in amounts) == _major(hostile.total)
    assert all(isinstance(row[col["posted_at"]].value, datetime) for row in cells)
    assert {row[col["reference"]].value for row in cells} == {HOSTILE_REFERENCE}
    assert {row[col["reference"]].data_type for row in cells} == {"s"}


def test_the_statement_csv_is_safe_and_lists_the_share_and_the_payout(team, hostile, client_for):
    rows = _csv_rows(client_for(team.alice).get("/api/v1/me/earnings/statement.csv"))
    assert _runnable_csv_cells(rows) == []
    assert [(r["type"], r["product"], r["reference"]) for r in rows] == [
        ("share", "'" + HOSTILE_TITLE, rows[0]["reference"]),
        ("payout", "", "'" + HOSTILE_REFERENCE),
    ]
    assert sum(Decimal(r["amount"]) for r in rows) == 0  # paid out in full
    assert all(r["date"].endswith("Z") for r in rows)


@pytest.mark.parametrize(
    "currency, number_format, amount",
    [("JPY", "#,##0", Decimal("100000")), ("EUR", "#,##0.00", Decimal("1000.00")),
     ("KWD", "#,##0.000", Decimal("100.000"))],
)  # fmt: skip
def test_xlsx_amounts_carry_their_currency_s_decimals(
    team, record, settle_and_post, currency, number_format, amount
):
    product = make_product(
        team.creator, currency=currency, title=f"Lamp {currency}", funded_at=FUNDED_AT
    )
    approve_contribution(product, team.alice, 1)
    settle_and_post(record(product=product, revenue=100_000))
    handle = exports.ledger_xlsx(
        exports.LedgerFilters(product_id=product.pk, account="profit_pool")
    )
    rows = list(load_workbook(handle, read_only=True).worksheets[0].iter_rows())
    col = exports.COLUMNS.index("amount")
    (revenue,) = [row[col] for row in rows[1:]]
    assert revenue.number_format == number_format
    assert Decimal(str(revenue.value)) == -amount


def test_safe_text_neutralises_each_formula_start_and_nothing_else():
    for start in FORMULA_STARTS:
        assert safe_text(start + "x") == "'" + start + "x"
    assert [safe_text(v) for v in ("Lamp", " =x", "x=1", "'=x", "", None)] == [
        "Lamp", " =x", "x=1", "'=x", "", "",
    ]  # fmt: skip


def test_an_error_code_as_a_title_stays_text_in_xlsx(team, record, settle_and_post):
    Idea.objects.filter(pk=team.product.idea_id).update(title="#N/A")
    settle_and_post(record())
    handle = exports.ledger_xlsx(exports.LedgerFilters(account="profit_pool"))
    rows = list(load_workbook(handle, read_only=True).worksheets[0].iter_rows())
    product = exports.COLUMNS.index("product")
    assert {row[product].data_type for row in rows[1:]} == {"s"}
    assert {row[product].value for row in rows[1:]} == {"#N/A"}


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_missing_batch_is_a_404_for_finance_and_a_403_for_a_member(team, client_for, fmt):
    url = f"/api/v1/payout-batches/987654/export.{fmt}"
    assert client_for(team.finance).get(url).status_code == 404
    assert client_for(team.alice).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 401


def test_the_statement_needs_a_sign_in_and_shows_only_one_s_own_lines(
    team, hostile, client_for, client
):
    assert client_for(None).get("/api/v1/me/earnings/statement.csv").status_code == 401
    page = client.get("/me/earnings/statement.csv")
    assert page.status_code == 302 and "/login" in page["Location"]
    assert _csv_rows(client_for(team.outsider).get("/api/v1/me/earnings/statement.csv")) == []
    bob = _csv_rows(client_for(team.bob).get("/api/v1/me/earnings/statement.csv"))
    line = hostile.items.get(member=team.bob).amount
    assert [Decimal(r["amount"]) for r in bob] == [_major(line), -_major(line)]


# --- PostgreSQL: COPY writes the same bytes -----------------------------------------------------


TRICKY = [
    "=x",
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'=x",
    " =x",
    "0-1",
    "Ab",
    "[x",
    "x=1",
    "é",
    "",
    None,
]


def test_the_sql_twin_neutralises_exactly_like_safe_text():
    with connection.cursor() as cursor:
        for value in TRICKY:
            cursor.execute(f"SELECT {sql_safe_text('v')} FROM (SELECT %s::text AS v) AS x", [value])
            got = cursor.fetchone()[0]
            assert (got if got is not None else "") == safe_text(value), repr(value)


def test_copy_and_the_portable_path_give_the_same_bytes_for_hostile_text(team, hostile):
    filters = exports.LedgerFilters()
    via_copy = exports.as_text(exports.ledger_csv(filters))
    portable = exports.as_text(exports.csv_stream(exports.COLUMNS, exports.ledger_rows(filters)))
    assert via_copy == portable and "'=HYPERLINK" in via_copy
    batch_copy = exports.as_text(exports.batch_csv(hostile))
    batch_portable = exports.as_text(
        exports.csv_stream(exports.BATCH_COLUMNS, exports.batch_rows(hostile))
    )
    assert batch_copy == batch_portable and "'" + HOSTILE_REFERENCE in batch_copy
