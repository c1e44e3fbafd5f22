"""Putting periods and settlements right: dates a period may have, correcting and deleting an
unsettled period, discarding a preview, reversing a posted settlement with four eyes, and a
payout batch marked paid by someone other than its creator."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Sum
from django.test import Client

from core.errors import Conflict, NotAllowed
from payouts import selectors, services
from payouts.models import LedgerEntry, LedgerTransaction, Period, Settlement
from tests.factories import FUNDED_AT, book_totals

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-01-31"}  # totals: computed from the lines


@pytest.fixture
def as_(team, client_for):
    def make(who):
        return client_for(None if who == "anonymous" else getattr(team, who))

    return make


def _preview(team, period):
    settlement = services.period_settle(period=period, actor=team.finance)
    return services.settlement_run(settlement_id=settlement.pk)


def _ledger_fingerprint():
    """How many posted entries there are and a checksum over every one of their columns."""
    rows = list(
        LedgerEntry.objects.filter(transaction__posted_at__isnull=False)
        .order_by("id")
        .values_list("id", "transaction_id", "account_id", "debit", "credit")
    )
    return len(rows), hash(tuple(rows))


def _every_transaction_balances() -> bool:
    sums = LedgerTransaction.objects.annotate(d=Sum("entries__debit"), c=Sum("entries__credit"))
    return all(t.d == t.c for t in sums)


# --- the dates and amounts a period may have ------------------------------------------------


def test_a_period_ending_in_the_future_is_a_400(team, as_):
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    body = {**PERIOD, "end": tomorrow.isoformat()}
    response = as_("finance").post(f"/api/v1/products/{team.product.pk}/periods/", body)
    assert response.status_code == 400
    assert "today" in response.json()["error"]["fields"]["end"][0]
    assert not Period.objects.exists()


def test_a_period_ending_today_is_recorded(team, as_):
    today = datetime.now(UTC).date()
    body = {**PERIOD, "start": today.isoformat(), "end": today.isoformat()}
    response = as_("finance").post(f"/api/v1/products/{team.product.pk}/periods/", body)
    assert response.status_code == 201


def test_a_period_starting_before_the_product_was_funded_is_a_400(team, as_):
    body = {**PERIOD, "start": "2025-11-30"}  # funded on 2025-12-01
    response = as_("finance").post(f"/api/v1/products/{team.product.pk}/periods/", body)
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["start"][0]
    assert message == (
        f"Choose a start on or after {FUNDED_AT.date()}, the day the product was funded."
    )


def test_the_funding_day_is_the_ideas_move_to_funded(team):
    from ideas.models import IdeaTransition

    moved = IdeaTransition.objects.filter(idea=team.product.idea, to_status="funded")
    assert moved.count() == 1
    moved.update(created_at=datetime(2026, 2, 10, 15, tzinfo=UTC))
    assert selectors.product_funded_on(product=team.product) == date(2026, 2, 10)


@pytest.mark.parametrize("field", ["revenue", "costs"])
@pytest.mark.parametrize("value", [2**63, 2**63 - 1, 10**15 + 1])
def test_amounts_beyond_what_the_database_sums_are_a_400_naming_the_field(team, as_, field, value):
    body = {**PERIOD, field: value}
    response = as_("finance").post(
        f"/api/v1/products/{team.product.pk}/periods/", body, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Period.objects.exists()


# --- correcting and deleting a period -------------------------------------------------------


def test_finance_corrects_an_unsettled_period(team, record, as_):
    period = record(revenue=100_000)
    book_totals(team.product, day=date(2026, 1, 31), revenue=10_000)  # left out by the new end
    response = as_("finance").patch(
        f"/api/v1/periods/{period.pk}/", {"end": "2026-01-30"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["revenue"], response.json()["end"]) == (100_000, "2026-01-30")
    period.refresh_from_db()
    assert (period.revenue, period.end) == (100_000, date(2026, 1, 30))
    typed = as_("finance").patch(f"/api/v1/periods/{period.pk}/", {"revenue": 1}, format="json")
    assert typed.status_code == 400 and list(typed.json()["error"]["fields"]) == ["revenue"]


def test_a_correction_is_checked_like_a_new_period(team, record, as_):
    record()
    second = record(start=date(2026, 2, 1), end=date(2026, 2, 28))
    url = f"/api/v1/periods/{second.pk}/"
    overlap = as_("finance").patch(url, {"start": "2026-01-15"}, format="json")
    assert overlap.status_code == 400 and "overlap" in overlap.json()["error"]["fields"]["start"][0]
    future = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    assert as_("finance").patch(url, {"end": future}, format="json").status_code == 400
    huge = as_("finance").patch(url, {"costs": 2**63}, format="json")
    assert huge.status_code == 400 and list(huge.json()["error"]["fields"]) == ["costs"]
    second.refresh_from_db()
    assert (second.start, second.costs) == (date(2026, 2, 1), 0)


def test_finance_deletes_an_unsettled_period(team, record, as_):
    period = record()
    assert as_("finance").delete(f"/api/v1/periods/{period.pk}/").status_code == 204
    assert not Period.objects.exists()


def test_a_period_with_a_posted_settlement_is_neither_corrected_nor_deleted(
    team, posted_settlement, as_
):
    url = f"/api/v1/periods/{posted_settlement.period_id}/"
    corrected = as_("finance").patch(url, {"notes": "again"}, format="json")
    assert corrected.status_code == 409
    assert corrected.json()["error"]["code"] == "period_settled"
    assert as_("finance").delete(url).status_code == 409
    period = Period.objects.get()
    assert period.revenue == 1_000_00


def test_a_period_in_preview_must_be_discarded_before_it_is_changed(team, record, as_):
    period = record()
    _preview(team, period)
    response = as_("finance").delete(f"/api/v1/periods/{period.pk}/")
    assert response.status_code == 409
    assert "discard it" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_correct_a_period(team, record, as_, who, code):
    period = record()
    response = as_(who).patch(f"/api/v1/periods/{period.pk}/", {"notes": "x"}, format="json")
    assert response.status_code == code


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 204)],
)
def test_who_may_delete_a_period(team, record, as_, who, code):
    period = record()
    assert as_(who).delete(f"/api/v1/periods/{period.pk}/").status_code == code
    assert Period.objects.exists() == (code != 204)


# --- discarding a preview -------------------------------------------------------------------


def test_discard_then_settle_again_then_approve_posts(team, record, as_):
    period = record()
    first = _preview(team, period)
    assert LedgerTransaction.objects.filter(settlement=first).exists()  # staged

    response = as_("finance").post(
        f"/api/v1/settlements/{first.pk}/discard/", {"reason": "Costs were missing."}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "discarded" and body["discard_reason"] == "Costs were missing."
    assert body["discarded_by"] == team.finance.pk
    assert not LedgerTransaction.objects.filter(settlement=first).exists()
    assert not LedgerEntry.objects.exists()

    book_totals(team.product, day=date(2026, 1, 20), costs=30_000)  # the missing costs' line
    second = _preview(team, period)
    assert second.pk != first.pk and second.distributable == 70_000
    approved = as_("finance2").post(f"/api/v1/settlements/{second.pk}/approve/")
    assert approved.status_code in (200, 202)
    services.settlement_post(settlement_id=second.pk)
    second.refresh_from_db()
    assert second.status == "posted"
    assert selectors.member_balances(member_id=team.alice.pk)["EUR"] > 0
    assert _every_transaction_balances()


def test_a_posted_settlement_cannot_be_discarded(team, posted_settlement, as_):
    response = as_("finance").post(
        f"/api/v1/settlements/{posted_settlement.pk}/discard/", {"reason": "oops"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_discardable"


def test_a_discard_needs_a_reason(team, record, as_):
    settlement = _preview(team, record())
    response = as_("finance").post(f"/api/v1/settlements/{settlement.pk}/discard/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 200)],
)
def test_who_may_discard_a_preview(team, record, as_, who, code):
    settlement = _preview(team, record())
    response = as_(who).post(f"/api/v1/settlements/{settlement.pk}/discard/", {"reason": "x"})
    assert response.status_code == code
    settlement.refresh_from_db()
    assert (settlement.status == "discarded") == (code == 200)


# --- reversing a posted settlement ----------------------------------------------------------


def test_reverse_then_approve_by_another_member_nets_the_settlement_to_zero(
    team, posted_settlement, as_
):
    before = {m.pk: selectors.member_balances(member_id=m.pk) for m in (team.alice, team.bob)}
    assert before[team.alice.pk]["EUR"] > 0
    posted_count, posted_sum = _ledger_fingerprint()
    lines_before = list(posted_settlement.lines.values_list("id", "member_id", "amount"))

    requested = as_("finance").post(
        f"/api/v1/settlements/{posted_settlement.pk}/reverse/", {"reason": "Revenue was doubled."}
    )
    assert requested.status_code == 202
    assert requested.json()["status"] == "posted"  # nothing moves until approved
    assert requested.json()["reversal_requested_by"] == team.finance.pk
    assert _ledger_fingerprint() == (posted_count, posted_sum)

    approved = as_("finance2").post(f"/api/v1/settlements/{posted_settlement.pk}/reverse/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "reversed"
    assert approved.json()["reversal_approved_by"] == team.finance2.pk

    for member in (team.alice, team.bob, team.creator):
        assert selectors.member_balances(member_id=member.pk) == {"EUR": 0}
    reversal = LedgerTransaction.objects.get(kind="reversal")
    original = LedgerTransaction.objects.get(settlement=posted_settlement)
    assert reversal.reversal_of == original and reversal.posted_by == team.finance2
    assert reversal.entries.count() == original.entries.count()
    assert _every_transaction_balances()
    # Nothing posted before was updated or deleted: the old rows are all there, unchanged.
    rows = list(
        LedgerEntry.objects.filter(transaction=original)
        .order_by("id")
        .values_list("id", "transaction_id", "account_id", "debit", "credit")
    )
    assert (len(rows), hash(tuple(rows))) == (posted_count, posted_sum)
    assert list(posted_settlement.lines.values_list("id", "member_id", "amount")) == lines_before


def test_the_requester_cannot_approve_their_own_reversal(team, posted_settlement, as_):
    url = f"/api/v1/settlements/{posted_settlement.pk}/reverse/"
    as_("finance2").post(url, {"reason": "Wrong product."})
    response = as_("finance2").post(url + "approve/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "four_eyes"
    assert response.json()["error"]["message"] == (
        "A second finance member must approve: you requested this reversal."
    )
    posted_settlement.refresh_from_db()
    assert posted_settlement.status == "posted"
    assert not LedgerTransaction.objects.filter(kind="reversal").exists()


def test_a_reversal_is_approved_only_once_requested_and_only_once(team, posted_settlement, as_):
    url = f"/api/v1/settlements/{posted_settlement.pk}/reverse/"
    assert as_("finance2").post(url + "approve/").status_code == 409  # nothing requested
    as_("finance").post(url, {"reason": "Wrong figures."})
    assert as_("finance").post(url, {"reason": "Again."}).status_code == 409
    assert as_("finance2").post(url + "approve/").status_code == 200
    assert as_("reviewer").post(url + "approve/").status_code == 403
    assert as_("finance2").post(url + "approve/").status_code == 409
    assert LedgerTransaction.objects.filter(kind="reversal").count() == 1


def test_a_settlement_is_reversed_only_after_the_later_ones(team, record, settle_and_post, as_):
    first = settle_and_post(record())
    settle_and_post(record(start=date(2026, 2, 1), end=date(2026, 2, 28)))
    response = as_("finance").post(f"/api/v1/settlements/{first.pk}/reverse/", {"reason": "x"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "later_settlement"


def test_a_reversed_period_is_corrected_and_settled_again(team, posted_settlement, settle_and_post):
    services.settlement_reversal_request(
        settlement=posted_settlement, actor=team.finance, reason="Revenue was wrong."
    )
    services.settlement_reversal_approve(settlement=posted_settlement, actor=team.finance2)
    book_totals(team.product, day=date(2026, 1, 9), revenue=-50_000)  # the refunds left out
    period = services.period_correct(
        period=posted_settlement.period, actor=team.finance, notes="Refunds deducted."
    )
    again = settle_and_post(period)
    assert again.status == "posted" and again.distributable == 50_000
    assert Settlement.objects.filter(period=period).count() == 2
    assert period.settlement == again


def test_a_paid_out_balance_goes_negative_and_is_netted_against_later_earnings(
    team, record, settle_and_post
):
    january = settle_and_post(record())
    alice_share = selectors.member_balances(member_id=team.alice.pk)["EUR"]
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    services.payout_batch_mark_paid(batch=batch, reference="SEPA-1", actor=team.finance2)
    assert selectors.member_balances(member_id=team.alice.pk) == {"EUR": 0}

    services.settlement_reversal_request(
        settlement=january, actor=team.finance, reason="Returns were not deducted."
    )
    services.settlement_reversal_approve(settlement=january, actor=team.finance2)
    assert selectors.member_balances(member_id=team.alice.pk) == {"EUR": -alice_share}
    assert team.alice.pk not in dict(selectors.payable_balances(currency="EUR", minimum=1))

    # January is corrected to no profit; February's share pays what is left after the netting.
    book_totals(team.product, day=date(2026, 1, 9), revenue=-1_000_00)
    services.period_correct(period=january.period, actor=team.finance, notes="No profit.")
    settle_and_post(january.period)
    february = settle_and_post(
        record(start=date(2026, 2, 1), end=date(2026, 2, 28), revenue=3_000_00)
    )
    february_share = february.lines.get(member=team.alice).amount
    net = selectors.member_balances(member_id=team.alice.pk)["EUR"]
    assert net == february_share - alice_share > 0
    batch = services.payout_batch_create(currency="EUR", actor=team.finance2)
    assert dict(batch.items.values_list("member_id", "amount"))[team.alice.pk] == net


def test_earnings_and_the_statement_show_the_reversal_with_its_reason(team, posted_settlement, as_):
    services.settlement_reversal_request(
        settlement=posted_settlement, actor=team.finance, reason="Revenue was doubled."
    )
    services.settlement_reversal_approve(settlement=posted_settlement, actor=team.finance2)
    shares = as_("alice").get("/api/v1/me/earnings/").json()["shares"]
    kinds = [(s["kind"], s["reason"]) for s in shares]
    assert kinds == [("reversal", "Revenue was doubled."), ("share", "")]
    assert shares[0]["amount"] == -shares[1]["amount"] < 0

    member = Client()
    member.force_login(team.alice)
    page = member.get("/me/earnings/").content.decode()
    assert "Reversal: Revenue was doubled." in page

    statement = b"".join(as_("alice").get("/api/v1/me/earnings/statement.csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(statement.decode())))
    reversal = [r for r in rows if "Revenue was doubled." in r["role"]]
    assert len(reversal) == 1 and reversal[0]["amount"].startswith("-")


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance", 202)],
)
def test_who_may_request_a_reversal(team, posted_settlement, as_, who, code):
    url = f"/api/v1/settlements/{posted_settlement.pk}/reverse/"
    assert as_(who).post(url, {"reason": "x"}).status_code == code


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 401), ("alice", 403), ("creator", 403), ("reviewer", 403), ("finance2", 200)],
)
def test_who_may_approve_a_reversal(team, posted_settlement, as_, who, code):
    url = f"/api/v1/settlements/{posted_settlement.pk}/reverse/"
    as_("finance").post(url, {"reason": "x"})
    assert as_(who).post(url + "approve/").status_code == code


def test_the_services_check_who_may_correct(team, record, posted_settlement):
    with pytest.raises(NotAllowed):
        services.settlement_reversal_request(
            settlement=posted_settlement, actor=team.alice, reason="x"
        )
    with pytest.raises(Conflict):
        services.settlement_discard(settlement=posted_settlement, actor=team.finance, reason="x")
