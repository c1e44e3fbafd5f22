"""Site-wide template values that need no app (the apps add their own processors)."""

from django.conf import settings


def site(request) -> dict:
    return {"SITE_NAME": "AHHHA", "EMAIL_VERIFICATION": settings.EMAIL_VERIFICATION}
