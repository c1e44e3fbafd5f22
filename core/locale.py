"""The reader's number locale: how they write and read amounts ("12,50" or "12.50").

The middleware takes it from the browser's ``Accept-Language`` (the first language Babel knows)
for the length of a request, unless the reader chose this site's language
(``request.chosen_language``, set by the account's language middleware) and the browser says
another: then the chosen language's. E-mails, exports and jobs outside a request use English.
"""

from contextvars import ContextVar

from babel import Locale, UnknownLocaleError

DEFAULT = Locale.parse("en")
_current: ContextVar[Locale] = ContextVar("number_locale", default=DEFAULT)


def current_locale() -> Locale:
    return _current.get()


def locale_from_header(header: str) -> Locale:
    """ "de-DE,de;q=0.9,en;q=0.8" → de_DE; anything unknown or malformed → English."""
    tags = []
    for position, part in enumerate(header.split(",")[:12]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            tags.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(tags):
        try:
            return Locale.parse(tag, sep="-")
        except (ValueError, UnknownLocaleError):
            continue
    return DEFAULT


class NumberLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        locale = locale_from_header(request.headers.get("Accept-Language", ""))
        chosen = getattr(request, "chosen_language", None)
        if chosen:
            wanted = Locale.parse(chosen, sep="-")
            if wanted.language != locale.language:
                locale = wanted
        request.number_locale = locale
        token = _current.set(locale)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
