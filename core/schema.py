from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1 to 255 printable ASCII characters, new for every new request. The same "
        "key with the same request runs once while it is kept (IDEMPOTENCY_TTL_SECONDS, a day "
        "by default): a repeat gets the first answer again (status and body, with "
        "`Idempotent-Replayed: true`); the same key with another request is a 409."
    ),
)
IDEMPOTENCY_CONFLICT = (
    "The Idempotency-Key was already used for another request (`idempotency_key_reused`), or "
    "the first request with it is still running (`idempotency_key_in_use`, with Retry-After)."
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


class AutoSchema(BaseAutoSchema):
    """Name components after their qualified class name, and document ``Idempotency-Key``.

    The house style nests small ``InputSerializer`` / ``OutputSerializer`` classes in each API
    view; by plain class name they would all collide into one schema component. Every POST
    honours an ``Idempotency-Key`` header (core.idempotency.IdempotencyKeyMiddleware): each POST
    operation lists the header and its 409.
    """

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

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None or self.method != "POST":
            return operation
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(error)
        conflict = operation.setdefault("responses", {}).setdefault(
            "409",
            {"content": {"application/json": {"schema": error.ref}}, "description": ""},
        )
        conflict["description"] = " ".join(
            part for part in (conflict.get("description", ""), IDEMPOTENCY_CONFLICT) if part
        )
        return operation
