"""Demo accounts for ``seed_demo``: one for each role, and members to fill the site."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from accounts.services import role_grant

DEMO_PASSWORD = "ahhha-demo-2026"

ACCOUNTS = [
    # username, display name, role, staff
    ("admin", "Ada Admin", None, True),
    ("reviewer", "Rita Reviewer", "reviewer", False),
    ("reviewer2", "Rafael Reviewer", "reviewer", False),
    ("finance", "Fiona Finance", "finance", False),
    ("finance2", "Felix Finance", "finance", False),
    ("creator", "Carla Creator", None, False),
]
MEMBERS = [
    "alice", "bob", "chen", "dara", "emeka", "farah", "goran", "hana", "ivan", "jun",
    "kofi", "lena", "mateo", "nadia", "oskar", "priya", "quinn", "rosa", "sami", "tomas",
]  # fmt: skip


# Members who write in Chinese (the first community reads Chinese): username, display name.
ZH_MEMBERS = [("lihua", "李华"), ("xiaoming", "小明"), ("wangfang", "王芳"), ("zhangwei", "张伟")]


def seed(stdout) -> None:
    # Established accounts (joined months ago): their votes count at once (VOTE_MIN_ACCOUNT_AGE).
    joined = timezone.now() - timedelta(days=120)
    for username, name, role, staff in ACCOUNTS:
        user = User.objects.create_user(
            date_joined=joined,
            username=username,
            email=f"{username}@demo.ahhha.local",
            password=DEMO_PASSWORD,
            display_name=name,
            email_verified=True,
            is_staff=staff,
            is_superuser=staff,
        )
        if role:
            role_grant(user=user, role=role)
    for n, (username, display_name) in enumerate(
        [(m, m.capitalize()) for m in MEMBERS] + ZH_MEMBERS
    ):
        User.objects.create_user(
            date_joined=joined + timedelta(days=n, hours=n),
            username=username,
            email=f"{username}@demo.ahhha.local",
            password=DEMO_PASSWORD,
            display_name=display_name,
            email_verified=True,
        )


def print_accounts(stdout) -> None:
    stdout.write(f"Demo accounts (the password of each is {DEMO_PASSWORD}):")
    for username, _name, role, staff in ACCOUNTS:
        stdout.write(
            f"  {username:<10} {'admin (staff, every role)' if staff else role or 'member'}"
        )
    stdout.write(f"  {', '.join(MEMBERS[:5])}, … ({len(MEMBERS)} members)")
    stdout.write(f"  {', '.join(name for name, _ in ZH_MEMBERS)} (members who write in Chinese)")
