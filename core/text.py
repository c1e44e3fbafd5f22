"""Sentences translated when they are read, not when they are written.

A notification is written by one member's request (in their language) and read by others in
theirs. ``sentence(_("%(name)s backed %(title)s."), name=…, title=…)`` with ``_`` being
``gettext_lazy`` keeps the English msgid and its values; ``str()`` of it inside
``translation.override(lang)`` gives that language's text. Values that are themselves lazy
(a state's label) are translated at the same moment.
"""

from django.utils.functional import Promise


class Sentence:
    __slots__ = ("template", "values")

    def __init__(self, template: str | Promise, **values):
        self.template = template
        self.values = values

    def __str__(self) -> str:
        text = str(self.template)
        if not self.values:
            return text
        return text % {
            key: str(value) if isinstance(value, Promise | Sentence) else value
            for key, value in self.values.items()
        }

    def __repr__(self) -> str:
        return f"Sentence({self.template!r}, **{self.values!r})"


def sentence(template: str | Promise, **values) -> Sentence:
    return Sentence(template, **values)
