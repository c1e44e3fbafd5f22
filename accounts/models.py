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
    # Taken from the language they browse in at sign-up and at each sign-in, until they choose
    # one (the switcher, Settings: ``language_chosen``), which then wins on every page.
    language = models.CharField(max_length=16, blank=True, db_default="")
    language_chosen = models.BooleanField(default=False, db_default=False)
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


class ApiToken(models.Model):
    """An API token of a member (``Authorization: Token <key>``). Only a hash of the key is
    kept: the key is shown once, when issued. A member may hold several (one per device or
    script, named); each expires (``API_TOKEN_TTL_DAYS``), may be revoked, and all are revoked
    when the password changes or is reset (accounts.services)."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    # sha256 of the key, hex: what a request's key is looked up by (accounts.tokens).
    key_hash = models.CharField(max_length=64, unique=True)
    # The key's first characters, to tell one's tokens apart in the list.
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "expires_at"], name="apitoken_member_idx")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.member_id})"
