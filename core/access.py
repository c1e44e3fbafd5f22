"""Who may call an API view at all: what its permission classes say of a caller without
credentials, and whether a request's credentials get it past authentication. The OpenAPI schema
(``core.schema``) marks operations open to anonymous callers (security ``{}``); the idempotency
middleware leaves alone a request that the view will only refuse with a 401."""

from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory


def open_to_anonymous(view, method: str) -> bool:
    """True when every permission of ``view`` (an APIView instance) lets an anonymous
    ``method`` request through."""
    request = Request(getattr(APIRequestFactory(), method.lower())("/"))
    request.user = AnonymousUser()
    if getattr(view, "request", None) is None:
        view.request = request  # as DRF's dispatch does: get_permissions() may read it
    return all(p.has_permission(request, view) for p in view.get_permissions())


def passes_authentication(view_func, request) -> bool:
    """Whether ``request`` gets past the authentication of the DRF view behind ``view_func``:
    valid credentials, or none where the view is open to anonymous callers. Anything else is the
    view's 401 (or 403 for a session without its CSRF token). Non-DRF views: True."""
    view_class = getattr(view_func, "cls", None)
    if view_class is None:
        return True
    view = view_class(**getattr(view_func, "initkwargs", {}))
    try:
        user = view.initialize_request(request).user
    except APIException:
        return False
    return user.is_authenticated or open_to_anonymous(view, request.method)
