"""API tokens, looked up once: DRF's ``TokenAuthentication`` with the token's member cached.

A token request used to cost a join (token + user) in the idempotency middleware's check and
again in the view. Now the member behind a token is cached for ``TOKEN_CACHE_SECONDS`` under a
hash of the key (the key itself never goes to the cache) and memoised on the request, so a vote
by token reads the database as little as one by session. Safe: deleting a token (sign-out,
rotation) or saving its member (deactivation, a role change) drops the entry at once, and an
inactive member is refused as before.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from .models import User


def _cache_key(key: str) -> str:
    return "token-user:" + hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        memo = getattr(request, "_token_auth_memo", None)
        if memo is not None:
            return memo
        result = super().authenticate(request)
        try:
            request._token_auth_memo = result
        except AttributeError:  # pragma: no cover - a request that refuses attributes
            pass
        return result

    def authenticate_credentials(self, key):
        ttl = getattr(settings, "TOKEN_CACHE_SECONDS", 60)
        user = cache.get(_cache_key(key)) if ttl else None
        if user is None:
            try:
                token = Token.objects.select_related("user").get(key=key)
            except Token.DoesNotExist:
                raise AuthenticationFailed("Invalid token.") from None
            user = token.user
            if ttl:
                cache.set(_cache_key(key), user, ttl)
        if not user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return user, key


@receiver(post_delete, sender=Token)
def _forget_deleted_token(sender, instance, **kwargs):
    cache.delete(_cache_key(instance.key))


@receiver(post_save, sender=User)
def _forget_changed_member(sender, instance, **kwargs):
    for key in Token.objects.filter(user=instance).values_list("key", flat=True):
        cache.delete(_cache_key(key))
