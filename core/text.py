"""Sentences translated when they are read, not when they are written.

A notification is written by one member's request (in their language) and read by others in
theirs; a module-level message is defined at import time, before anyone's language is known.
``sentence(gettext_lazy("%(name)s backed %(title)s."), name=…, title=…)`` keeps the English
msgid and its values and gives a lazy string: ``str()`` of it (inside
``translation.override(lang)``, or in a request) is that language's text. Values that are
themselves lazy (a state's label) are translated at the same moment.
"""

from django.utils.functional import Promise, lazy


def _render(template: str | Promise, values: dict) -> str:
    text = str(template)
    if not values:
        return text
    return text % {
        key: str(value) if isinstance(value, Promise) else value for key, value in values.items()
    }


_lazy_render = lazy(_render, str)


def sentence(template: str | Promise, **values) -> str:
    """A lazy ``template % values``: translated each time it is turned into text."""
    return _lazy_render(template, values)


def _lower(value: str | Promise) -> str:
    return str(value).lower()


lowered = lazy(_lower, str)
lowered.__doc__ = "A lazy lower-case of a lazy label: ``lowered(IdeaStatus.FUNDED.label)``."
