"""The claims the platform wrote as text (a pledge's "Pledged 420050 CNY (minor units)", an
adopted suggestion, "the pledge was never paid") become phrase codes with parameters
(core.phrases), said in each reader's language. Text that fits no known shape stays as it is."""

import re

from django.db import migrations

PLEDGED = re.compile(r"Pledged (?P<amount>\d+) (?P<currency>[A-Z]{3}) \(minor units\)\Z")
ADOPTED = [
    re.compile(r"Suggestion adopted by the creator: (?P<value>.*)\Z", re.S),
    re.compile(r"创作者采纳的改进建议：(?P<value>.*)\Z", re.S),
]
NEVER_PAID = {"The pledge was never paid.", "这笔认筹从未付款。"}


def read_description(text: str) -> tuple[str, dict] | None:
    match = PLEDGED.match(text)
    if match:
        return "pledged", {"amount": {"money": [int(match["amount"]), match["currency"]]}}
    for shape in ADOPTED:
        match = shape.match(text)
        if match:
            return "suggestion_adopted", {"value": match["value"]}
    return None


def claims_to_phrases(apps, schema_editor) -> None:
    Contribution = apps.get_model("contributions", "Contribution")
    for row in Contribution.objects.filter(description_code="").iterator():
        found = read_description(row.description)
        if found:
            row.description_code, row.description_params = found
            row.description = ""
            row.save(update_fields=["description", "description_code", "description_params"])
    Contribution.objects.filter(decision_code="", decision_reason__in=NEVER_PAID).update(
        decision_code="pledge_never_paid", decision_reason=""
    )


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_phrases_hlang")]

    operations = [migrations.RunPython(claims_to_phrases, migrations.RunPython.noop)]
