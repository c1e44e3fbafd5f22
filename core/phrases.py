"""Stored facts, rendered words: what the platform writes into the database is a code and its
parameters, said in the reader's language when it is read.

Each app declares its phrases once (``phrase("round_funded", gettext_noop("…%(raised)s…"))``,
in its ``phrases.py``, imported by its ``AppConfig.ready()``) and stores ``said(code, **params)``
(``Said.code`` and ``Said.params``, plain JSON) beside the record. ``render(code, params)`` is the
sentence in the current language, with:

* ``money(amount, currency)`` — minor units, formatted by ``core.money.format_money`` in the
  reader's locale (¥4,200.50 for a Chinese reader of yuan, €1,330.00 for an Irish one of euros);
* ``day(date)`` — a date, in the locale's own long form (2026年12月3日, December 3, 2026);
* ``label("app.Model.field", value)`` — a choice's label (a state, a kind), translated.

Anything else (a title, a name, a count) is kept as it was given. A record written before its
phrase existed keeps its old text, which ``render`` returns when it has no code (``fallback``).
"""

from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from django.apps import apps
from django.utils.translation import get_language, gettext, to_locale

from .locale import current_locale

_PHRASES: dict[str, str] = {}


def phrase(code: str, template: str) -> str:
    """Declare a phrase (``template`` marked with ``gettext_noop``); returns its code."""
    known = _PHRASES.setdefault(code, template)
    if known != template:
        raise ValueError(f"phrase {code!r} is declared twice with different words")
    return code


def template_of(code: str) -> str | None:
    return _PHRASES.get(code)


def money(amount: int, currency: str) -> dict:
    return {"money": [int(amount), currency.upper()]}


def day(value: date) -> dict:
    return {"date": value.isoformat()}


def label(field: str, value: str, *, lower: bool = False) -> dict:
    found = {"choice": field, "value": str(value)}
    if lower:
        found["lower"] = True
    return found


class Said:
    """A phrase and its parameters: stored as ``code`` + ``params``, ``str()`` in the current
    language (so a ``Said`` goes wherever a lazy sentence went)."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, params: dict):
        if code not in _PHRASES:
            raise KeyError(f"no phrase {code!r}: declare it with core.phrases.phrase()")
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return render(self.code, self.params)

    def __repr__(self) -> str:
        return f"Said({self.code!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Said) and (self.code, self.params) == (other.code, other.params)

    __hash__ = None  # type: ignore[assignment]


def said(code: str, **params) -> Said:
    return Said(code, params)


def reader_locale() -> Locale:
    """The number and date locale of the current language: the request's (``core.locale``) when
    it speaks that language, else the language's own (an e-mail to a Chinese member)."""
    number = current_locale()
    language = get_language() or "en"
    if number.language == language.split("-")[0]:
        return number
    try:
        return Locale.parse(to_locale(language))
    except (ValueError, UnknownLocaleError):
        return number


def _value(value, locale: Locale):
    if not isinstance(value, dict):
        return value
    if "money" in value:
        from .money import format_money

        amount, currency = value["money"]
        return format_money(amount, currency, locale=locale)
    if "date" in value:
        return format_date(date.fromisoformat(value["date"]), format="long", locale=locale)
    if "choice" in value:
        app_label, model, field = value["choice"].split(".")
        choices = dict(apps.get_model(app_label, model)._meta.get_field(field).flatchoices)
        text = str(choices.get(value["value"], value["value"]))
        return text.lower() if value.get("lower") else text
    return value


def render(code: str, params: dict | None, fallback: str = "") -> str:
    """The phrase ``code`` with ``params`` in the current language; ``fallback`` (a record's
    text from before phrases) when there is no code or it is unknown."""
    template = _PHRASES.get(code or "")
    if template is None:
        return fallback
    locale = reader_locale()
    values = {key: _value(value, locale) for key, value in (params or {}).items()}
    return gettext(template) % values if values else gettext(template)
