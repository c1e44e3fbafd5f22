"""Rate limits on what sends account e-mail: sign-up, verify-resend, password reset.

Each counts per client address (``core.net.client_ip``) and per submitted e-mail address or
username (or per member), with the rates ``signup_*``, ``resend_*`` and ``reset_*`` in
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. They answer the seconds to wait, or None.
"""

import math

from django.utils.translation import ngettext

from core.net import client_ip
from core.throttles import limit_wait

from .usernames import skeleton


def signup_wait(request, *, email: str, username: str) -> int | None:
    return limit_wait(
        "signup",
        [("ip", client_ip(request)), ("email", email.strip()), ("username", skeleton(username))],
    )


def signin_wait(request) -> int | None:
    """Sign-in attempts per address (``signin_ip``), every account together."""
    return limit_wait("signin", [("ip", client_ip(request))])


def reset_wait(request, *, email: str) -> int | None:
    return limit_wait("reset", [("ip", client_ip(request)), ("email", email.strip())])


def resend_wait(request) -> int | None:
    return limit_wait("resend", [("user", str(request.user.pk)), ("ip", client_ip(request))])


def wait_sentence(seconds: int) -> str:
    minutes = max(math.ceil(seconds / 60), 1)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
