"""The language pages, e-mails and API errors speak: English or Simplified Chinese.

A member's choice is stored on their account (``User.language``, ``language_chosen``): it wins
on every page and is the language of their e-mails and notifications. Visitors (and members who
never chose) get Django's ``LocaleMiddleware`` order: the ``django_language`` cookie the
switcher sets, then the browser's ``Accept-Language``; a member who never chose has that
language saved at sign-up and at each sign-in, for their e-mails and notifications. The API
honours ``Accept-Language`` (field names and error codes never change, only the sentences).
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from core.idempotency import once_per_submission


def supported(code: str | None) -> str | None:
    """A language code this site speaks ("zh-Hans" → "zh-hans"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.lower())
    except LookupError:
        return None


def language_of(user) -> str:
    """The language to write to a member in, away from any request (e-mails, notifications)."""
    return language_of_code(getattr(user, "language", ""))


def language_of_code(code: str | None) -> str:
    return supported(code) or settings.LANGUAGE_CODE


@contextmanager
def speaking_to(user):
    """``with speaking_to(member):`` — text rendered inside is in the member's language."""
    with translation.override(language_of(user)):
        yield


class MemberLanguageMiddleware:
    """After ``AuthenticationMiddleware``: a signed-in member's saved language wins over the
    cookie and the browser (``LocaleMiddleware`` chose those before the user was known)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        saved = None
        if user is not None and user.is_authenticated and user.language_chosen:
            saved = supported(user.language)
        if saved and saved != translation.get_language():
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        # What the reader asked for in this site (not just their browser): numbers follow it.
        request.chosen_language = saved or supported(
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        )
        return self.get_response(request)


@require_POST
@once_per_submission
def set_language(request):
    """Django's ``set_language`` (cookie and redirect back), remembered on the member's account."""
    response = django_set_language(request)
    code = supported(request.POST.get("language"))
    user = request.user
    if code and user.is_authenticated and (user.language, user.language_chosen) != (code, True):
        user.language, user.language_chosen = code, True
        user.save(update_fields=["language", "language_chosen"])
    return response
