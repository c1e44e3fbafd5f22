"""Seeing what the platform does (docs/operations.md): Prometheus metrics (``metrics``), JSON logs
with a request id (``logs``, ``middleware``), the same id and the task metrics in Celery
(``tasks``), and Sentry when ``SENTRY_DSN`` is set (``sentry``). No app is imported here: the
scrape-time facts of the apps (queue depth, settlement progress) are added by config.metrics."""
