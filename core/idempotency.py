"""Every state-changing request happens once.

* API: a POST under ``/api/`` with an ``Idempotency-Key`` header runs once per caller and key;
  the same key with the same request gets the first response again (status and body, with
  ``Idempotent-Replayed: true``); the same key with another request is a 409.
* Pages: every plain form carries a one-time token (``{% once_token %}``), and the view that
  takes it is wrapped in ``once_per_submission``: a double click or Back-and-resubmit lands on
  the first submission's result instead of making a second row.

The unique ``(scope, key)`` row decides which request was first, also across processes. A
concurrent replay waits for the first request's response. Records expire after
``IDEMPOTENCY_TTL_SECONDS``; a record whose first request died before answering is taken over
after ``IDEMPOTENCY_PENDING_SECONDS``.
"""

import functools
import hashlib
import tempfile
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone

from .access import passes_authentication
from .models import IdempotencyRecord

FORM_FIELD = "_once"
REPLAY_HEADER = "Idempotent-Replayed"
_POLL_SECONDS = 0.05


def _ttl() -> timedelta:
    return timedelta(seconds=getattr(settings, "IDEMPOTENCY_TTL_SECONDS", 24 * 3600))


def _pending_limit() -> timedelta:
    return timedelta(seconds=getattr(settings, "IDEMPOTENCY_PENDING_SECONDS", 60))


def _wait_limit() -> float:
    return float(getattr(settings, "IDEMPOTENCY_WAIT_SECONDS", 15))


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def _caller(request) -> str:
    """Whose key this is: the token, the signed-in member, or the anonymous session/address."""
    auth = request.headers.get("Authorization", "")
    if auth:
        return _digest("auth", auth)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _digest("user", str(user.pk))
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    return _digest("anon", session_key or request.META.get("REMOTE_ADDR", ""))


def claim(*, scope: str, key: str, fingerprint: str) -> tuple[IdempotencyRecord, bool]:
    """Insert the record, or find the one that was first. Returns (record, first)."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(scope=scope, key=key, expires_at__lte=now).delete()
    IdempotencyRecord.objects.filter(
        scope=scope, key=key, status_code__isnull=True, created_at__lte=now - _pending_limit()
    ).delete()  # the first request died before answering: let this one run
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                scope=scope,
                key=key,
                fingerprint=fingerprint,
                created_at=now,
                expires_at=now + _ttl(),
            )
        return record, True
    except IntegrityError:
        return IdempotencyRecord.objects.get(scope=scope, key=key), False


def records_purge() -> int:
    """Forget expired records (beat runs this hourly); returns how many went."""
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def wait_for_answer(record: IdempotencyRecord) -> IdempotencyRecord | None:
    """The first request's record once it has answered; None if it failed or is still running."""
    deadline = time.monotonic() + _wait_limit()
    while record.status_code is None:
        if time.monotonic() > deadline:
            return None
        time.sleep(_POLL_SECONDS)
        record = IdempotencyRecord.objects.filter(pk=record.pk).first()
        if record is None:
            return None
    return record


def store(record: IdempotencyRecord, response: HttpResponse) -> None:
    """Keep an answer that a replay should see again; forget a failure so a retry runs."""
    if response.status_code >= 500 or response.streaming:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=bytes(response.content),
        location=response.get("Location", ""),
    )


def release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type or None
    )
    if record.location:
        response["Location"] = record.location
    response[REPLAY_HEADER] = "true"
    return response


def _api_error(status: int, code: str, message: str, field: str = "Idempotency-Key"):
    body = {"error": {"status": status, "code": code, "message": message, "fields": {}}}
    if field:
        body["error"]["fields"] = {field: [message]}
    return JsonResponse(body, status=status)


class IdempotencyKeyMiddleware:
    """Honours ``Idempotency-Key`` on every POST under ``/api/``.

    The key is claimed just before the view runs (``process_view``), once the view is known: a
    request without valid credentials for a view that needs them is left to the view's 401, so
    the answer to "who are you?" never depends on an earlier use of the key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except BaseException:
            if (record := getattr(request, "_idempotency_record", None)) is not None:
                release(record)
            raise
        if (record := getattr(request, "_idempotency_record", None)) is not None:
            store(record, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return None
        if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
            return _api_error(
                400, "invalid", "Send an Idempotency-Key of 1 to 255 printable ASCII characters."
            )
        if not passes_authentication(view_func, request):
            return None  # the view answers 401
        record, first = claim(
            scope=_caller(request), key=key, fingerprint=_request_fingerprint(request)
        )
        if not first:
            return self._answer_replay(request, record)
        request._idempotency_record = record
        return None

    def _answer_replay(self, request, record):
        if record.fingerprint != _request_fingerprint(request):
            return _api_error(
                409,
                "idempotency_key_reused",
                "This Idempotency-Key was already used for another request: "
                "use a new key for a new request.",
            )
        answered = wait_for_answer(record)
        if answered is None:
            response = _api_error(
                409,
                "idempotency_key_in_use",
                "The first request with this Idempotency-Key is still running: retry shortly.",
            )
            response["Retry-After"] = "1"
            return response
        return _replay(answered)


def _request_fingerprint(request) -> str:
    memo = getattr(request, "_idempotency_fingerprint", None)
    if memo is None:
        content_type = request.content_type or ""
        if content_type.startswith("multipart/"):
            memo = _digest(
                request.path, request.META.get("QUERY_STRING", ""), _spooled_hash(request)
            )
        else:
            memo = _digest(request.path, request.META.get("QUERY_STRING", ""), request.body)
        request._idempotency_fingerprint = memo
    return memo


_CHUNK = 64 * 1024


def _spooled_hash(request) -> str:
    """The hash of an upload's whole body, read once in chunks into a spooled file (memory up
    to FILE_UPLOAD_MAX_MEMORY_SIZE, then disk) that the view then parses as if unread: two
    bodies of the same length are told apart (issue 26: the length alone stood for the body),
    and the upload is never held whole in memory. The request's size was bounded before
    (core.uploads.RequestSizeLimitMiddleware)."""
    digest = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    while chunk := request._stream.read(_CHUNK):
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    request._stream = spool
    return digest.hexdigest()


def new_form_token() -> str:
    return uuid.uuid4().hex


def once_per_submission(view):
    """Wrap a view that takes a plain form: a POST whose one-time token was already used gets
    the first submission's answer (its redirect) instead of running again. A submission that
    re-rendered the form with errors frees its token, so correcting and resending works."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FORM_FIELD, "") if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        record, first = claim(scope=_caller(request), key=f"form:{token[:64]}", fingerprint="")
        if not first:
            answered = wait_for_answer(record)
            if answered is not None and answered.location:
                return HttpResponseRedirect(answered.location)
            if answered is None:
                return HttpResponse(
                    "Your first submission of this form is still being processed. "
                    "Reload the page in a moment.",
                    status=409,
                    content_type="text/plain; charset=utf-8",
                )
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            release(record)
            raise
        if 300 <= response.status_code < 400:
            store(record, response)
        else:
            release(record)
        return response

    return wrapper
