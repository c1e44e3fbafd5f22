"""The idea page's community box (followers, the creator's updates), cached per idea.

Every idea page showed it with two queries (the follower count, the last updates), the same for
every reader. It is kept under a per-idea version that a follow, an unfollow and an update
written, changed or deleted bump at once and at commit (signals on the rows, so the admin's
edits count too). The updates are kept as plain values (no member rows in the cache)."""

from collections.abc import Callable

from django.core.cache import cache

from core import cache_versions
from core.outages import DEPENDENCY_ERRORS

SECONDS = 600


def _version_key(idea_id: int) -> str:
    return f"community:idea-box-version:{idea_id}"


def changed(idea_id: int) -> None:
    cache_versions.retire(_version_key(idea_id), f"idea {idea_id}: community box")


def on_row_changed(sender, instance, **kwargs) -> None:
    """A follow or an update of an idea was saved or deleted."""
    changed(instance.idea_id)


def cached(idea_id: int, compute: Callable[[], dict]) -> dict:
    try:
        version = cache.get(_version_key(idea_id), 0)
    except DEPENDENCY_ERRORS:
        return compute()
    return cache_versions.kept(f"community:idea-box:{idea_id}:{version}", SECONDS, compute)
