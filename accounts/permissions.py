from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from .roles import is_finance, is_reviewer


class IsReviewer(BasePermission):
    message = gettext_lazy("Only reviewers may do this.")

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)


class IsFinance(BasePermission):
    message = gettext_lazy("Only finance staff may do this.")

    def has_permission(self, request, view) -> bool:
        return is_finance(request.user)


def email_verification_required() -> bool:
    """Must members verify their e-mail address (EMAIL_VERIFICATION=mandatory)?"""
    return settings.EMAIL_VERIFICATION == "mandatory"


def email_verified_or_not_required(user) -> bool:
    """SPEC: an e-mail must be verified before voting, pledging or claiming (if mandatory)."""
    return not email_verification_required() or bool(user.email_verified)


class IsVerifiedMember(BasePermission):
    message = gettext_lazy("Verify your e-mail address first: follow the link we sent you.")

    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        user = request.user
        return bool(user and user.is_authenticated and email_verified_or_not_required(user))
