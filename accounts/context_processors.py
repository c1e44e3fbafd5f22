"""The signed-in member's roles, for the navigation of every page."""

from .roles import is_finance, is_reviewer


def roles(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "user_is_reviewer": bool(user and is_reviewer(user)),
        "user_is_finance": bool(user and is_finance(user)),
    }
