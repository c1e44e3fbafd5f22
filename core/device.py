"""A device cookie: a random id a browser keeps for a year, so that several accounts used from
one browser can be recognised (``voting.clusters`` flags new accounts voting from one device).
It identifies a browser, never a person; only its keyed hash is stored (with a vote).

The middleware sets it on page responses (HTML) of browsers that do not have it; API and
JSON answers (the vote itself) never set it, and read it as it comes."""

import secrets

DEVICE_COOKIE = "ahhha_device"
_YEAR = 365 * 24 * 3600


def device_id(request) -> str:
    """The device cookie a request carries ("" when none, or not one of ours)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if len(value) == 32 and value.isalnum() else ""


class DeviceCookieMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not device_id(request) and response.get("Content-Type", "").startswith("text/html"):
            response.set_cookie(
                DEVICE_COOKIE, secrets.token_hex(16), max_age=_YEAR, secure=request.is_secure(),
                httponly=True, samesite="Lax",
            )  # fmt: skip
        return response
