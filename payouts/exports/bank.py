"""What finance pays with: a batch's items with each member's destination (CSV/XLSX), and for a
EUR batch a SEPA credit transfer file (pain.001.001.03, built with ``sepaxml`` and validated
against the XSD it ships).

Destinations are encrypted, so these rows are made in Python (``payouts.destinations``), not by
``COPY``; only finance reaches them (the API's finance permission).
"""

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from sepaxml import SepaTransfer

from ..destinations import Details, details
from ..models import DestinationKind, PayoutDestination, PayoutItem
from .cells import Money, csv_stream, xlsx_file

BANK_COLUMNS = [
    "batch_id",
    "member_id",
    "member_name",
    "currency",
    "amount",
    "destination",
    "iban",
    "bic",
    "alipay_account",
    "other",
    "reference",
]
SEPA_SCHEMA = "pain.001.001.03"


def batch_payees(batch) -> Iterator[tuple[PayoutItem, Details | None]]:
    items = PayoutItem.objects.filter(batch=batch).select_related("member").order_by("member_id")
    found = {
        d.member_id: d
        for d in PayoutDestination.objects.filter(member__payout_items__batch=batch).distinct()
    }
    for item in items.iterator(chunk_size=2000):
        destination = found.get(item.member_id)
        yield item, details(destination) if destination else None


def bank_rows(batch) -> Iterator[list]:
    for item, where in batch_payees(batch):
        yield [
            batch.pk,
            item.member_id,
            item.member.public_name,
            batch.currency,
            Money(item.amount, batch.currency),
            where.kind if where else None,
            (where.iban or None) if where else None,
            (where.bic or None) if where else None,
            (where.account or None) if where else None,
            (where.text or None) if where else None,
            batch.reference or None,
        ]


def bank_csv(batch) -> Iterator[bytes]:
    return csv_stream(BANK_COLUMNS, bank_rows(batch))


def bank_xlsx(batch):
    return xlsx_file(BANK_COLUMNS, bank_rows(batch), title="Payees")


def sepa_transfer(batch, *, execution_date: date | None = None) -> tuple[bytes, dict]:
    """The batch's IBAN payees as one pain.001.001.03 credit transfer (validated against the
    schema), and a summary: how many were included, their control sum in cents, and the members
    with other destinations that finance pays by hand."""
    transfer = SepaTransfer(
        {
            "name": settings.SEPA_DEBTOR_NAME,
            "IBAN": settings.SEPA_DEBTOR_IBAN,
            "BIC": settings.SEPA_DEBTOR_BIC,
            "batch": True,
            "currency": "EUR",
        },
        schema=SEPA_SCHEMA,
        clean=True,
    )
    included, control_sum, by_hand = 0, 0, []
    for item, where in batch_payees(batch):
        if where is None or where.kind != DestinationKind.IBAN:
            by_hand.append(item.member_id)
            continue
        payment = {
            "name": item.member.public_name[:70],
            "IBAN": where.iban,
            "amount": item.amount,  # sepaxml takes integer cents
            "execution_date": execution_date or date.today(),
            "description": f"AHHHA payout batch {batch.pk}"[:140],
            "endtoend_id": f"AHHHA-{batch.pk}-{item.member_id}"[:35],
        }
        if where.bic:
            payment["BIC"] = where.bic
        transfer.add_payment(payment)
        included += 1
        control_sum += item.amount
    xml = transfer.export(validate=True) if included else b""
    return xml, {"included": included, "control_sum": control_sum, "by_hand": by_hand}
