"""The two halves of issue 27 (the life half's migrations, the money half's) meet here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0002_funds_corrections_hmoney"),
        ("products", "0002_life_hlife"),
    ]

    operations: list = []
