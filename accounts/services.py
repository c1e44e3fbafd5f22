"""Everything that changes an account: sign-up, e-mail verification, roles."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.errors import ValidationFailed

from .models import User
from .roles import ROLE_GROUPS

_VERIFY_SALT = "accounts.email-verify"


@transaction.atomic
def user_register(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create a member. The e-mail must be unique; the password must pass the validators."""
    email = User.objects.normalize_email(email).strip()
    fields: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        fields["username"] = ["Choose another username: this one is taken."]
    if User.objects.filter(email__iexact=email).exists():
        fields["email"] = ["Use another e-mail address: an account with this one exists."]
    candidate = User(username=username, email=email, display_name=display_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        fields["password"] = list(exc.messages)
    if fields:
        raise ValidationFailed.for_fields(fields)
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ValidationFailed.for_field(
            "username", "Choose another username or e-mail address: one of them is taken."
        ) from None
    if settings.EMAIL_VERIFICATION == "mandatory":
        transaction.on_commit(lambda: email_verification_send(user=candidate))
    return candidate


def email_verification_token(*, user: User) -> str:
    return signing.dumps({"id": user.pk, "email": user.email}, salt=_VERIFY_SALT)


def email_verification_send(*, user: User) -> None:
    link = settings.SITE_URL + reverse(
        "accounts:verify", kwargs={"token": email_verification_token(user=user)}
    )
    send_mail(
        "Confirm your e-mail address for AHHHA",
        f"Hello {user.public_name},\n\nconfirm your address to vote, pledge and claim "
        f"contributions:\n\n{link}\n\nThe link is valid for 7 days.",
        None,
        [user.email],
    )


def email_verify(*, token: str) -> User:
    """Mark the address in a valid, unexpired token as verified (idempotent)."""
    try:
        data = signing.loads(
            token,
            salt=_VERIFY_SALT,
            max_age=settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds(),
        )
    except signing.SignatureExpired:
        raise ValidationFailed("Ask for a new link: this one has expired.") from None
    except signing.BadSignature:
        raise ValidationFailed("Ask for a new link: this one is not valid.") from None
    user = User.objects.filter(pk=data.get("id"), email=data.get("email")).first()
    if user is None:
        raise ValidationFailed("Ask for a new link: this one is not valid.")
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def role_grant(*, user: User, role: str, revoke: bool = False) -> None:
    if role not in ROLE_GROUPS:
        raise ValidationFailed.for_field(
            "role", f"Pick one of the roles {', '.join(ROLE_GROUPS)} (not {role!r})."
        )
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    if revoke:
        user.groups.remove(group)
    else:
        user.groups.add(group)
    user.__dict__.pop("_role_cache", None)
