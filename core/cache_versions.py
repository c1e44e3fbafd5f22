"""Cached values retired by a *version*: a counter in the cache that a change bumps, part of
every key the values are kept under, so one bump retires them all at once (the idea lists, an
idea's threads, its community box). Best effort throughout: with the cache down nothing is
cached to retire, and values are computed each time."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from core.outages import DEPENDENCY_ERRORS

log = logging.getLogger(__name__)


def bump(key: str, what: str) -> None:
    """Move the version ``key`` on (``what`` names it in the log when the cache is down)."""
    try:
        try:
            cache.incr(key)
        except ValueError:  # no version yet (or the cache was flushed): start one
            cache.set(key, 1, timeout=None)
    except DEPENDENCY_ERRORS:
        log.warning("%s: the cache is unreachable; cached values not retired", what)


def retire(key: str, what: str) -> None:
    """Bump the version now (this request's own next read shows the change even inside its
    transaction) and again at commit (a value cached meanwhile by another request, from before
    the commit, is retired too)."""
    bump(key, what)
    transaction.on_commit(lambda: bump(key, what))


def kept(key: str, seconds: int, compute: Callable[[], Any]) -> Any:
    """The value under ``key``, or ``compute()``'d and kept ``seconds`` (a value of None is
    never kept); computed each time while the cache is down."""
    try:
        value = cache.get(key)
    except DEPENDENCY_ERRORS:
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except DEPENDENCY_ERRORS:
            pass
    return value
