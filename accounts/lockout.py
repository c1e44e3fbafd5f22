"""What a locked-out login sees: a page or the JSON error shape, 429, saying when to retry.

django-axes calls ``lockout_response`` (``AXES_LOCKOUT_CALLABLE``) for the sign-in page, the
admin login and the token API once an account has failed ``AXES_FAILURE_LIMIT`` times from one
address (``AXES_LOCKOUT_PARAMETERS``: the address and the username together, so the guesser's
address is paused for that account and the owner signing in from elsewhere is not); the
lockout ends ``AXES_COOLOFF_TIME`` after the last counted failure (failures during a lockout
do not extend it).
"""

import math
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from core.net import client_ip

from .limits import wait_sentence

LOCKED_CODE = "locked_out"


def lockout_ends(*, username: str | None, ip_address: str) -> datetime:
    """When the account may try again from this address: the last counted failure + the
    cool-off."""
    match = Q(ip_address=ip_address)
    if username:
        match &= Q(username=username)
    last = AccessAttempt.objects.filter(match).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + get_cool_off()


def _message(ends: datetime, minutes: int) -> str:
    at = timezone.localtime(ends).strftime("%H:%M %Z")
    return gettext(
        "Too many failed sign-ins: sign-in is paused for this account and "
        "address. Try again in %(wait)s (after %(at)s)."
    ) % {"wait": wait_sentence(minutes * 60), "at": at}


def lockout_response(request, original_response=None, credentials=None):
    credentials = credentials or getattr(request, "axes_credentials", None) or {}
    username = credentials.get("username")
    ends = lockout_ends(username=username, ip_address=client_ip(request))
    seconds = max(math.ceil((ends - timezone.now()).total_seconds()), 1)
    minutes = math.ceil(seconds / 60)
    message = _message(ends, minutes)
    if request.path.startswith("/api/"):
        body = {"error": {"status": 429, "code": LOCKED_CODE, "message": message, "fields": {}}}
        response = JsonResponse(body, status=429)
    else:
        context = {"message": message, "ends": ends, "minutes": minutes}
        response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
