"""One owner for the funding terms: the idea's FundingRound.

The terms lived on the idea (the live copy), on the review decision (a copy as decided) and on
the product (a copy at funding). This creates ``FundingRound``, copies every approved idea's terms
into one (linked to its approving decision when there is one; a product whose idea had none
gets its round from the product's own copy), points each product at its round, and drops the
copies on the decision and the product. ``ideas`` 0013 drops the idea's columns afterwards.

A payment's failure becomes a code (+ params) instead of the provider's sentence.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

FEE_BP_MIN, FEE_BP_MAX = 1000, 2500


def _failure_code(text: str) -> str:
    text = text.lower()
    if "no card" in text:
        return "no_saved_card"
    if "confirm the payment" in text:
        return "needs_action"
    return "declined"


def forward(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    FundingRound = apps.get_model("funding", "FundingRound")
    ReviewDecision = apps.get_model("funding", "ReviewDecision")
    Product = apps.get_model("funding", "Product")
    Payment = apps.get_model("funding", "Payment")
    approvals = {
        d.idea_id: d for d in ReviewDecision.objects.filter(decision="approve").iterator()
    }
    products = {p.idea_id: p for p in Product.objects.iterator()}
    for idea in Idea.objects.filter(funding_goal__isnull=False).iterator():
        decision = approvals.get(idea.pk)
        FundingRound.objects.create(
            idea_id=idea.pk,
            decision=decision,
            goal=idea.funding_goal,
            currency=idea.currency or "EUR",
            deadline=idea.funding_deadline
            or (decision.funding_deadline if decision else None)
            or idea.updated_at,
            platform_fee_bp=idea.platform_fee_bp or FEE_BP_MIN,
            points_per_unit=idea.points_per_unit or 1,
        )
    have = set(FundingRound.objects.values_list("idea_id", flat=True))
    for idea_id, product in products.items():
        if idea_id not in have:
            FundingRound.objects.create(
                idea_id=idea_id,
                decision=approvals.get(idea_id),
                goal=product.funding_goal,
                currency=product.currency,
                deadline=product.created_at or timezone.now(),
                platform_fee_bp=product.platform_fee_bp,
                points_per_unit=product.points_per_unit or 1,
            )
    for round_ in FundingRound.objects.filter(idea_id__in=list(products)).iterator():
        Product.objects.filter(idea_id=round_.idea_id).update(funding_round=round_)
    for payment in Payment.objects.exclude(failure="").iterator():
        Payment.objects.filter(pk=payment.pk).update(
            failure=_failure_code(payment.failure), failure_params={}
        )


def backward(apps, schema_editor):
    FundingRound = apps.get_model("funding", "FundingRound")
    Idea = apps.get_model("ideas", "Idea")
    ReviewDecision = apps.get_model("funding", "ReviewDecision")
    Product = apps.get_model("funding", "Product")
    for round_ in FundingRound.objects.iterator():
        terms = {
            "funding_goal": round_.goal,
            "currency": round_.currency,
            "funding_deadline": round_.deadline,
            "platform_fee_bp": round_.platform_fee_bp,
            "points_per_unit": round_.points_per_unit,
        }
        Idea.objects.filter(pk=round_.idea_id).update(**terms)
        if round_.decision_id:
            ReviewDecision.objects.filter(pk=round_.decision_id).update(**terms)
        del terms["funding_deadline"]
        Product.objects.filter(funding_round=round_).update(**terms)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_payment_outcomes"),
        ("ideas", "0012_vote_tally"),
    ]

    operations = [
        migrations.CreateModel(
            name="FundingRound",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("goal", models.BigIntegerField()),
                ("currency", models.CharField(max_length=3)),
                ("deadline", models.DateTimeField(db_index=True)),
                ("platform_fee_bp", models.PositiveIntegerField()),
                ("points_per_unit", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decision", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="funding_round", to="funding.reviewdecision")),
                ("idea", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="funding_round", to="ideas.idea")),
            ],
            options={
                "ordering": ["deadline", "id"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("goal__gt", 0)), name="round_goal_positive"),
                    models.CheckConstraint(condition=models.Q(("platform_fee_bp__gte", 1000), ("platform_fee_bp__lte", 2500)), name="round_platform_fee_range"),
                    models.CheckConstraint(condition=models.Q(("points_per_unit__gt", 0)), name="round_points_per_unit_positive"),
                ],
            },
        ),
        migrations.AddField(
            model_name="product",
            name="funding_round",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="product", to="funding.fundinground"),
        ),
        migrations.AddField(
            model_name="payment",
            name="failure_params",
            field=models.JSONField(blank=True, db_default={}, default=dict),
        ),
        # Before the copy (so that, backwards, they come back only once the terms are back).
        migrations.RemoveConstraint(model_name="reviewdecision", name="approval_has_funding_terms"),
        migrations.RemoveConstraint(model_name="product", name="product_platform_fee_range"),
        migrations.AlterField(model_name="product", name="currency", field=models.CharField(max_length=3, null=True)),
        migrations.AlterField(model_name="product", name="funding_goal", field=models.BigIntegerField(null=True)),
        migrations.AlterField(model_name="product", name="platform_fee_bp", field=models.PositiveIntegerField(null=True)),
        migrations.AlterField(model_name="product", name="points_per_unit", field=models.PositiveIntegerField(null=True)),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="payment",
            name="failure",
            field=models.CharField(blank=True, db_default="", max_length=40),
        ),
        migrations.AlterField(
            model_name="product",
            name="funding_round",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="product", to="funding.fundinground"),
        ),
        migrations.RemoveField(model_name="product", name="currency"),
        migrations.RemoveField(model_name="product", name="funding_goal"),
        migrations.RemoveField(model_name="product", name="platform_fee_bp"),
        migrations.RemoveField(model_name="product", name="points_per_unit"),
        migrations.RemoveField(model_name="reviewdecision", name="currency"),
        migrations.RemoveField(model_name="reviewdecision", name="funding_deadline"),
        migrations.RemoveField(model_name="reviewdecision", name="funding_goal"),
        migrations.RemoveField(model_name="reviewdecision", name="platform_fee_bp"),
        migrations.RemoveField(model_name="reviewdecision", name="points_per_unit"),
    ]
