"""The roles of SPEC section 1 are Django groups; staff and superusers hold every role."""

from django.contrib.auth.models import AnonymousUser

REVIEWERS = "Reviewers"
FINANCE = "Finance"
ROLE_GROUPS = {"reviewer": REVIEWERS, "finance": FINANCE}


def _in_group(user, group: str) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_cache = cache
    return group in cache


def is_reviewer(user) -> bool:
    return _in_group(user, REVIEWERS)


def is_finance(user) -> bool:
    return _in_group(user, FINANCE)
