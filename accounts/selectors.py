"""Reads of accounts that are more than one line."""

from django.apps import apps
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, User


def tokens_of(*, member: User) -> QuerySet[ApiToken]:
    """The member's API tokens that still work, newest first."""
    return ApiToken.objects.filter(member=member, expires_at__gt=timezone.now())


# Where members' uploads are stored: (model label, the field naming the member, file fields).
# Named, not imported: accounts sits below the apps that store uploads (README's layers).
UPLOADED_FILES = [
    ("accounts.User", "pk", ("avatar_96", "avatar_192")),
    ("ideas.Idea", "creator", ("video_file", "cover_400", "cover_800", "cover_1600")),
    ("contributions.Contribution", "member", ("evidence_file",)),
]


def upload_bytes_of(*, member: User) -> int:
    """What the member's stored uploads weigh: their picture, their ideas' videos and covers,
    their claims' evidence (a few files each; a file the storage cannot find counts 0)."""
    names: list[str] = []
    for label, owner, fields in UPLOADED_FILES:
        model = apps.get_model(label)
        for row in model.objects.filter(**{owner: member.pk}).values_list(*fields):
            names.extend(row)
    total = 0
    for name in filter(None, names):
        try:
            total += default_storage.size(name)
        except (OSError, NotImplementedError):
            continue
    return total
