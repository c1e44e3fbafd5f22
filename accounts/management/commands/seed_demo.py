import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Fill an empty database with a believable demo. Each app that has a demo.py with "
        "seed(stdout) adds its part, in INSTALLED_APPS order. Does nothing if users exist."
    )

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("The database already has users; seed_demo left it alone.")
            from accounts.demo import ACCOUNTS, DEMO_PASSWORD

            self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): ")
            self.stdout.write("  " + ", ".join(a[0] for a in ACCOUNTS))
            return
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
