"""Sentry error reports, only when ``SENTRY_DSN`` is set (called from the settings).

No personal data is sent: no user's details, no request bodies, and no local variables of the
failing frames (they may hold a payout destination or a token);
each event carries the request id (core.observability.middleware sets the tag), so a report
leads to the request's and its tasks' log lines."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration


def init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start the SDK when a DSN is given; returns whether it started."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            # Errors logged (log.error/exception) become events; lower levels are breadcrumbs.
            LoggingIntegration(),
        ],
    )
    return True
