import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy

from .usernames import skeleton


class SkeletonField(models.CharField):
    """Kept equal to ``skeleton(username)`` on every save and bulk insert (``pre_save``), so
    "looks like an existing username" is one indexed lookup."""

    def pre_save(self, model_instance, add):
        value = skeleton(model_instance.username or "")
        setattr(model_instance, self.attname, value)
        return value


def avatar_upload_to(instance, filename: str) -> str:
    """Avatars are re-encoded JPEGs with random names (core.images)."""
    return f"avatars/{uuid.uuid4().hex}.jpg"


class User(AbstractUser):
    """A member. ``display_name`` is what others see; the e-mail stays private."""

    email = models.EmailField(gettext_lazy("e-mail address"), unique=True)
    email_verified = models.BooleanField(default=False)
    display_name = models.CharField(max_length=80, blank=True)
    # An IANA zone ("Asia/Shanghai") the member chose; blank: the browser's (accounts.timezones).
    time_zone = models.CharField(max_length=64, blank=True, db_default="")
    # A code from settings.LANGUAGES ("zh-hans"); blank: the browser's (accounts.languages).
    language = models.CharField(max_length=16, blank=True, db_default="")
    # The public profile shows the member's lifetime earnings only when they say so.
    profile_shows_earnings = models.BooleanField(
        gettext_lazy("Show my lifetime earnings on my public profile"),
        default=False,
        db_default=False,
    )
    # The member's picture, square, 96 and 192 px (core.images.avatar_process); blank: a letter.
    avatar_96 = models.FileField(upload_to=avatar_upload_to, blank=True, db_default="")
    avatar_192 = models.FileField(upload_to=avatar_upload_to, blank=True, db_default="")
    username_skeleton = SkeletonField(max_length=600, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["id"]

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def __str__(self) -> str:
        return self.public_name
