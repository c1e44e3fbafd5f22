import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import print_accounts
from accounts.models import User

_QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = (
        "Fill an empty database with a believable demo. Each app that has a demo.py with "
        "seed(stdout) adds its part, in INSTALLED_APPS order. Does nothing if users exist."
    )

    def handle(self, *args, **options):
        if User.objects.exists():
            self.stdout.write("The database already has users; seed_demo left it alone.")
            print_accounts(self.stdout)
            return
        # The demo's notifications stay in the site; nobody needs a thousand e-mails printed.
        with override_settings(EMAIL_BACKEND=_QUIET_MAIL), transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        print_accounts(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
