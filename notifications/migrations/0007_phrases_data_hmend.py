"""The notifications products and voting wrote as text (in the recipient's language of the day,
amounts as "1,330.00 EUR" or "$1,330.00", due dates as 2026-12-03) get their phrase code and
parameters (core.phrases) when their text fits the phrase in English or in the catalog's
Chinese; the text stays beside them (shown should the code ever be unknown). Text that fits
none is shown as written."""

import importlib
import re
from datetime import date

from django.db import migrations
from django.utils import translation

# The phrases of the kinds written as text before (code: how its parameters are read back).
KINDS = {
    "milestone_slipped": ["milestone_slipped_notice"],
    "expense_decided": ["expense_approved_notice", "expense_rejected_notice"],
    "expense_paid": ["expense_paid_notice"],
    "backer_refund": ["refund_promised_notice", "refund_done_notice"],
    "idea_votes_held": ["votes_held_notice"],
    "vote_voided": ["vote_voided_notice"],
    "idea_votes_voided": ["idea_votes_voided_notice"],
}
AMOUNT = re.compile(r"(?:(?P<number>-?[\d,.]+) (?P<code>[A-Z]{3})|\$(?P<dollars>-?[\d,.]+))\Z")


def _amount(text: str) -> dict | None:
    found = AMOUNT.match(text)
    if not found:
        return None
    digits = re.sub(r"[^\d-]", "", found["number"] or found["dollars"])
    return {"money": [int(digits), found["code"] or "USD"]}


def _day(text: str) -> dict | None:
    try:
        return {"date": date.fromisoformat(text).isoformat()}
    except ValueError:
        return None


READ = {"amount": _amount, "due": _day}


def _params(words: dict) -> dict | None:
    params = {}
    for name, text in words.items():
        params[name] = READ[name](text) if name in READ else text
        if params[name] is None:
            return None
    return params


def _shapes(earlier, code: str) -> list:
    """The phrase's English and Chinese shapes (the earlier migration's patterns)."""
    from core.phrases import template_of

    template = template_of(code)
    with translation.override("zh-hans"):
        chinese = translation.gettext(template)
    return [(code, earlier._pattern(template)), (code, earlier._pattern(chinese))]


def notifications_to_phrases(apps, schema_editor) -> None:
    earlier = importlib.import_module("notifications.migrations.0006_phrases_data_hlang")
    Notification = apps.get_model("notifications", "Notification")
    shapes = {
        kind: [s for code in codes for s in _shapes(earlier, code)] for kind, codes in KINDS.items()
    }
    rows = Notification.objects.filter(code="", kind__in=list(KINDS)).exclude(message="")
    for row in rows.iterator():
        for code, shape in shapes[row.kind]:
            match = shape.match(row.message)
            params = match and _params(match.groupdict())
            if params:
                row.code, row.params = code, params
                row.save(update_fields=["code", "params"])
                break


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_phrases_data_hlang")]

    operations = [migrations.RunPython(notifications_to_phrases, migrations.RunPython.noop)]
