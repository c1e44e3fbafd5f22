"""Metrics and error reports, from the environment; part of config.settings (the logs are
configured there, next to DEBUG). See docs/operations.md."""

from core.observability import sentry as observability_sentry

from ..env import env_int, env_str

# Prometheus: GET /metrics (each gunicorn node) and CELERY_METRICS_PORT (each Celery worker)
# answer with Authorization: Bearer METRICS_TOKEN; unset, they answer 404.
METRICS_TOKEN = env_str("METRICS_TOKEN")
WORKER_METRICS_PORT = env_int("CELERY_METRICS_PORT", 0)
WORKER_METRICS_HOST = env_str("CELERY_METRICS_HOST", "127.0.0.1")
# Sentry, only with a DSN; no personal data is sent.
SENTRY_DSN = env_str("SENTRY_DSN")
observability_sentry.init(
    dsn=SENTRY_DSN,
    environment=env_str("SENTRY_ENVIRONMENT"),
    release=env_str("SENTRY_RELEASE"),
    traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
)
