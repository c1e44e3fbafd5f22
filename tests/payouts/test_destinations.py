"""Payout destinations: checked, encrypted at rest, shown masked, logged and e-mailed; a batch
holds back members without one; a EUR batch downloads as a SEPA transfer that adds up."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from cryptography.fernet import Fernet
from django.core import mail
from django.db import connection

from payouts import destinations, services
from payouts.models import (
    AccountKind,
    LedgerEntry,
    PayoutBatch,
    PayoutDestination,
    PayoutDestinationChange,
)
from tests.factories import give_destination

GOOD_IBAN = "DE89 3704 0044 0532 0130 00"
BAD_IBAN = "DE89 3704 0044 0532 0130 01"  # one digit off: the checksum fails
PAIN_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"


@pytest.fixture
def as_(team, client_for):
    def make(who):
        return client_for(None if who == "anonymous" else getattr(team, who))

    return make


# --- Entering a destination ---------------------------------------------------------------------


def test_a_member_saves_an_iban_and_sees_it_masked(team, as_):
    response = as_("outsider").put(
        "/api/v1/me/payout-destination/",
        {"holder": "Li Hua", "kind": "iban", "iban": GOOD_IBAN},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["destination"]["masked"] == "DE89 •••• 3000"
    found = destinations.details(PayoutDestination.objects.get(member=team.outsider))
    assert (found.iban, found.bic) == ("DE89370400440532013000", "COBADEFFXXX")  # BIC from IBAN
    mine = as_("outsider").get("/api/v1/me/payout-destination/").json()
    assert mine["destination"]["masked"] == "DE89 •••• 3000"


def test_an_iban_with_a_wrong_checksum_is_refused_with_a_clear_message(team, as_):
    response = as_("outsider").put(
        "/api/v1/me/payout-destination/",
        {"holder": "Li Hua", "kind": "iban", "iban": BAD_IBAN},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "iban" in error["fields"]
    assert "is not a valid IBAN" in error["message"] and "check digits" in error["message"]
    assert not PayoutDestination.objects.filter(member=team.outsider).exists()


@pytest.mark.parametrize(
    "fields, masked",
    [
        ({"holder": "Li Hua", "kind": "alipay", "account": "Li.Hua@example.cn"}, "l•••@example.cn"),
        ({"holder": "Li Hua", "kind": "alipay", "account": "+86 13812345678"}, "138••••5678"),
        (
            {"holder": "Li Hua", "kind": "other", "text": "Cash at the Berlin meetup"},
            "Cash at the …",
        ),
    ],
)
def test_alipay_accounts_and_other_destinations(team, as_, fields, masked):
    response = as_("outsider").put("/api/v1/me/payout-destination/", fields, format="json")
    assert response.status_code == 200 and response.json()["destination"]["masked"] == masked


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"holder": "Li Hua", "kind": "alipay", "account": "12345"}, "account"),
        ({"holder": "Li Hua", "kind": "other", "text": "  "}, "text"),
        ({"holder": "Li Hua", "kind": "iban", "iban": GOOD_IBAN, "bic": "NOTABIC!"}, "bic"),
    ],
)
def test_wrong_details_are_refused_next_to_their_field(team, as_, fields, field):
    response = as_("outsider").put("/api/v1/me/payout-destination/", fields, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_the_details_are_encrypted_at_rest(team, as_):
    as_("outsider").put(
        "/api/v1/me/payout-destination/",
        {"holder": "Li Hua", "kind": "iban", "iban": GOOD_IBAN},
        format="json",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret, masked FROM payouts_payoutdestination")
        secret, masked = cursor.fetchone()
    assert "DE89370400440532013000" not in secret and "0532013000" not in secret
    assert "0532013000" not in masked


def test_keys_rotate_and_old_tokens_still_read_until_re_encrypted(team, settings):
    PayoutDestination.objects.all().delete()
    old = Fernet.generate_key().decode()
    settings.PAYOUT_DESTINATION_KEYS = [old]
    destinations._fernet.cache_clear()
    give_destination(team.outsider, iban=GOOD_IBAN)
    new = Fernet.generate_key().decode()
    settings.PAYOUT_DESTINATION_KEYS = [new, old]
    destinations._fernet.cache_clear()
    assert destinations.destinations_rotate() >= 1
    settings.PAYOUT_DESTINATION_KEYS = [new]  # the old key retired
    destinations._fernet.cache_clear()
    found = destinations.details(PayoutDestination.objects.get(member=team.outsider))
    assert found.iban == "DE89370400440532013000"
    destinations._fernet.cache_clear()


def test_a_change_is_logged_and_e_mailed_to_the_member(
    team, as_, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        as_("outsider").put(
            "/api/v1/me/payout-destination/",
            {"holder": "Li Hua", "kind": "iban", "iban": GOOD_IBAN},
            format="json",
        )
    change = PayoutDestinationChange.objects.get(member=team.outsider)
    assert (change.kind, change.masked, change.changed_by) == (
        "iban",
        "DE89 •••• 3000",
        team.outsider,
    )
    assert [m.to for m in mail.outbox] == [[team.outsider.email]]
    assert "DE89 •••• 3000" in mail.outbox[0].body and "0532013000" not in mail.outbox[0].body


@pytest.mark.parametrize("who, code", [("anonymous", 401), ("outsider", 200), ("finance", 200)])
def test_who_may_read_their_destination(team, as_, who, code):
    assert as_(who).get("/api/v1/me/payout-destination/").status_code == code


def test_a_member_without_a_destination_reads_null(team, as_):
    assert as_("outsider").get("/api/v1/me/payout-destination/").json() == {"destination": None}


def test_the_earnings_page_form_saves_a_destination_or_shows_the_error_in_place(team, client):
    client.force_login(team.outsider)
    page = client.post(
        "/me/earnings/destination/", {"holder": "Li Hua", "kind": "iban", "iban": BAD_IBAN}
    )
    assert page.status_code == 400
    assert "is not a valid IBAN" in page.content.decode()
    response = client.post(
        "/me/earnings/destination/", {"holder": "Li Hua", "kind": "iban", "iban": GOOD_IBAN}
    )
    assert response.status_code == 302 and response["Location"].endswith("#destination")
    page = client.get("/me/earnings/").content.decode()
    assert "DE89 •••• 3000" in page and "0532013000" not in page


def test_the_destination_page_is_for_members_only(client):
    response = client.post(
        "/me/earnings/destination/", {"holder": "Li Hua", "kind": "iban", "iban": GOOD_IBAN}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Batches ------------------------------------------------------------------------------------


@pytest.fixture
def posted(team, record, settle_and_post):
    return settle_and_post(record())


def test_a_batch_holds_back_members_without_a_destination_and_tells_them(team, posted, as_, client):
    PayoutDestination.objects.filter(member=team.bob).delete()
    response = as_("finance").post("/api/v1/payout-batches/", {"currency": "EUR"})
    assert response.status_code == 201
    batch = PayoutBatch.objects.get()
    assert batch.held_back == 1 and response.json()["held_back"] == 1
    assert not batch.items.filter(member=team.bob).exists()
    assert team.bob.notifications.filter(kind="payout_held_back").exists()
    client.force_login(team.bob)
    page = client.get("/me/earnings/").content.decode()
    assert 'id="destination-missing"' in page


def test_no_batch_when_nobody_owed_has_a_destination(team, posted, as_):
    PayoutDestination.objects.all().delete()
    response = as_("finance").post("/api/v1/payout-batches/", {"currency": "EUR"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_destinations"


@pytest.mark.parametrize("path", ["payees.csv", "payees.xlsx", "sepa.xml"])
@pytest.mark.parametrize(
    "who, code", [("anonymous", 401), ("alice", 403), ("reviewer", 403), ("finance", 200)]
)
def test_who_may_download_a_batchs_bank_files(team, posted, as_, who, code, path):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    assert as_(who).get(f"/api/v1/payout-batches/{batch.pk}/{path}").status_code == code


def test_the_payees_csv_has_the_destination_columns(team, posted, as_):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    response = as_("finance").get(f"/api/v1/payout-batches/{batch.pk}/payees.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["member_name"] for r in rows} == {"alice", "bob", "carla"}
    assert all(r["destination"] == "iban" and r["iban"].startswith("DE") for r in rows)
    assert sum(Decimal(r["amount"]) for r in rows) * 100 == batch.total


def test_the_sepa_file_validates_and_its_control_sum_is_the_batch_and_the_ledger(team, posted, as_):
    give_destination(team.bob, iban=None)  # everyone by IBAN
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    response = as_("finance").get(f"/api/v1/payout-batches/{batch.pk}/sepa.xml")
    assert response["Content-Type"] == "application/xml"
    xml = response.content.decode()
    xmlschema.XMLSchema(str(PAIN_XSD)).validate(xml)  # raises if the file is not pain.001.001.03
    sums = {Decimal(s) for s in re.findall(r"<CtrlSum>([^<]+)</CtrlSum>", xml)}
    assert sums == {Decimal(batch.total) / 100}
    assert xml.count("<CdtTrfTxInf>") == batch.item_count
    assert f"<IBAN>{team.finance and 'DE89370400440532013000'}</IBAN>" in xml  # the debtor

    services.payout_batch_mark_paid(batch=batch, reference="BANK-REF-7", actor=team.finance2)
    paid_out = LedgerEntry.objects.filter(
        account__kind=AccountKind.PAID_OUT, transaction__payout_batch=batch
    )
    assert sum(e.credit - e.debit for e in paid_out) == batch.total
    batch.refresh_from_db()
    assert batch.reference == "BANK-REF-7"


def test_members_paid_by_alipay_are_left_out_of_the_sepa_file(team, posted, as_):
    destinations.destination_set(
        member=team.bob, actor=team.bob, kind="alipay", account="13812345678", holder="Bob"
    )
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    response = as_("finance").get(f"/api/v1/payout-batches/{batch.pk}/sepa.xml")
    assert response["X-Paid-By-Hand"] == "1"
    assert response.content.decode().count("<CdtTrfTxInf>") == batch.item_count - 1


def test_a_batch_in_another_currency_has_no_sepa_file(team, as_):
    batch = PayoutBatch.objects.create(currency="USD", created_by=team.finance)
    response = as_("finance").get(f"/api/v1/payout-batches/{batch.pk}/sepa.xml")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_eur"
