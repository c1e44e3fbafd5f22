"""How the apps state their rules.

Each app owns its rules in ``<app>/rules.py`` as plain functions that read and never write. A
who-may or may-now rule returns a *refusal* (an ``ApplicationError`` that is not raised) or
``None``::

    refusal = voting.rules.may_vote(idea=idea, member=member, now=now)

Services raise it before writing (``check(refusal)``); pages, template tags and serializers show
``refusal.message`` or hide a button, and never restate the rule.
"""

from .errors import ApplicationError

Refusal = ApplicationError


def check(refusal: Refusal | None) -> None:
    """Raise a rule's refusal, if it gave one."""
    if refusal is not None:
        raise refusal
