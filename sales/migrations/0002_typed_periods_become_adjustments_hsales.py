"""Each period recorded before sales records (typed revenue and costs) becomes one adjustment
line holding both, dated on the period's first day, with the period's note as its reason: the
period's totals, computed from the lines from now on, stay what they were."""

from django.db import migrations


def forward(apps, schema_editor):
    Period = apps.get_model("payouts", "Period")
    CostAdjustment = apps.get_model("sales", "CostAdjustment")
    lines = []
    for period in Period.objects.select_related("product__funding_round").iterator():
        lines.append(
            CostAdjustment(
                product_id=period.product_id,
                date=period.start,
                revenue=period.revenue,
                costs=period.costs,
                currency=period.product.funding_round.currency,
                reason=period.notes,
                origin="migrated",
                proposed_by_id=period.recorded_by_id,
                approved_at=period.recorded_at,
            )
        )
        if len(lines) >= 1000:
            CostAdjustment.objects.bulk_create(lines)
            lines = []
    CostAdjustment.objects.bulk_create(lines)


def backward(apps, schema_editor):
    apps.get_model("sales", "CostAdjustment").objects.filter(origin="migrated").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0001_initial_hsales"),
        ("payouts", "0014_period_computed_totals_hsales"),
    ]

    operations = [migrations.RunPython(forward, backward)]
