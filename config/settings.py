"""AHHHA settings: everything comes from the environment, with working defaults.

With nothing set, the site runs on the embedded PostgreSQL (config/embedded_db.py, started by
`make`) with Celery tasks executed in-process (the embedded default). ``DATABASE_URL`` and
``REDIS_URL`` name a PostgreSQL and a Redis of your own. ``DEBUG=0`` turns on
the production hardening that ``manage.py check --deploy`` looks for, and then a ``SECRET_KEY``
must be given.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.observability.logs import FORMATS as LOG_FORMATS
from core.observability.logs import logging_config

from . import embedded_db
from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "csp",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "notifications",
    "ideas",
    "voting",
    "funding",
    "contributions",
    "payouts",
    "community",
    "products",
    "sales",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Heavy public reads from the replica, when there is one (core.dbrouting).
    "core.dbrouting.ReadRoutingMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The cookie the language switcher sets, else Accept-Language (pages and API errors).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in member's saved language wins (accounts.languages); numbers follow the language.
    "accounts.languages.MemberLanguageMiddleware",
    "core.locale.NumberLocaleMiddleware",
    "accounts.timezones.MemberTimeZoneMiddleware",
    # With DEBUG on (the demo), a missing page is still the site's page, not Django's URL list.
    "core.notfound.SiteNotFoundMiddleware",
    "core.idempotency.IdempotencyKeyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A browser's device cookie (core.device): voting.clusters flags accounts sharing one.
    "core.device.DeviceCookieMiddleware",
    # Last: turns a locked-out login attempt into accounts.lockout's 429 page or JSON.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees a page view's exception first: dependency outages → 503 (core.outages).
    "core.outages.DependencyOutageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "accounts.context_processors.roles",
                "config.navigation.queues",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL names the PostgreSQL to use; without it, the embedded server of this checkout
# (config/embedded_db.py: `make demo` and `make test` start and stop it).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    DATABASES = {"default": embedded_db.database_settings()}
# Server-side prepared statements only where the code asks for one (prepare=True: the vote
# statement, see voting/services.py); Django's own cursors bind client-side and never
# prepare. Off (DB_PREPARED_STATEMENTS=0) behind a pooler that cannot keep them, such as
# PgBouncer in transaction mode before 1.21.
if env_bool("DB_PREPARED_STATEMENTS", True):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
# A streaming replica for the heavy public reads (DATABASE_REPLICA_URL; core.dbrouting).
from .settings_parts.replica import *  # noqa: E402, F403
from .settings_parts.replica import DATABASE_REPLICA_ALIAS, replica_database  # noqa: E402

if DATABASE_REPLICA_ALIAS:
    DATABASES[DATABASE_REPLICA_ALIAS] = replica_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ATOMIC_REQUESTS = False

# --- Redis and Celery: config/settings_parts/celery.py ---------------------------------------
from .settings_parts.celery import *  # noqa: E402, F403
from .settings_parts.celery import CELERY_TASK_ALWAYS_EAGER  # noqa: E402

# --- Auth -----------------------------------------------------------------------------------
# How long the member behind an API token is cached (accounts.tokens); 0 turns it off.
TOKEN_CACHE_SECONDS = env_int("TOKEN_CACHE_SECONDS", 60)
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
EMAIL_VERIFICATION = env_str("EMAIL_VERIFICATION", "mandatory")
if EMAIL_VERIFICATION not in {"mandatory", "none"}:
    raise ImproperlyConfigured("EMAIL_VERIFICATION must be 'mandatory' or 'none'.")
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=7)
# Login protection (django-axes, docs/security.md): the page, admin and token logins lock out
# an account from one address (the pair: the owner elsewhere is not locked) after
# AXES_FAILURE_LIMIT failures, for
# AXES_COOLOFF_MINUTES counted from the last failure. Attempts and logins are kept in axes'
# tables, visible in the admin.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]  # the guesser, not the owner elsewhere
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A failure during a lockout does not push the end of the lockout further out: the time the
# page names stays true, and an attacker cannot keep an account locked for ever by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# --- Platform rules -------------------------------------------------------------------------
VOTE_THRESHOLD = env_int("VOTE_THRESHOLD", 100)
# Votes that fake accounts cannot buy (voting.clusters): a vote counts toward the threshold only
# from an account (verified e-mail) this old; younger accounts' votes count when it is reached.
VOTE_MIN_ACCOUNT_AGE = timedelta(hours=env_int("VOTE_MIN_ACCOUNT_AGE_HOURS", 24))
# Accounts younger than this when they vote are "new"; new accounts sharing a network or a
# device, or created within VOTE_CLUSTER_BURST of each other, form a cluster.
VOTE_CLUSTER_YOUNG = timedelta(days=env_int("VOTE_CLUSTER_YOUNG_DAYS", 7))
VOTE_CLUSTER_BURST = timedelta(minutes=env_int("VOTE_CLUSTER_BURST_MINUTES", 10))
# How old the vote and comment counts on the home page's cached cards may be (ideas/listcache.py);
# 0 renders the cards on every request.
IDEA_LIST_CACHE_SECONDS = env_int("IDEA_LIST_CACHE_SECONDS", 15)
# How long a rendered page of an idea's threads is kept (ideas/listcache.py): every write that
# changes it retires it at once, so this only bounds the memory; 0 renders them every time.
IDEA_THREADS_CACHE_SECONDS = env_int(
    "IDEA_THREADS_CACHE_SECONDS", 600 if IDEA_LIST_CACHE_SECONDS else 0
)
VOTING_WINDOW_DAYS = env_int("VOTING_WINDOW_DAYS", 60)
FUNDING_WINDOW_DAYS = env_int("FUNDING_WINDOW_DAYS", 30)
MINIMUM_PAYOUT = env_int("MINIMUM_PAYOUT", 1000)  # minor units: 10.00
SETTLEMENT_SECOND_APPROVER = env_bool("SETTLEMENT_SECOND_APPROVER", True)
VIDEO_MAX_UPLOAD_BYTES = env_int("VIDEO_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
COVER_MAX_UPLOAD_BYTES = env_int("COVER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Idempotency-Key records and one-time form tokens (core.idempotency): kept a day; a first
# request that has not answered within a minute is taken to have died.
IDEMPOTENCY_TTL_SECONDS = env_int("IDEMPOTENCY_TTL_SECONDS", 24 * 3600)
IDEMPOTENCY_PENDING_SECONDS = env_int("IDEMPOTENCY_PENDING_SECONDS", 60)
IDEMPOTENCY_WAIT_SECONDS = env_int("IDEMPOTENCY_WAIT_SECONDS", 15)
# --- Payments and payouts: config/settings_parts/payments.py ---------------------------------
from .settings_parts.payments import *  # noqa: E402, F403
from .settings_parts.payments import payee_accounts  # noqa: E402

PAYMENT_PAYEE_ACCOUNTS = payee_accounts(debug=DEBUG)
# On (the default): every vote waits for its WAL flush, so an acknowledged vote survives a
# PostgreSQL crash. Off: votes below the threshold commit without waiting (a crash may lose the
# last fraction of a second of votes, always with their counts: docs/voting-funding.md).
VOTE_SYNCHRONOUS_COMMIT = env_bool("VOTE_SYNCHRONOUS_COMMIT", True)
DEFAULT_CURRENCY = env_str("DEFAULT_CURRENCY", "EUR")
CURRENCIES = env_list("CURRENCIES", ["EUR", "USD", "GBP", "CHF", "CNY"])
# Uploads above this size stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A dependency (PostgreSQL, Redis) is down: the 503 answer's Retry-After (core.outages).
OUTAGE_RETRY_AFTER_SECONDS = env_int("OUTAGE_RETRY_AFTER_SECONDS", 15)

# --- Client addresses, REST API: config/settings_parts/api.py --------------------------------
from .settings_parts.api import *  # noqa: E402, F403

# --- Content-Security-Policy (django-csp; see docs/security.md) ------------------------------
# No inline scripts or styles anywhere (templates load static files; data goes in data-*
# attributes); images only from the site (Markdown images from elsewhere become links, see
# ideas/rendering.py) plus data: URIs (Swagger UI's icons); frames only for the video embeds,
# which ideas.js creates when a reader presses play. CSP_EXTRA_MEDIA_SOURCES adds origins for
# img/media (e.g. the S3 or CDN origin of uploaded videos).
_CSP_MEDIA = [*env_list("CSP_EXTRA_MEDIA_SOURCES", [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_CSP_MEDIA],
        "media-src": ["'self'", *_CSP_MEDIA],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
# English and Simplified Chinese (locale/zh_Hans, compiled by `make` with Babel: no GNU gettext).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Serve uploaded media from the app itself (the embedded default). Off behind S3 or a CDN.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if env_str("AWS_STORAGE_BUCKET_NAME"):
    # django-storages reads AWS_* settings (bucket, region, endpoint, keys) from here.
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", True)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AHHHA <noreply@ahhha.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer probes /healthz and Prometheus scrapes /metrics on each node directly.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Seeing it: logs, metrics, error reports (docs/operations.md) ---------------------------------
# Logs go through structlog: one JSON object a line (LOG_FORMAT=json, production's default) or
# readable lines (console, debug's default); each carries the request id (X-Request-ID) that
# the Celery tasks a request queues log too.
LOG_FORMAT = env_str("LOG_FORMAT", "console" if DEBUG else "json")
if LOG_FORMAT not in LOG_FORMATS:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or console, not {LOG_FORMAT!r}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks would log every run into the web server's console.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
    LOGGING["loggers"]["ahhha.tasks"] = {"level": "WARNING"}
MIDDLEWARE.insert(0, "core.observability.middleware.RequestObservabilityMiddleware")
# Prometheus (METRICS_TOKEN, CELERY_METRICS_*) and Sentry (SENTRY_*): settings_parts/observability.
from .settings_parts.observability import *  # noqa: E402, F403

# --- Trust under attack (issue 26) -----------------------------------------------------------
# API tokens expire this many days after they are issued (accounts.services.token_issue).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 90)
# What one member may keep uploaded (videos, covers, evidence, avatars), and how often.
UPLOAD_QUOTA_BYTES = env_int("UPLOAD_QUOTA_BYTES", 500 * 1024 * 1024)
# Files in one request, and what a request may carry in memory before it is spooled to disk.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 5)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# Refuses a body too large, too frequent or past the quota before anything reads it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.languages.MemberLanguageMiddleware") + 1,
    "accounts.uploads.UploadLimitMiddleware",
)
