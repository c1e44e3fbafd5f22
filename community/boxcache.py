"""The idea page's community box (followers, the creator's updates), cached per idea.

Every idea page showed it with two queries (the follower count, the last updates), the same for
every reader. It is kept under a per-idea version that a follow, an unfollow and an update
written, changed or deleted bump at once and at commit (signals on the rows, so the admin's
edits count too). The updates are kept as plain values (no member rows in the cache)."""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

from core.outages import DEPENDENCY_ERRORS

log = logging.getLogger(__name__)
SECONDS = 600


def _version_key(idea_id: int) -> str:
    return f"community:idea-box-version:{idea_id}"


def changed(idea_id: int) -> None:
    _bump(idea_id)
    transaction.on_commit(lambda: _bump(idea_id))


def _bump(idea_id: int) -> None:
    key = _version_key(idea_id)
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)
    except DEPENDENCY_ERRORS:
        log.warning("idea %s: the cache is unreachable; community box not retired", idea_id)


def on_row_changed(sender, instance, **kwargs) -> None:
    """A follow or an update of an idea was saved or deleted."""
    changed(instance.idea_id)


def cached(idea_id: int, compute: Callable[[], dict]) -> dict:
    try:
        version = cache.get(_version_key(idea_id), 0)
        key = f"community:idea-box:{idea_id}:{version}"
        value = cache.get(key)
    except DEPENDENCY_ERRORS:
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, SECONDS)
        except DEPENDENCY_ERRORS:
            pass
    return value
