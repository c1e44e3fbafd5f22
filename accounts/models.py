from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member. ``display_name`` is what others see; the e-mail stays private."""

    email = models.EmailField("e-mail address", unique=True)
    email_verified = models.BooleanField(default=False)
    display_name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def __str__(self) -> str:
        return self.public_name
