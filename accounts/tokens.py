"""API tokens: a request's ``Authorization: Token <key>`` found in one query.

Only a hash of each key is stored (``accounts.ApiToken``); the lookup is one fixed statement
(token hash → unexpired token → its member), built once, with no cache: a revoked or expired
token, or a deactivated member, is refused on the very next request, and nothing has to be
forgotten when a member is saved. Tokens are issued and revoked by ``accounts.services``.
"""

import functools
import hashlib
import secrets

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from core.db import fetch_one_prepared

from .models import ApiToken, User


def new_key() -> str:
    return secrets.token_hex(20)


def key_hash(key: str) -> str:
    """What is stored for a key, and what a request's key is looked up by."""
    return hashlib.sha256(key.encode()).hexdigest()


def member_for_key(key: str) -> User | None:
    """The member behind an unexpired API token, in one fixed query built once (the ORM
    compiling the same join on every request costs more CPU than the query)."""
    fields = User._meta.concrete_fields
    row = fetch_one_prepared(_member_sql(), [key_hash(key), timezone.now()])
    if row is None:
        return None
    values = []
    for field, value in zip(fields, row, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, field, connection)
        values.append(value)
    return User.from_db(connection.alias, [f.attname for f in fields], values)


@functools.cache
def _member_sql() -> str:
    quote = connection.ops.quote_name
    users, tokens = User._meta.db_table, ApiToken._meta.db_table
    columns = ", ".join(f"u.{quote(f.column)}" for f in User._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {quote(tokens)} t JOIN {quote(users)} u ON u.id = t.member_id "  # noqa: S608
        "WHERE t.key_hash = %s AND t.expires_at > %s"
    )


def token_member_sql(*, token: str, now: str) -> str:
    """A SQL fragment naming the member (``id``) of an unexpired token, for a statement that
    finds the member itself (the vote's one statement); ``token`` and ``now`` name its
    parameters (the token's hash, from ``key_hash``, and the time)."""
    users, tokens = User._meta.db_table, ApiToken._meta.db_table
    return (
        f"SELECT t.member_id AS id FROM {tokens} t JOIN {users} u ON u.id = t.member_id "  # noqa: S608
        f"WHERE t.key_hash = {token} AND t.expires_at > {now}"
    )


def token_key_of(request) -> str | None:
    """The API token key a request carries (``Authorization: Token <key>``, read as DRF's
    TokenAuthentication reads it), without looking it up; None when it carries none."""
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != TokenAuthentication.keyword.lower().encode():
        return None
    try:
        return parts[1].decode()
    except UnicodeError:
        return None


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token authentication against ``ApiToken``: one query per request, memoised on
    the request (the idempotency middleware and the view share it)."""

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
        user = member_for_key(key)
        if user is None:
            raise AuthenticationFailed(gettext("Invalid or expired token."))
        if not user.is_active:
            raise AuthenticationFailed(gettext("User inactive or deleted."))
        return user, key
