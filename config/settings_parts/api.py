"""The REST API (DRF, drf-spectacular) and the client address it counts limits by, from the
environment; part of config.settings."""

from django.utils.translation import gettext_lazy

from ..env import env_int, env_str

# --- Client addresses -------------------------------------------------------------------------
# How many reverse proxies of ours stand in front of gunicorn. 0: the client is REMOTE_ADDR and
# X-Forwarded-For is ignored; N: the N-th address from the right of X-Forwarded-For (each proxy
# appends what it saw). Used by core.net.client_ip: throttles, login lockout, the vote record.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not signed in" a 401, distinct from a
    # signed-in member's 403 for what they may not do.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    # The address every per-address limit counts: see TRUSTED_PROXY_COUNT and core.net.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        # Per member and per address; see core/throttles.py.
        "vote_user": env_str("THROTTLE_VOTE_USER", "30/min"),
        "vote_ip": env_str("THROTTLE_VOTE_IP", "300/min"),
        "comment_user": env_str("THROTTLE_COMMENT_USER", "10/min"),
        "comment_ip": env_str("THROTTLE_COMMENT_IP", "100/min"),
        "pledge_user": env_str("THROTTLE_PLEDGE_USER", "10/min"),
        "pledge_ip": env_str("THROTTLE_PLEDGE_IP", "100/min"),
        "claim_user": env_str("THROTTLE_CLAIM_USER", "30/hour"),
        "claim_ip": env_str("THROTTLE_CLAIM_IP", "300/hour"),
        "auth_user": env_str("THROTTLE_AUTH_USER", "30/min"),
        "auth_ip": env_str("THROTTLE_AUTH_IP", "30/min"),
        # Markdown preview: a click per preview, cheap but not free (see bench/markdown_bench.py).
        "preview_user": env_str("THROTTLE_PREVIEW_USER", "30/min"),
        "preview_ip": env_str("THROTTLE_PREVIEW_IP", "120/min"),
        # Account e-mails: per address and per submitted e-mail address / username.
        "signup_ip": env_str("THROTTLE_SIGNUP_IP", "20/hour"),
        # Sign-in attempts (the page) per address, whatever the accounts tried: one address
        # guessing many accounts is slowed (django-axes locks an address per account).
        "signin_ip": env_str("THROTTLE_SIGNIN_IP", "60/hour"),
        "signup_email": env_str("THROTTLE_SIGNUP_EMAIL", "3/hour"),
        "signup_username": env_str("THROTTLE_SIGNUP_USERNAME", "5/hour"),
        "reset_ip": env_str("THROTTLE_RESET_IP", "20/hour"),
        "reset_email": env_str("THROTTLE_RESET_EMAIL", "3/hour"),
        "resend_user": env_str("THROTTLE_RESEND_USER", "3/hour"),
        "resend_ip": env_str("THROTTLE_RESEND_IP", "20/hour"),
        # Uploads, creator updates and follows (issue 26: no flood of files or e-mails).
        "upload_user": env_str("THROTTLE_UPLOAD_USER", "20/hour"),
        "upload_ip": env_str("THROTTLE_UPLOAD_IP", "60/hour"),
        "update_user": env_str("THROTTLE_UPDATE_USER", "10/hour"),
        "update_ip": env_str("THROTTLE_UPDATE_IP", "60/hour"),
        "follow_user": env_str("THROTTLE_FOLLOW_USER", "60/hour"),
        "follow_ip": env_str("THROTTLE_FOLLOW_IP", "300/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AHHHA API",
    # In the request's language (the schema is generated per request, under it).
    "DESCRIPTION": gettext_lazy(
        "Ideas, votes, funding, contributions, settlements and payouts. "
        "Amounts are integers in minor units with a currency."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # After drf-spectacular's enum hook: a choice listed as its own label ("* `new` - new") goes.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.drop_echoed_choices",
    ],
    # core.converters.IdConverter (``<id:…>``): an id that fits PostgreSQL's bigint.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    },
    # Several models have a "kind": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ContributionKindEnum": "contributions.models.ContributionKind",
        "ClaimableKindEnum": "contributions.api.CLAIMABLE_KIND_CHOICES",
        "PayoutDestinationKindEnum": "payouts.destination_models.DestinationKind",
        # The channels of a group of notifications; money notices cannot be "off".
        "NotificationChannelEnum": "notifications.kinds.CHANNEL_VALUES",
        "NotificationChannelNotOffEnum": "notifications.kinds.CHANNEL_VALUES_NOT_OFF",
        "SalesLineKindEnum": "sales.models.LineKind",
    },
}
