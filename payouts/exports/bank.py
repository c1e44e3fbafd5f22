"""What finance pays with: a batch's lines with each payee's destination as it was when the
batch was made (CSV/XLSX); the EUR batch's SEPA file is ``sepa``.

The destinations are the batch's snapshot (``PayoutItem.destination``, encrypted like the
destinations themselves), so a destination changed after the batch was made changes neither
this export nor the bank file. These rows are made in Python (decrypted by
``payouts.destinations``), not by ``COPY``; only finance reaches them (the API's finance
permission).
"""

from collections.abc import Iterator

from ..destinations import Details, decrypt
from ..models import PayoutItem
from .cells import Money, csv_stream, xlsx_file
from .names import sepa_name

BANK_COLUMNS = [
    "batch_id",
    "line_id",
    "member_id",
    "member_name",
    "holder",
    "holder_in_bank_file",
    "currency",
    "amount",
    "destination",
    "iban",
    "bic",
    "alipay_account",
    "other",
    "reference",
]


def batch_payees(batch) -> Iterator[tuple[PayoutItem, Details | None]]:
    """Each line of the batch with the destination it snapshotted (None: it had none)."""
    items = PayoutItem.objects.filter(batch=batch).select_related("member").order_by("member_id")
    for item in items.iterator(chunk_size=2000):
        yield item, decrypt(item.destination) if item.destination else None


def bank_rows(batch) -> Iterator[list]:
    for item, where in batch_payees(batch):
        yield [
            batch.pk,
            item.pk,
            item.member_id,
            item.member.public_name,
            (where.holder or None) if where else None,
            (sepa_name(where.holder) or None) if where else None,
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
