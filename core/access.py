"""Who may call an API view at all: what its permission classes say of a caller without
credentials. The OpenAPI schema (``core.schema``) marks such operations open (security ``{}``);
the idempotency middleware leaves a request alone that will only be refused with a 401."""

from django.contrib.auth.models import AnonymousUser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory


def open_to_anonymous(view, method: str) -> bool:
    """True when every permission of ``view`` (an APIView instance) lets an anonymous
    ``method`` request through."""
    request = Request(getattr(APIRequestFactory(), method.lower())("/"))
    request.user = AnonymousUser()
    return all(p.has_permission(request, view) for p in view.get_permissions())


def has_credentials(request) -> bool:
    """The request says who it is: a token (or other Authorization) or a signed-in session."""
    user = getattr(request, "user", None)
    return bool(request.headers.get("Authorization")) or bool(user and user.is_authenticated)
