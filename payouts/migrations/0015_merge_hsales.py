from django.db import migrations


class Migration(migrations.Migration):
    """Joins the product funds' accounts (h-money) and the computed period totals (h-sales)."""

    dependencies = [
        ("payouts", "0014_money_accounts_hmoney"),
        ("payouts", "0014_period_computed_totals_hsales"),
    ]

    operations = []
