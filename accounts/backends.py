"""The login lockout in front of Django's ModelBackend (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    """Refuses every login of a locked-out account or address (django-axes).

    Every web login (the sign-in page, the admin, the token API, DRF's authentication) passes
    the request. A call without one is not a login over the network (a management command,
    ``Client.login`` in tests): there is no address to count, so it is left to ModelBackend
    rather than refused outright as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
