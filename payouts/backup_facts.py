"""What a backup of payouts must show again after a restore (core.backup): the ledger's totals
and each settlement's stored figures, hashed; and the check that every ledger transaction
balances (PostgreSQL enforces it on insert, but a restore loads the rows before the triggers)."""

import hashlib
import json

from django.db.models import Count, F, Sum

from .models import LedgerEntry, LedgerTransaction, Settlement


def _digest(rows) -> str:
    text = json.dumps(list(rows), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def facts() -> dict:
    totals = (
        LedgerEntry.objects.values(currency=F("transaction__currency"))
        .annotate(debit=Sum("debit"), credit=Sum("credit"), entries=Count("id"))
        .order_by("currency")
    )
    settlements = Settlement.objects.order_by("id").values()
    return {
        "ledger_transactions": LedgerTransaction.objects.count(),
        "ledger_totals": {
            row["currency"]: [row["debit"], row["credit"], row["entries"]] for row in totals
        },  # fmt: skip
        "settlements": Settlement.objects.count(),
        "settlements_sha256": _digest(settlements),
    }


def problems() -> list[str]:
    unbalanced = (
        LedgerEntry.objects.values("transaction_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .exclude(debit=F("credit"))
        .order_by("transaction_id")
    )
    return [
        f"ledger transaction {row['transaction_id']} does not balance "
        f"(debit {row['debit']}, credit {row['credit']})"
        for row in unbalanced
    ]
