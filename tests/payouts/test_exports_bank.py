"""A batch's bank file is a record: made once from the destinations the batch snapshotted, the
same bytes on every download, refused for a cancelled batch, valid against the ISO schema
(xmllint), adding up to the batch, with names a bank can carry or a named hold-back."""

import csv
import io
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from core.errors import ValidationFailed
from payouts import destinations, services
from payouts.destinations import Details, encrypt, mask
from payouts.exports import sepa, target2
from payouts.exports.names import sepa_name
from payouts.models import PayoutBatch, PayoutBatchFile, PayoutDestination

pytestmark = pytest.mark.django_db

XSD = Path(sepa.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NEW_IBAN = "DE02120300000000202051"


@pytest.fixture
def posted(team, record, settle_and_post):
    return settle_and_post(record())


def _get(client, batch, path):
    return client.get(f"/api/v1/payout-batches/{batch.pk}/{path}")


def _payees(response) -> list[dict]:
    body = b"".join(response.streaming_content)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _set_holder(member, holder: str) -> None:
    """A destination saved with this holder name as it is (as one saved before names were
    checked could be), straight into the row."""
    where = destinations.details(PayoutDestination.objects.get(member=member))
    details = Details(**{**where.__dict__, "holder": holder})
    PayoutDestination.objects.filter(member=member).update(
        secret=encrypt(details), masked=mask(details)
    )


def _xmllint(xml: bytes, tmp_path) -> subprocess.CompletedProcess:
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is missing: apt-get install libxml2-utils (README, .ci/run)"
    path = tmp_path / "sepa.xml"
    path.write_bytes(xml)
    return subprocess.run(
        [xmllint, "--noout", "--schema", str(XSD), str(path)], capture_output=True, text=True
    )


# --- The file is a record -----------------------------------------------------------------------


def test_every_download_of_a_batchs_file_gives_the_same_bytes(team, posted, client_for):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    finance, finance2 = client_for(team.finance), client_for(team.finance2)
    first = _get(finance, batch, "sepa.xml")
    assert first.status_code == 200
    again = _get(finance2, batch, "sepa.xml")
    services.payout_batch_mark_paid(batch=batch, reference="BANK-1", actor=team.finance2)
    after_paid = _get(finance, batch, "sepa.xml")
    assert first.content == again.content == after_paid.content
    stored = PayoutBatchFile.objects.get(batch=batch)
    assert first["X-Sepa-Msg-Id"] == stored.msg_id and stored.msg_id in first.content.decode()
    assert first["X-Sepa-Sha256"] == stored.sha256
    ids = re.findall(r"<EndToEndId>([^<]+)</EndToEndId>", first.content.decode())
    assert sorted(ids) == sorted(f"AHHHA-B{batch.pk}-L{line.pk}" for line in batch.items.all())


def test_a_destination_changed_after_the_batch_changes_neither_its_file_nor_its_payees(
    team, posted, client_for
):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    old = destinations.details(PayoutDestination.objects.get(member=team.alice)).iban
    destinations.destination_set(
        member=team.alice, actor=team.alice, kind="iban", iban=NEW_IBAN, holder="Mallory"
    )
    finance = client_for(team.finance)
    xml = _get(finance, batch, "sepa.xml").content.decode()
    assert old in xml and NEW_IBAN not in xml and "Mallory" not in xml
    rows = _payees(_get(finance, batch, "payees.csv"))
    alice = next(r for r in rows if r["member_id"] == str(team.alice.pk))
    assert (alice["iban"], alice["holder"]) == (old, "alice")
    assert NEW_IBAN not in str(rows)


@pytest.mark.parametrize("path", ["sepa.xml", "payees.csv", "payees.xlsx"])
def test_a_cancelled_batch_hands_out_no_file(team, posted, client_for, path):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    finance = client_for(team.finance)
    assert _get(finance, batch, "sepa.xml").status_code == 200  # made before it was cancelled
    services.payout_batch_cancel(batch=batch, actor=team.finance)
    response = _get(finance, batch, path)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "batch_cancelled"
    assert f"Batch {batch.pk} was cancelled" in error["message"]


def test_the_file_validates_with_xmllint_and_its_control_sum_is_the_batch_total(
    team, posted, client_for, tmp_path
):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    xml = _get(client_for(team.finance), batch, "sepa.xml").content
    result = _xmllint(xml, tmp_path)
    assert result.returncode == 0, result.stderr
    text = xml.decode()
    assert {Decimal(s) for s in re.findall(r"<CtrlSum>([^<]+)</CtrlSum>", text)} == {
        Decimal(batch.total) / 100
    }
    assert re.findall(r"<NbOfTxs>(\d+)</NbOfTxs>", text) == [str(batch.item_count)] * 2
    assert "<Ctry>DE</Ctry>" in text and "<AdrLine>Example Street 1</AdrLine>" in text  # debtor


def test_xmllint_refuses_a_file_that_breaks_the_schema(tmp_path):
    """The check above can fail: a file without its group header is not pain.001.001.03."""
    namespace = b"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
    broken = b'<Document xmlns="' + namespace + b'"><CstmrCdtTrfInitn/></Document>'
    assert _xmllint(broken, tmp_path).returncode != 0


# --- Names a bank can carry ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, carried",
    [
        ("张伟", "Zhang Wei"),
        ("李小龙", "Li Xiaolong"),
        ("Smith & Sons", "Smith + Sons"),
        ("Zhang\u200bWei", "ZhangWei"),
        ("  Zoë   Müller-Łukasz ", "Zoe Muller-Lukasz"),
        ("A = B! @ <C>", "A B C"),
        ("😀 Anna 😀", "Anna"),
        ("x" * 90, "x" * 70),
        ("😀😀", ""),
        ("\u200b\u200b", ""),
    ],
)
def test_sepa_names_are_transliterated_mapped_trimmed_and_never_padded(typed, carried):
    assert sepa_name(typed) == carried


def test_names_a_bank_cannot_carry_are_held_back_by_name_and_the_rest_is_valid(
    team, posted, client_for, client, tmp_path
):
    _set_holder(team.alice, "😀😀")
    _set_holder(team.bob, "张伟 & \u200b<Co>")
    _set_holder(team.creator, "\u200b\u200b")
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    response = _get(client_for(team.finance), batch, "sepa.xml")
    assert response.status_code == 200 and response["X-Paid-By-Hand"] == "2"
    xml = response.content
    assert _xmllint(xml, tmp_path).returncode == 0
    assert "<Nm>Zhang Wei + Co</Nm>" in xml.decode()
    assert xml.decode().count("<CdtTrfTxInf>") == 1
    client.force_login(team.finance)
    page = client.get("/finance/").content.decode()
    held = page[page.index(f'id="bank-file-{batch.pk}"') :]
    assert "alice" in held and "carla" in held and "cannot be written" in held


def test_a_holder_name_is_required_and_must_have_letters(team, client_for):
    api = client_for(team.outsider)
    for holder in ("", "😀😀"):
        response = api.put(
            "/api/v1/me/payout-destination/",
            {"kind": "iban", "iban": NEW_IBAN, "holder": holder},
            format="json",
        )
        assert response.status_code == 400 and "holder" in response.json()["error"]["fields"]
    ok = api.put(
        "/api/v1/me/payout-destination/",
        {"kind": "iban", "iban": NEW_IBAN, "holder": "张伟"},
        format="json",
    )
    assert ok.status_code == 200
    saved = destinations.details(PayoutDestination.objects.get(member=team.outsider))
    assert saved.holder == "张伟"  # kept as typed: Alipay's real-name check needs it


# --- Destinations a bank accepts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "iban, bic, refused",
    [
        ("CH93 0076 2011 6238 5295 7", "", True),  # outside the EEA: the BIC is needed
        ("CH93 0076 2011 6238 5295 7", "UBSWCHZH80A", False),
        ("GB33 BUKB 2020 1555 5555 55", "", True),
        ("GB33 BUKB 2020 1555 5555 55", "BUKBGB22", False),
        ("DE89 3704 0044 0532 0130 00", "BNPAFRPPXXX", True),  # a French bank's BIC
        ("DE89 3704 0044 0532 0130 00", "DEUTDEFFXXX", True),  # another German bank's BIC
        ("DE89 3704 0044 0532 0130 00", "COBADEFFXXX", False),
        ("DE89 3704 0044 0532 0130 00", "", False),  # in the EEA: from the registry
    ],
)
def test_the_iban_and_the_bic_are_checked_against_each_other(iban, bic, refused):
    fields = {"kind": "iban", "iban": iban, "bic": bic, "holder": "Anna"}
    if refused:
        with pytest.raises(ValidationFailed) as caught:
            destinations.clean(**fields)
        assert "bic" in caught.value.fields
    else:
        assert destinations.clean(**fields).bic


@pytest.mark.parametrize(
    "typed", ["+86 139 1234 5678", "13912345678", "0086-139-1234-5678", "+86 (139) 1234 5678"]
)
def test_an_alipay_mobile_is_stored_in_one_form(typed):
    found = destinations.clean(kind="alipay", account=typed, holder="张伟")
    assert found.account == "+8613912345678"
    assert destinations.mask(found) == "139••••5678"


# --- The debtor and the execution date ----------------------------------------------------------


def test_check_deploy_refuses_the_example_debtor_account(settings):
    settings.DEBUG = False
    assert {e.id for e in sepa.check_sepa_debtor()} == {"payouts.E010", "payouts.E011"}
    settings.SEPA_DEBTOR_IBAN = NEW_IBAN
    settings.SEPA_DEBTOR_ADDRESS_LINE1 = "Platzstrasse 5"
    assert sepa.check_sepa_debtor() == []


def test_easter_and_the_target2_holidays():
    assert target2.easter_sunday(2026).isoformat() == "2026-04-05"
    assert target2.easter_sunday(2027).isoformat() == "2027-03-28"
    days = sorted(d.isoformat() for d in target2.holidays(2027))
    assert days == [
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01", "2027-12-25", "2027-12-26",
    ]  # fmt: skip


def _next(weekday: int):
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_a_batch_takes_a_chosen_business_day_and_defaults_to_the_next(team, posted, client_for):
    api = client_for(team.finance)
    saturday = _next(5)
    refused = api.post(
        "/api/v1/payout-batches/", {"currency": "EUR", "execution_date": saturday.isoformat()}
    )
    assert refused.status_code == 400
    assert "TARGET2 business day" in refused.json()["error"]["fields"]["execution_date"][0]
    past = timezone.localdate() - timedelta(days=3)
    refused = api.post(
        "/api/v1/payout-batches/", {"currency": "EUR", "execution_date": past.isoformat()}
    )
    assert refused.status_code == 400 and "has passed" in refused.json()["error"]["message"]
    made = api.post("/api/v1/payout-batches/", {"currency": "EUR"})
    assert made.json()["execution_date"] == target2.next_business_day().isoformat()
    services.payout_batch_cancel(
        batch=PayoutBatch.objects.get(pk=made.json()["id"]), actor=team.finance
    )
    monday = _next(0)
    while not target2.is_business_day(monday):
        monday += timedelta(days=7)
    chosen = api.post(
        "/api/v1/payout-batches/", {"currency": "EUR", "execution_date": monday.isoformat()}
    ).json()
    xml = api.get(f"/api/v1/payout-batches/{chosen['id']}/sepa.xml").content.decode()
    assert f"<ReqdExctnDt>{monday.isoformat()}</ReqdExctnDt>" in xml


def test_a_holiday_is_refused_as_an_execution_date():
    good_friday = target2.easter_sunday(timezone.localdate().year + 1) - timedelta(days=2)
    with pytest.raises(ValidationFailed) as caught:
        target2.execution_date_check(good_friday)
    assert "TARGET2 business day" in caught.value.message


# --- Who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, code", [("anonymous", 401), ("alice", 403), ("reviewer", 403), ("finance", 201)]
)
def test_who_may_create_a_batch_with_an_execution_date(team, posted, client_for, who, code):
    client = client_for(None if who == "anonymous" else getattr(team, who))
    day = target2.next_business_day()
    response = client.post(
        "/api/v1/payout-batches/", {"currency": "EUR", "execution_date": day.isoformat()}
    )
    assert response.status_code == code


# --- Currencies and the ledger CSV --------------------------------------------------------------


@pytest.mark.parametrize(
    "currency, places", [("EUR", 2), ("ISK", 0), ("XOF", 0), ("JPY", 0), ("KWD", 3), ("CLF", 4)]
)
def test_minor_units_come_from_iso_4217_data(currency, places):
    from core.money import exponent

    assert exponent(currency) == places


def test_an_unknown_currency_in_the_settings_is_a_start_up_error(settings):
    from core.money import check_currencies

    assert check_currencies() == []
    settings.CURRENCIES = ["EUR", "XYZ", "euro"]
    assert [e.id for e in check_currencies()] == ["core.E010", "core.E010"]


def test_the_ledger_csv_carries_account_ids_and_the_payouts_reference(team, posted, client_for):
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    services.payout_batch_mark_paid(batch=batch, reference="BANK-REF-9", actor=team.finance2)
    rows = _payees(client_for(team.finance).get("/api/v1/ledger/export.csv"))
    payouts = [r for r in rows if r["kind"] == "payout"]
    assert payouts and {r["payout_batch_id"] for r in payouts} == {str(batch.pk)}
    assert {r["payout_reference"] for r in payouts} == {"BANK-REF-9"}
    assert all(r["account_id"].isdigit() for r in rows)
