from django.core.management.base import BaseCommand

from sales.verifier import SHIPPED, verify_source


class Command(BaseCommand):
    help = "Write verify.py (the split of payouts/allocation.py + sales/verify_main.py)."

    def handle(self, *args, **options):
        SHIPPED.write_text(verify_source(), encoding="utf-8")
        self.stdout.write(f"wrote {SHIPPED}")
