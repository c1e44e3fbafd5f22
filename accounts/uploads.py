"""Upload limits per member, checked before a byte of the body is read (issue 26).

Three drafts of 150 MB stored 450 MB in 1.2 s, and five junk files in one request spooled
716 MB. ``UploadLimitMiddleware`` runs once the member is known and before anything reads the
body (the idempotency key's hash, CSRF, the views' own size limits):

* a body larger than the largest single upload allowed (``MAX_REQUEST_BYTES``: the video limit
  and a margin for the form's other fields) is refused with 413;
* an upload (a multipart body over ``UPLOAD_MIN_BYTES``) counts against ``upload_user`` and
  ``upload_ip`` (429 past them);
* an upload that would take the member's stored files (videos, covers, evidence, picture:
  ``accounts.selectors.upload_bytes_of``) past ``UPLOAD_QUOTA_BYTES`` is refused with 413.

The number of files in a request is Django's ``DATA_UPLOAD_MAX_NUMBER_FILES``. Answers are JSON
under ``/api/`` and a page elsewhere, in the reader's language.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from core.net import client_ip
from core.throttles import limit_wait

from .limits import wait_sentence
from .selectors import upload_bytes_of
from .tokens import member_for_key, token_key_of

# Smaller multipart bodies (a settings form without a picture) are not uploads.
UPLOAD_MIN_BYTES = 16 * 1024
_MARGIN = 1024 * 1024


def max_request_bytes() -> int:
    largest = max(
        settings.VIDEO_MAX_UPLOAD_BYTES,
        getattr(settings, "COVER_MAX_UPLOAD_BYTES", 0),
        getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", 0),
    )
    return largest + _MARGIN


def _length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _member(request):
    key = token_key_of(request)
    if key is not None:
        return member_for_key(key)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _refuse(request, status: int, code: str, message: str, retry_after: int | None = None):
    if request.path.startswith("/api/"):
        body = {"error": {"status": status, "code": code, "message": message, "fields": {}}}
        response: HttpResponse = JsonResponse(body, status=status)
    else:
        response = render(request, "core/limited.html", {"message": message}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def upload_refusal(request) -> HttpResponse | None:
    """The answer refusing this request's body, or None when it may be read."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    length = _length(request)
    if length > max_request_bytes():
        message = gettext("The upload is too large: send at most %(size)s at once.") % {
            "size": filesizeformat(max_request_bytes())
        }
        return _refuse(request, 413, "too_large", message)
    if not (request.content_type or "").startswith("multipart/") or length <= UPLOAD_MIN_BYTES:
        return None
    member = _member(request)
    idents = [("ip", client_ip(request))]
    if member is not None:
        idents.insert(0, ("user", str(member.pk)))
    wait = limit_wait("upload", idents)
    if wait is not None:
        message = gettext("You are uploading too often: try again in %(wait)s.") % {
            "wait": wait_sentence(wait)
        }
        return _refuse(request, 429, "throttled", message, retry_after=wait)
    if member is not None and upload_bytes_of(member=member) + length > settings.UPLOAD_QUOTA_BYTES:
        message = gettext(
            "Your uploads would pass your storage quota of %(size)s: remove a video, a "
            "cover or evidence you no longer need, or upload a smaller file."
        ) % {"size": filesizeformat(settings.UPLOAD_QUOTA_BYTES)}
        return _refuse(request, 413, "quota_exceeded", message)
    return None


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = upload_refusal(request)
        if refused is not None:
            return refused
        return self.get_response(request)
