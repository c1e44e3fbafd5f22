"""The home page's idea cards, cached as rendered HTML (the profile's biggest cost).

bench/load_test.py found the home tabs to be the most requested pages and their time to be
~90 % template rendering of the twenty cards (docs/performance.md). The cards are the same for
every visitor (no per-member state: counts, titles, relative times), so the rendered list is
cached per tab, page and language under a *list version*:

* anything that makes an idea appear, disappear or read differently on a card — publishing,
  editing, hiding, a change of state, deleting — saves the idea and bumps the version at
  commit, so the next visitor gets freshly rendered cards at once;
* counters that move with every vote or comment are written by UPDATE (never a save) and are
  allowed to be up to ``IDEA_LIST_CACHE_SECONDS`` old on the lists (the idea page itself always
  shows the live count). ``IDEA_LIST_CACHE_SECONDS = 0`` turns the cache off.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from core.outages import DEPENDENCY_ERRORS

log = logging.getLogger(__name__)

VERSION_KEY = "ideas:list-version"


def list_version() -> int:
    """The current version of the idea lists (0 until something changed since a cache flush)."""
    return cache.get(VERSION_KEY, 0)


def lists_changed() -> None:
    """Retire every cached list: now (this request's own next page shows the change even
    inside its transaction) and again at commit (a page cached meanwhile by another request,
    from before the commit, is retired too)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    """Best effort: with the cache down there is nothing cached to retire (and what it held
    when it comes back is at most IDEA_LIST_CACHE_SECONDS old)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or the cache was flushed): start one
            cache.set(VERSION_KEY, 1, timeout=None)
    except DEPENDENCY_ERRORS:
        log.warning("idea lists: the cache is unreachable; cached cards not retired")


def cached_cards(name: str, render: Callable[[], str]) -> str:
    """The rendered cards of the list ``name`` (say "hot:2") in the current language, from the
    cache when they are there under the current version, else ``render()``'d and kept."""
    seconds = settings.IDEA_LIST_CACHE_SECONDS
    if not seconds:
        return render()
    try:
        key = f"ideas:cards:{list_version()}:{get_language()}:{name}"
        html = cache.get(key)
    except DEPENDENCY_ERRORS:  # the cache is down: the page still works, rendered each time
        return render()
    if html is None:
        html = render()
        try:
            cache.set(key, html, seconds)
        except DEPENDENCY_ERRORS:
            pass
    return html


def on_idea_saved(sender, instance, **kwargs) -> None:
    from .models import Idea

    if isinstance(instance, Idea):
        lists_changed()


# --- The idea page's threads -------------------------------------------------------------------
# An anonymous visitor's discussion (the rendered threads and their pagination) is the same for
# every visitor of the idea in a language: cached per idea under a *thread version* that every
# comment written, hidden, shown again or accepted on the idea bumps at once and at commit.
# Relative times and authors' names may be up to IDEA_LIST_CACHE_SECONDS old.


def _threads_version_key(idea_id: int) -> str:
    return f"ideas:threads-version:{idea_id}"


def threads_changed(idea_id: int) -> None:
    """Retire the idea's cached threads (now and at commit, as ``lists_changed``)."""
    _bump_threads(idea_id)
    transaction.on_commit(lambda: _bump_threads(idea_id))


def _bump_threads(idea_id: int) -> None:
    key = _threads_version_key(idea_id)
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)
    except DEPENDENCY_ERRORS:
        log.warning("idea %s: the cache is unreachable; cached threads not retired", idea_id)


def cached_threads(idea_id: int, query: str, render: Callable[[], str]) -> str:
    """The idea's rendered threads for the page's query string (``?page=``), from the cache
    when they are there under the idea's current thread version, else ``render()``'d and kept."""
    seconds = settings.IDEA_LIST_CACHE_SECONDS
    if not seconds:
        return render()
    try:
        version = cache.get(_threads_version_key(idea_id), 0)
        key = f"ideas:threads:{idea_id}:{version}:{get_language()}:{query}"
        html = cache.get(key)
    except DEPENDENCY_ERRORS:
        return render()
    if html is None:
        html = render()
        try:
            cache.set(key, html, seconds)
        except DEPENDENCY_ERRORS:
            pass
    return html
