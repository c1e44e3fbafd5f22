"""One application error hierarchy, mapped to one JSON error shape for every API error.

Every API error body looks like::

    {"error": {"status": 409, "code": "conflict", "message": "…", "fields": {"amount": ["…"]}}}

``fields`` is present (and possibly empty) on every error so clients can rely on it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from . import outages


class ApplicationError(Exception):
    """A rule of the platform said no. Services raise these; the API and pages report them."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(
        self, message: str, *, fields: dict[str, list[str]] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(ApplicationError):
    """Bad input. The one message convention: each message is a whole sentence that says what to
    do ("Enter an amount of at least 1.00 EUR."), the same sentence on the field and, for the
    first field, as the error's message. Build them with ``for_field`` / ``for_fields``."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str | None = None) -> "ValidationFailed":
        return cls(message, fields={field: [message]}, code=code)

    @classmethod
    def for_fields(
        cls, fields: dict[str, list[str]], *, code: str | None = None
    ) -> "ValidationFailed":
        first = next(iter(fields.values()))[0]
        return cls(first, fields=fields, code=code)


class NotAllowed(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF error detail (dict / list / str, nested) → {field: [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                out[str(key)] = [str(v) for v in value if not isinstance(v, dict)] or [str(value)]
            else:
                out[str(key)] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {}


def _body(status_code: int, code: str, message: str, fields: dict[str, list[str]]) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields}}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if outages.is_outage(exc):
        headers = {"Retry-After": outages.retry_after(), "Cache-Control": "no-store"}
        return Response(outages.error_body(), status=503, headers=headers)
    if isinstance(exc, ApplicationError):
        return Response(
            _body(exc.status_code, exc.code, exc.message, exc.fields), status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = "; ".join(exc.messages)
        return Response(_body(400, "invalid", message, fields), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.items()), None)
        # The message is the first field's, in the reader's language; ``fields`` names the
        # field (a key of the API, the same in every language).
        message = first[1][0] if first else gettext("Invalid input.")
        response.data = _body(response.status_code, "invalid", message, fields)
    elif isinstance(exc, exceptions.ParseError):
        # DRF's detail carries the parser's own English ("Expecting property name…").
        message = gettext("The request body could not be read; send valid JSON.")
        response.data = _body(response.status_code, str(code), message, {})
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, dict | list):
            fields = _flatten(detail)
            message = "; ".join(m for msgs in fields.values() for m in msgs)
        else:
            fields, message = {}, str(detail)
        response.data = _body(response.status_code, str(code), message, fields)
    return response
