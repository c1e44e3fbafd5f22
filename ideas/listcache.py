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

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import cache_versions
from core.outages import DEPENDENCY_ERRORS

VERSION_KEY = "ideas:list-version"


def list_version() -> int:
    """The current version of the idea lists (0 until something changed since a cache flush)."""
    return cache.get(VERSION_KEY, 0)


def lists_changed() -> None:
    """Retire every cached list, now and at commit (``core.cache_versions.retire``)."""
    cache_versions.retire(VERSION_KEY, "idea lists")


def cached_cards(name: str, render: Callable[[], str]) -> str:
    """The rendered cards of the list ``name`` (say "hot:2") in the current language, from the
    cache when they are there under the current version, else ``render()``'d and kept."""
    seconds = settings.IDEA_LIST_CACHE_SECONDS
    if not seconds:
        return render()
    try:
        version = list_version()
    except DEPENDENCY_ERRORS:  # the cache is down: the page still works, rendered each time
        return render()
    return cache_versions.kept(f"ideas:cards:{version}:{get_language()}:{name}", seconds, render)


# A value that nothing but a save of an idea or a category changes (no time in it: not the
# closing tab's count) is exact under the list version, and is kept this long.
EXACT_COUNT_SECONDS = 600


def cached_value(name: str, count: Callable[[], Any], *, exact: bool = False) -> Any:
    """A value of the lists, ``name`` — how many ideas a list holds (its pages' count), the
    categories —, kept like the cards: under the list version (an idea published, hidden,
    edited, changing state, a category saved: at once), else at most
    ``IDEA_LIST_CACHE_SECONDS`` old — ``EXACT_COUNT_SECONDS`` when ``exact`` (no time in it).
    The count of every public idea is a scan of them all; a search's, of its matches."""
    seconds = settings.IDEA_LIST_CACHE_SECONDS
    if not seconds:
        return count()
    seconds = EXACT_COUNT_SECONDS if exact else seconds
    try:
        version = list_version()
    except DEPENDENCY_ERRORS:
        return count()
    return cache_versions.kept(f"ideas:value:{version}:{name}", seconds, count)


def on_category_saved(sender, instance, **kwargs) -> None:
    from .models import Category

    if isinstance(instance, Category):
        lists_changed()


def on_idea_saved(sender, instance, **kwargs) -> None:
    from .models import Idea

    if isinstance(instance, Idea):
        lists_changed()
        threads_changed(instance.pk)  # hidden, published: the reply buttons follow the idea


# --- The idea page's threads -------------------------------------------------------------------
# A page of an idea's discussion (the rendered threads and their pagination) reads the same for
# every reader of a *bucket* — anonymous visitors; signed-in members; reviewers — in a language
# and a time zone, except for what depends on the reader (ideas.templatetags: a member's own
# comments have no flag button and, when hidden, show their text to their author). So a page is
# cached per idea, page, language, zone and bucket, with the ids of the comments' authors: a
# member who wrote one of them, and the idea's creator (accept buttons), get theirs rendered.
# The cached page is retired by a *thread version* that every comment written, hidden, shown
# again or accepted on the idea bumps at once and at commit, and by the *names version* that a
# change of a member's name bumps (``on_member_saved``). The relative times ("3 minutes ago")
# are left as markers and written for each request (``fill_times``): never stale.

NAMES_KEY = "ideas:threads-names"
_TIME_MARK = re.compile(r"<!--t:(-?\d+(?:\.\d+)?)-->")


def _threads_version_key(idea_id: int) -> str:
    return f"ideas:threads-version:{idea_id}"


def threads_changed(idea_id: int) -> None:
    """Retire the idea's cached threads (now and at commit, as ``lists_changed``)."""
    cache_versions.retire(_threads_version_key(idea_id), f"idea {idea_id}: cached threads")


def time_mark(value) -> str:
    """A relative time left for ``fill_times`` (the markup of a page that may be cached)."""
    return f"<!--t:{value.timestamp():.6f}-->"


def fill_times(html: str) -> str:
    """The page with each ``time_mark`` written as the reader reads it now ("3 minutes ago")."""
    from django.utils.html import escape

    from core.templatetags.cldr import relative

    def written(match: re.Match) -> str:
        return escape(relative(datetime.fromtimestamp(float(match[1]), tz=UTC)))

    return mark_safe(_TIME_MARK.sub(written, html))  # noqa: S308 — rendered, times escaped


def cached_threads(
    idea_id: int, query: str, bucket: str, render: Callable[[], tuple[str, set[int]]]
) -> tuple[str, set[int]]:
    """The idea's rendered threads (times as markers) for the page's query string
    (``?page=``) in ``bucket``, and the ids of their comments' authors: from the cache when
    they are there under the idea's current thread version, else ``render()``'d and kept."""
    seconds = settings.IDEA_THREADS_CACHE_SECONDS
    if not seconds:
        return render()
    try:
        versions = cache.get_many([_threads_version_key(idea_id), NAMES_KEY])
        key = (
            f"ideas:threads:{idea_id}:{versions.get(_threads_version_key(idea_id), 0)}:"
            f"{versions.get(NAMES_KEY, 0)}:{get_language()}:{timezone.get_current_timezone_name()}:"
            f"{bucket}:{query}"
        )
        kept = cache.get(key)
    except DEPENDENCY_ERRORS:
        return render()
    if kept is not None:
        return kept[0], set(kept[1])
    html, authors = render()
    try:
        cache.set(key, (html, sorted(authors)), seconds)
    except DEPENDENCY_ERRORS:
        pass
    return html, authors


def on_member_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A member's name may have changed: retire every cached thread (names are on them). A
    save of other fields only (``last_login`` at each sign-in) and a new member (who wrote
    nothing yet) retire nothing."""
    if created or (
        update_fields is not None and not {"display_name", "username"} & set(update_fields)
    ):
        return
    cache_versions.retire(NAMES_KEY, "member names")
