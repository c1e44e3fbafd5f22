import re

from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_doc, get_override
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from .access import open_to_anonymous

# drf-spectacular's own words (for an answer without a body, a 204, and the token scheme), which
# it ships no Chinese for: marked here, the catalog translates them (Django looks a message up in
# every catalog).
gettext_noop("No response body")
gettext_noop('Token-based authentication with required prefix "%s"')

# What core.idempotency accepts: 1–255 printable ASCII characters (no space at either end, which
# HTTP would strip).
IDEMPOTENCY_KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$",
}
IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=IDEMPOTENCY_KEY_SCHEMA,
    location=OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Optional, 1 to 255 printable ASCII characters, new for every new request. The same "
        "key with the same request runs once while it is kept (`IDEMPOTENCY_TTL_SECONDS`, a day "
        "by default): a repeat gets the first answer again (status and body, with "
        "`Idempotent-Replayed: true`); the same key with another request is a 409."
    ),
)
IDEMPOTENCY_CONFLICT = gettext_lazy(
    "The `Idempotency-Key` was already used for another request (`idempotency_key_reused`), or "
    "the first request with it is still running (`idempotency_key_in_use`, with `Retry-After`)."
)
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["status", "code", "message", "fields"],
        }
    },
    "required": ["error"],
}


# What every DRF CharField refuses, stated in the schema: a NUL character (PostgreSQL cannot store
# it) and, unless blank is allowed, text that is only spaces (trimmed to nothing). Services that
# refuse blank text with their own sentence mark their field ``schema_extra=NOT_BLANK``.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = {"pattern": r"^[^\x00]*[^\x00\s][^\x00]*$", "minLength": 1}


def documented(field, **schema):
    """``field``, with ``schema`` added to what its OpenAPI schema says (a pattern, a format…).
    A subclass, not an attribute: DRF re-creates fields from their class and arguments."""
    cls = type(field)
    documented_cls = type(f"Documented{cls.__name__}", (cls,), {"schema_extra": schema})
    return documented_cls(*field._args, **field._kwargs)


# The JSON error shape's statuses, with what each means; which of them an operation lists
# follows from the view (``AutoSchema._error_statuses``).
ERRORS = {
    "400": gettext_lazy(
        "The request is not valid: `error.fields` names each field and what to change."
    ),
    "401": gettext_lazy(
        "Not signed in, or the credentials sent are not valid (an expired or revoked token): "
        "send `Authorization: Token <key>` (POST /api/v1/auth/token/) or a session cookie; where "
        "anonymous callers may read, send none."
    ),
    "403": gettext_lazy(
        "Signed in, but this member may not do this (role, verified e-mail, ownership)."
    ),
    "404": gettext_lazy(
        "No such object, or it is not visible to this member (or no such page of a list)."
    ),
    "409": gettext_lazy("The object's state does not allow this now (`error.code` says why)."),
    "429": gettext_lazy("Too many requests: try again after `Retry-After` seconds."),
    "503": gettext_lazy(
        "A dependency (database, cache or broker) is down; nothing was changed. Try again "
        "after `Retry-After` seconds."
    ),
}


class AutoSchema(BaseAutoSchema):
    """Name components after their qualified class name, and document ``Idempotency-Key``.

    The house style nests small ``InputSerializer`` / ``OutputSerializer`` classes in each API
    view; by plain class name they would all collide into one schema component. Every POST
    honours an ``Idempotency-Key`` header (core.idempotency.IdempotencyKeyMiddleware): each POST
    operation lists the header and its 409.

    What the schema says to a reader is translated (``gettext_lazy``, rendered in the request's
    language): an operation's description is its ``extend_schema(description=…)``, never a
    docstring. Docstrings (of views, mixins, serializers) are for developers, in English.
    """

    def get_description(self) -> str:
        return ""

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False) -> str:
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = type(serializer).__qualname__
        if "." in qualname and "<locals>" not in qualname:
            owner = qualname.rsplit(".", 1)[0].replace(".", "")
            if not name.startswith(owner):
                name = owner + name
        return name

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    # What a field refuses matters for requests only; responses say what comes back.
    _direction = "response"

    def _map_basic_serializer(self, serializer, direction):
        outer, self._direction = self._direction, direction
        try:
            schema = super()._map_basic_serializer(serializer, direction)
        finally:
            self._direction = outer
        if get_override(serializer, "description") is None:
            schema.pop("description", None)  # the serializer's docstring
        return schema

    def _map_response_type_hint(self, method):
        schema = super()._map_response_type_hint(method)
        if schema.get("description") and schema["description"] == get_doc(method):
            # A SerializerMethodField's method docstring: its help_text says it to the reader.
            schema = {key: value for key, value in schema.items() if key != "description"}
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request":
            self._refine(field, schema)
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if self._direction == "request":
            self._refine(field, schema)

    @staticmethod
    def _refine(field, schema) -> None:
        """What the field refuses, said in its schema (idempotent: called on both paths)."""
        extra = getattr(field, "schema_extra", {})
        blank_ok = "oneOf" in schema  # drf-spectacular's "…or an empty string"
        target = schema["oneOf"][0] if blank_ok else schema
        if target.get("type") != "string":
            return
        if isinstance(field, serializers.FileField):
            if not field.allow_empty_file:
                target["minLength"] = 1
        elif isinstance(field, serializers.CharField) and "pattern" not in target:
            trimmed = field.trim_whitespace and not field.allow_blank
            target.update(NOT_BLANK if trimmed else {"pattern": NO_NUL})
        target.update(extra)
        refuses_blank = extra.get("pattern") == NOT_BLANK["pattern"]  # the service says so
        pattern_takes_blank = (
            "pattern" in target and re.search(target["pattern"], "") and ("minLength" not in target)
        )
        if blank_ok and (refuses_blank or pattern_takes_blank):
            # One schema, not "this or empty": a oneOf whose branches both take "" refuses it.
            del schema["oneOf"]
            schema.update(target)

    def get_auth(self):
        """Mark an operation open to anonymous callers (security ``{}``) whenever the view's own
        permissions let an anonymous request through, not only for DRF's two stock classes."""
        auths = super().get_auth()
        if {} not in auths and open_to_anonymous(self.view, self.method):
            auths.append({})
        return auths

    def _error_statuses(self, operation) -> list[str]:
        unsafe = self.method not in SAFE_METHODS
        statuses = ["503"]
        if unsafe or operation.get("parameters") or operation.get("requestBody"):
            statuses.append("400")
        if {} not in operation.get("security", [{}]):
            statuses += ["401", "403"]
        else:
            if self.view.get_authenticators():
                statuses.append("401")  # credentials that are sent are checked: an expired token
            if unsafe:
                statuses.append("403")  # signed-in-only actions open to reading
        if "{" in self.path or self._get_paginator() is not None:
            statuses.append("404")
        if unsafe:
            statuses.append("409")
        if self.view.get_throttles() and unsafe or self.path.startswith("/api/v1/auth/"):
            statuses.append("429")
        return statuses

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(error)
        responses = operation.setdefault("responses", {})
        for status in sorted(self._error_statuses(operation)):
            response = responses.setdefault(
                status, {"content": {"application/json": {"schema": error.ref}}}
            )
            response.setdefault("description", ERRORS[status])
            if not response["description"]:
                response["description"] = ERRORS[status]
        if self.method == "POST":
            conflict = responses["409"]
            parts = [str(part) for part in (conflict["description"], IDEMPOTENCY_CONFLICT) if part]
            # Sentences in Chinese follow one another without a space.
            conflict["description"] = ("" if parts[0].endswith("。") else " ").join(parts)
        return operation


ECHOED_CHOICE = re.compile(r"^\* `([^`\n]*)` - \1$\n?", re.M)


def drop_echoed_choices(result, generator, request, public):
    """drf-spectacular lists an enum's choices as "* `value` - label"; where the label is the
    value again (choices without labels: ``hot``, ``approve``), the line says nothing the enum
    does not, and would read as English in every language. A postprocessing hook, after
    drf-spectacular's own (which writes the enum components' lists)."""

    def visit(node):
        if isinstance(node, dict):
            text = node.get("description")
            if isinstance(text, str) and ECHOED_CHOICE.search(text):
                if shorter := ECHOED_CHOICE.sub("", text).strip():
                    node["description"] = shorter
                else:
                    del node["description"]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
