"""Deploy checks for what this package reads (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

MIN_TOKEN_LENGTH = 32


@checks.register(checks.Tags.security, deploy=True)
def metrics_token_check(app_configs=None, **kwargs):
    token = settings.METRICS_TOKEN
    if token and len(token) < MIN_TOKEN_LENGTH:
        return [
            checks.Warning(
                f"METRICS_TOKEN is shorter than {MIN_TOKEN_LENGTH} characters.",
                hint="Anyone who guesses it reads the metrics: use a long random one, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`.",
                id="core.W020",
            )
        ]
    return []
