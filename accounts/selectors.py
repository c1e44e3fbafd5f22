"""Reads of accounts that are more than one line."""

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, User


def tokens_of(*, member: User) -> QuerySet[ApiToken]:
    """The member's API tokens that still work, newest first."""
    return ApiToken.objects.filter(member=member, expires_at__gt=timezone.now())
