from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import ROLE_GROUPS
from accounts.services import role_grant


class Command(BaseCommand):
    help = "Grant (or with --revoke, take away) the reviewer or finance role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLE_GROUPS))
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, username: str, role: str, revoke: bool, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        role_grant(user=user, role=role, revoke=revoke)
        verb = "revoked from" if revoke else "granted to"
        self.stdout.write(self.style.SUCCESS(f"Role {role} {verb} {username}."))
