"""Re-encrypt every payout destination under the first of PAYOUT_DESTINATION_KEYS.

Rotation: put the new key first (``PAYOUT_DESTINATION_KEYS=new,old``), deploy, run this, then
drop the old key. Until it runs, destinations encrypted under the old key still read.
"""

from django.core.management.base import BaseCommand

from payouts.destinations import destinations_rotate


class Command(BaseCommand):
    help = "Re-encrypt payout destinations under the newest key."

    def handle(self, *args, **options):
        self.stdout.write(f"{destinations_rotate()} payout destinations re-encrypted.")
