"""The payouts API: who may do what, bad input, and the shapes other tools rely on."""

import csv
import io
from datetime import date

import pytest

from core.errors import NotAllowed
from payouts import services
from payouts.models import LedgerTransaction, Settlement
from tests.factories import book_totals

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-01-31"}  # totals: computed from the lines


@pytest.fixture
def as_(team, client_for):
    def make(who):
        return client_for(None if who == "anonymous" else getattr(team, who))

    return make


def _settle_to_preview(team, record, captured):
    period = record()
    with captured(execute=True):
        settlement = services.period_settle(period=period, actor=team.finance)
    settlement.refresh_from_db()
    assert settlement.status == "preview"
    return settlement


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 201)],
)
def test_who_may_record_a_period(team, as_, who, code):
    book_totals(team.product, day=date(2026, 1, 3), revenue=100_000, costs=20_000)
    response = as_(who).post(f"/api/v1/products/{team.product.pk}/periods/", PERIOD)
    assert response.status_code == code
    if code == 201:
        assert response.json()["profit"] == 80_000
        assert response.json()["currency"] == "EUR"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"costs": 12.5}, "costs"),
        ({"costs": 200.0}, "costs"),
        ({"revenue": "lots"}, "revenue"),
        ({"revenue": -1}, "revenue"),
        ({"start": "2026-13-01"}, "start"),
        ({"end": "2025-12-01"}, "end"),
    ],
)
def test_bad_period_input_is_a_400_naming_the_field(team, as_, change, field):
    response = as_("finance").post(
        f"/api/v1/products/{team.product.pk}/periods/", {**PERIOD, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_an_overlapping_period_is_a_400(team, as_):
    url = f"/api/v1/products/{team.product.pk}/periods/"
    assert as_("finance").post(url, PERIOD).status_code == 201
    response = as_("finance").post(url, {**PERIOD, "start": "2026-01-20", "end": "2026-02-20"})
    assert response.status_code == 400
    assert "start" in response.json()["error"]["fields"]


# --- settle, read, approve ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 202)],
)
def test_who_may_settle_a_period(team, record, as_, who, code, django_capture_on_commit_callbacks):
    period = record()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_(who).post(f"/api/v1/periods/{period.pk}/settle/")
    assert response.status_code == code
    if code == 202:
        assert response.json()["status"] == "queued"
        assert Settlement.objects.get(period=period).status == "preview"


def test_settling_a_period_twice_is_409(team, record, as_, django_capture_on_commit_callbacks):
    period = record()
    with django_capture_on_commit_callbacks(execute=True):
        as_("finance").post(f"/api/v1/periods/{period.pk}/settle/")
    response = as_("finance2").post(f"/api/v1/periods/{period.pk}/settle/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_settled"


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance2", 200)],
)
def test_who_may_read_a_settlement(
    team, record, as_, who, code, django_capture_on_commit_callbacks
):
    settlement = _settle_to_preview(team, record, django_capture_on_commit_callbacks)
    response = as_(who).get(f"/api/v1/settlements/{settlement.pk}/")
    assert response.status_code == code
    if code == 200:
        body = response.json()
        assert (body["status"], body["progress"]) == ("preview", 100)
        roles = {(line["role"], line["member"]) for line in body["lines"]}
        assert roles == {
            ("creator", team.creator.pk),
            ("contributor", team.alice.pk),
            ("contributor", team.bob.pk),
            ("platform", None),
        }
        assert sum(line["amount"] for line in body["lines"]) == settlement.distributable


@pytest.mark.parametrize(
    "who, code",
    [
        ("anonymous", 401),
        ("alice", 403),
        ("creator", 403),
        ("reviewer", 403),
        ("finance", 403),  # the finance member who closed the period: four eyes
        ("finance2", 202),  # accepted; posting runs on commit (here: leaving the block)
    ],
)
def test_who_may_approve_a_settlement(
    team, record, as_, who, code, django_capture_on_commit_callbacks
):
    settlement = _settle_to_preview(team, record, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_(who).post(f"/api/v1/settlements/{settlement.pk}/approve/")
    assert response.status_code == code
    settlement.refresh_from_db()
    assert settlement.status == ("posted" if code == 202 else "preview")
    posted = LedgerTransaction.objects.filter(settlement=settlement, posted_at__isnull=False)
    assert posted.count() == (code == 202)


def test_approving_a_posted_settlement_is_409(
    team, record, as_, django_capture_on_commit_callbacks
):
    settlement = _settle_to_preview(team, record, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            as_("finance2").post(f"/api/v1/settlements/{settlement.pk}/approve/").status_code == 202
        )
    response = as_("finance2").post(f"/api/v1/settlements/{settlement.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_posted"


# --- ledger exports -----------------------------------------------------------------------------


@pytest.fixture
def posted(team, record, settle_and_post):
    return settle_and_post(record())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_export_the_ledger(posted, as_, who, code, fmt):
    response = as_(who).get(f"/api/v1/ledger/export.{fmt}")
    assert response.status_code == code


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_ledger_csv_has_the_spec_columns_and_balances(team, posted, as_):
    rows = _csv(as_("finance").get("/api/v1/ledger/export.csv"))
    assert list(rows[0]) == [
        "entry_id", "transaction_id", "posted_at", "kind", "product_id", "product",
        "member_id", "member_name", "account_id", "account", "currency", "amount",
        "payout_batch_id", "payout_reference", "description",
    ]  # fmt: skip
    assert len(rows) == 5
    from decimal import Decimal

    assert sum(Decimal(r["amount"]) for r in rows) == 0
    alice = [r for r in rows if r["member_id"] == str(team.alice.pk)]
    line = posted.lines.get(member=team.alice).amount
    assert alice[0]["amount"] == f"{line // 100}.{line % 100:02d}"
    assert alice[0]["member_name"] == "alice" and alice[0]["product"] == "Lamp"
    assert alice[0]["posted_at"].endswith("Z") and alice[0]["kind"] == "settlement"


def test_the_ledger_export_filters_by_member_account_product_and_dates(team, posted, as_):
    get = as_("finance").get
    assert len(_csv(get(f"/api/v1/ledger/export.csv?member={team.alice.pk}"))) == 1
    assert len(_csv(get("/api/v1/ledger/export.csv?account=platform_revenue"))) == 1
    assert len(_csv(get(f"/api/v1/ledger/export.csv?product={team.product.pk}"))) == 5
    assert len(_csv(get(f"/api/v1/ledger/export.csv?product={team.product.pk + 99}"))) == 0
    today = date.today().isoformat()
    assert len(_csv(get(f"/api/v1/ledger/export.csv?from={today}&to={today}"))) == 5
    assert len(_csv(get("/api/v1/ledger/export.csv?to=2020-01-01"))) == 0


@pytest.mark.parametrize(
    "query, field",
    [("from=2026-02-30", "from"), ("to=yesterday", "to"), ("member=x", "member"),
     ("account=cash", "account"), ("from=2026-1-1", "from"),
     # Strict ids (issue 10): superscripts, other scripts' digits, beyond bigint.
     ("member=³", "member"), ("product=١٢", "product"), ("account=²", "account"),
     ("product=99999999999999999999999", "product")],
)  # fmt: skip
def test_exporting_with_a_malformed_filter_is_a_400(posted, as_, query, field):
    response = as_("finance").get(f"/api/v1/ledger/export.csv?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_the_xlsx_export_holds_the_same_rows(team, posted, as_):
    from openpyxl import load_workbook

    response = as_("finance").get("/api/v1/ledger/export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "entry_id" and len(rows) == 6


def test_the_xlsx_export_continues_on_a_new_sheet_past_the_row_limit(team, posted):
    from openpyxl import load_workbook

    from payouts import exports

    handle = exports.ledger_xlsx(exports.LedgerFilters(), max_rows=3)  # header + 2 rows
    book = load_workbook(handle, read_only=True)
    sizes = [len(list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    assert sizes == [3, 3, 2]
    assert all(next(s.iter_rows(values_only=True))[0] == "entry_id" for s in book.worksheets)


# --- payout batches -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 201)],
)
def test_who_may_create_a_payout_batch(posted, as_, who, code):
    response = as_(who).post("/api/v1/payout-batches/", {"currency": "EUR"})
    assert response.status_code == code


def test_a_batch_pays_balances_at_or_above_the_minimum_and_carries_smaller_ones(
    team, posted, as_, settings
):
    bob = posted.lines.get(member=team.bob).amount
    alice = posted.lines.get(member=team.alice).amount
    creator = posted.creator_amount
    assert creator < min(alice, bob)
    settings.MINIMUM_PAYOUT = creator + 1  # the creator's 10 % is below it; alice and bob not
    response = as_("finance").post("/api/v1/payout-batches/", {"currency": "EUR"})
    assert response.status_code == 201
    batch = response.json()
    assert (batch["item_count"], batch["total"]) == (2, alice + bob)

    second = as_("finance2").post("/api/v1/payout-batches/", {"currency": "EUR"})
    assert second.status_code == 409  # one open batch per currency

    rows = _csv(as_("finance").get(f"/api/v1/payout-batches/{batch['id']}/export.csv"))
    assert {r["member_id"] for r in rows} == {str(team.alice.pk), str(team.bob.pk)}

    paid = as_("finance2").post(
        f"/api/v1/payout-batches/{batch['id']}/mark-paid/", {"reference": "SEPA-2026-001"}
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    earnings = as_("alice").get("/api/v1/me/earnings/").json()
    assert earnings["balances"] == {"EUR": 0}
    assert earnings["payouts"][0]["reference"] == "SEPA-2026-001"
    assert as_("creator").get("/api/v1/me/earnings/").json()["balances"] == {"EUR": creator}
    again = as_("finance2").post(
        f"/api/v1/payout-batches/{batch['id']}/mark-paid/", {"reference": "again"}
    )
    assert again.status_code == 409


@pytest.fixture
def batch(team, posted):
    return services.payout_batch_create(currency="EUR", actor=team.finance)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_export_a_payout_batch(batch, as_, who, code, fmt):
    assert as_(who).get(f"/api/v1/payout-batches/{batch.pk}/export.{fmt}").status_code == code


@pytest.mark.parametrize(
    "who, code",
    [
        ("anonymous", 401),
        ("alice", 403),
        ("creator", 403),
        ("reviewer", 403),
        ("finance", 403),  # created the batch: four eyes
        ("finance2", 200),
    ],
)
def test_who_may_mark_a_batch_paid(batch, as_, who, code):
    response = as_(who).post(f"/api/v1/payout-batches/{batch.pk}/mark-paid/", {"reference": "R1"})
    assert response.status_code == code


def test_the_creator_of_a_batch_cannot_mark_it_paid(team, batch, as_):
    response = as_("finance").post(
        f"/api/v1/payout-batches/{batch.pk}/mark-paid/", {"reference": "R1"}
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "four_eyes"
    assert error["message"] == "A second finance member must mark this batch paid: you created it."
    batch.refresh_from_db()
    assert batch.status == "open"
    with pytest.raises(NotAllowed):
        services.payout_batch_mark_paid(batch=batch, reference="R1", actor=team.finance)


def test_marking_paid_needs_a_reference(batch, as_):
    response = as_("finance2").post(f"/api/v1/payout-batches/{batch.pk}/mark-paid/", {})
    assert response.status_code == 400
    assert "reference" in response.json()["error"]["fields"]


def test_a_batch_in_a_bad_currency_is_a_400(posted, as_):
    response = as_("finance").post("/api/v1/payout-batches/", {"currency": "E1"})
    assert response.status_code == 400
    assert "currency" in response.json()["error"]["fields"]


# --- earnings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who, code", [("anonymous", 401), ("alice", 200), ("finance", 200)])
def test_who_may_read_earnings(posted, as_, who, code):
    assert as_(who).get("/api/v1/me/earnings/").status_code == code
    assert as_(who).get("/api/v1/me/earnings/statement.csv").status_code == code


def test_a_member_sees_only_their_own_earnings(team, posted, as_):
    alice = as_("alice").get("/api/v1/me/earnings/").json()
    line = posted.lines.get(member=team.alice).amount
    assert alice["balances"] == {"EUR": line}
    assert [(s["role"], s["amount"], s["product_title"]) for s in alice["shares"]] == [
        ("contributor", line, "Lamp")
    ]
    outsider = as_("outsider").get("/api/v1/me/earnings/").json()
    assert outsider == {"balances": {}, "shares": [], "payouts": []}


def test_the_statement_lists_every_share(team, posted, as_):
    rows = _csv(as_("alice").get("/api/v1/me/earnings/statement.csv"))
    assert [(r["type"], r["role"], r["currency"]) for r in rows] == [
        ("share", "contributor", "EUR")
    ]
    # Each share links to the public report it can be recomputed from.
    assert rows[0]["report"].endswith(f"/api/v1/settlements/{posted.pk}/report.json")


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_list_periods_and_batches(team, posted, as_, who, code):
    periods = as_(who).get(f"/api/v1/products/{team.product.pk}/periods/")
    batches = as_(who).get("/api/v1/payout-batches/")
    assert (periods.status_code, batches.status_code) == (code, code)
    if code == 200:
        assert [p["settlement"] for p in periods.json()] == [posted.pk]


def test_unknown_periods_settlements_and_batches_are_404(team, as_):
    assert as_("finance").post("/api/v1/periods/999/settle/").status_code == 404
    assert as_("finance").get("/api/v1/settlements/999/").status_code == 404
    assert as_("finance2").post("/api/v1/settlements/999/approve/").status_code == 404
    assert as_("finance").get("/api/v1/payout-batches/999/export.csv").status_code == 404
    assert as_("finance").post("/api/v1/products/999/periods/", PERIOD).status_code == 404


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_cancel_an_open_batch(batch, as_, who, code):
    response = as_(who).post(f"/api/v1/payout-batches/{batch.pk}/cancel/")
    assert response.status_code == code
    if code == 200:
        assert response.json()["status"] == "cancelled"
        assert as_(who).post(f"/api/v1/payout-batches/{batch.pk}/cancel/").status_code == 409
        # The balances are free again: a new batch can take them.
        assert as_(who).post("/api/v1/payout-batches/", {"currency": "EUR"}).status_code == 201


def test_a_batch_is_not_paid_beyond_a_balance_reversed_since(team, posted, batch, as_):
    from payouts.models import LedgerTransaction

    tx = LedgerTransaction.objects.get(settlement=posted)
    services.ledger_transaction_reverse(ledger_transaction=tx, actor=team.finance, reason="error")
    response = as_("finance2").post(
        f"/api/v1/payout-batches/{batch.pk}/mark-paid/", {"reference": "R1"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "balance_changed"
    batch.refresh_from_db()
    assert batch.status == "open"
    assert not LedgerTransaction.objects.filter(kind="payout").exists()


def test_members_paid_in_a_batch_are_told_its_reference(team, batch, as_):
    from notifications.models import Notification

    as_("finance2").post(f"/api/v1/payout-batches/{batch.pk}/mark-paid/", {"reference": "SEPA-77"})
    note = Notification.objects.get(recipient=team.alice, kind="payout_paid")
    assert "SEPA-77" in note.text
