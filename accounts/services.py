"""Everything that changes an account: sign-up, e-mail verification, roles."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.errors import ValidationFailed
from core.files import delete_after_commit
from core.images import avatar_process
from core.mail import header_line
from core.net import parse_id

from . import rules
from .languages import speaking_to, supported
from .models import ApiToken, User
from .roles import ROLE_GROUPS
from .tasks import send_later
from .tokens import key_hash, new_key
from .usernames import normalise, skeleton

_VERIFY_SALT = "accounts.email-verify"
# The one answer to a sign-up, whether or not an account was created (docs/security.md).
CHECK_YOUR_EMAIL = gettext_lazy(
    "Check your e-mail: we sent a message to the address you gave. Follow "
    "its link to confirm your address, then sign in."
)


def _policy_errors(*, candidate: User, password: str) -> dict[str, list[str]]:
    """What is wrong with a sign-up whoever else exists: reserved names, weak passwords."""
    fields: dict[str, list[str]] = {}
    for refusal in (
        rules.may_take_username(username=candidate.username, check_existing=False),
        rules.may_use_display_name(display_name=candidate.display_name),
        rules.may_sign_up_with_email(email=candidate.email),
    ):
        if refusal is not None:
            fields.update(refusal.fields)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        fields["password"] = list(exc.messages)
    return fields


def _lock_look_alikes(username: str) -> None:
    """Hold a transaction lock on the name's skeleton: concurrent sign-ups of look-alike names
    (``carla``, ``CARLA``, ``саrla``) check and insert one after the other, so the second sees
    the first. (The skeleton index is not unique: older rows may collide.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"accounts.username_skeleton:{skeleton(username)}"],
        )


def _taken(*, username: str, email: str) -> tuple[User | None, bool]:
    """The account that already has ``email`` (or None), and whether the username is taken."""
    _lock_look_alikes(username)
    owner = User.objects.filter(email__iexact=email).first()
    username_taken = rules.may_take_username(username=username) is not None
    return owner, username_taken


@transaction.atomic
def user_register(
    *, username: str, email: str, password: str, display_name: str = "", language: str = ""
) -> User | None:
    """Create a member, or None when the username or e-mail is taken.

    With e-mail verification on, a taken username or e-mail is not an error: the caller gives
    the same "check your e-mail" answer either way, and the mailbox learns what happened (the
    owner of a taken address that someone tried it; a new address that its username is taken).
    With verification off, taken names are field errors as before. ``language`` is the one the
    visitor browses in (the member's until they choose one: their e-mails speak it).
    """
    email = User.objects.normalize_email(email).strip()
    username = normalise(username)
    candidate = User(
        username=username,
        email=email,
        display_name=normalise(display_name),
        language=supported(language) or "",
    )
    fields = _policy_errors(candidate=candidate, password=password)
    if fields:
        raise ValidationFailed.for_fields(fields)
    candidate.set_password(password)  # hashed on every path: the answer takes as long either way
    owner, username_taken = _taken(username=username, email=email)
    hide = settings.EMAIL_VERIFICATION == "mandatory"
    if (owner is not None or username_taken) and not hide:
        raise ValidationFailed.for_fields(_taken_messages(owner, username_taken))
    # Every sign-up mail goes through the transactional outbox (accounts.tasks.send_later): the
    # answer never waits for the mail server, nor fails when it is down, whichever path it took.
    if owner is not None:
        signup_attempt_notify(owner=owner)
        return None
    if username_taken:
        username_taken_notify(email=email, username=username)
        return None
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:  # a concurrent sign-up took the name or the address first
        if hide:
            return None
        raise ValidationFailed.for_field(
            "username", gettext("Choose another username or e-mail address: one of them is taken.")
        ) from None
    if hide:
        email_verification_send(user=candidate, later=True)
    return candidate


def _taken_messages(owner: User | None, username_taken: bool) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if username_taken:
        fields["username"] = [
            gettext("Choose another username: this one is taken or looks like one.")
        ]
    if owner is not None:
        fields["email"] = [gettext("Use another e-mail address: an account with this one exists.")]
    return fields


def signup_attempt_notify(*, owner: User) -> None:
    """Tell an account's owner that someone tried to sign up with their address."""
    with speaking_to(owner):
        send_later(
            gettext("Someone tried to create an AHHHA account with your address"),
            gettext(
                "Hello %(name)s,\n\nsomeone (maybe you) tried to create a new account with "
                "this e-mail address. You already have one: sign in at %(sign_in_url)s, or "
                "reset your password at %(reset_url)s. If it was not you, there is nothing "
                "to do."
            )
            % {
                "name": owner.public_name,
                "sign_in_url": settings.SITE_URL + reverse("login"),
                "reset_url": settings.SITE_URL + reverse("password_reset"),
            },
            owner.email,
        )


def username_taken_notify(*, email: str, username: str) -> None:
    """Tell a new address that the username it asked for is taken (only its mailbox learns it)."""
    send_later(
        gettext("Choose another username for AHHHA"),
        gettext(
            "Hello,\n\nsomeone (maybe you) tried to create an AHHHA account with "
            "this address and the username %(username)s, which is taken or looks "
            "like one that is. No account was created: sign up again with another "
            "username at %(sign_up_url)s."
        )
        % {
            "username": f"{username!r}",
            "sign_up_url": settings.SITE_URL + reverse("accounts:signup"),
        },
        email,
    )


def member_language_follow(*, user: User, language: str | None) -> None:
    """At sign-in: a member who never chose a language gets the one they browse in now (their
    e-mails and notifications follow it); a chosen one is kept."""
    language = supported(language)
    if language and not user.language_chosen and user.language != language:
        User.objects.filter(pk=user.pk, language_chosen=False).update(language=language)
        user.language = language


def email_verification_token(*, user: User) -> str:
    return signing.dumps({"id": user.pk, "email": user.email}, salt=_VERIFY_SALT)


def email_verification_send(*, user: User, later: bool = False) -> None:
    """The confirmation link, now or (``later``: at sign-up) through the transactional outbox."""
    link = settings.SITE_URL + reverse(
        "accounts:verify", kwargs={"token": email_verification_token(user=user)}
    )
    with speaking_to(user):
        subject = gettext("Confirm your e-mail address for AHHHA")
        body = gettext(
            "Hello %(name)s,\n\nconfirm your address to vote, pledge and "
            "claim contributions:\n\n%(link)s\n\nThe link is valid for 7 days."
        ) % {"name": user.public_name, "link": link}
    if later:
        send_later(subject, body, user.email)
    else:
        send_mail(header_line(subject), body, None, [user.email])


def email_verify(*, token: str) -> User:
    """Mark the address in a valid, unexpired token as verified (idempotent)."""
    try:
        data = signing.loads(
            token,
            salt=_VERIFY_SALT,
            max_age=settings.EMAIL_VERIFICATION_MAX_AGE.total_seconds(),
        )
    except signing.SignatureExpired:
        raise ValidationFailed(gettext("Ask for a new link: this one has expired.")) from None
    except signing.BadSignature:
        raise ValidationFailed(gettext("Ask for a new link: this one is not valid.")) from None
    user = User.objects.filter(pk=data.get("id"), email=data.get("email")).first()
    if user is None:
        raise ValidationFailed(gettext("Ask for a new link: this one is not valid."))
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def role_grant(*, user: User, role: str, revoke: bool = False) -> None:
    if role not in ROLE_GROUPS:
        raise ValidationFailed.for_field(
            "role",
            gettext("Pick one of the roles %(join)s (not %(role)s).")
            % {"join": ", ".join(ROLE_GROUPS), "role": f"{role!r}"},
        )
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    if revoke:
        user.groups.remove(group)
    else:
        user.groups.add(group)
    user.__dict__.pop("_role_cache", None)


@transaction.atomic
def avatar_set(*, member: User, upload) -> User:
    """The member's picture from ``upload`` (checked and resized by ``core.images``); the old
    one's files go once this commits."""
    made = avatar_process(upload)
    avatar_remove(member=member, save=False)
    for slot, content in made.slots.items():
        getattr(member, f"avatar_{slot}").save(content.name, content, save=False)
    member.save(update_fields=["avatar_96", "avatar_192"])
    return member


@transaction.atomic
def avatar_remove(*, member: User, save: bool = True) -> User:
    for slot in (96, 192):
        delete_after_commit(getattr(member, f"avatar_{slot}"))
        setattr(member, f"avatar_{slot}", "")
    if save:
        member.save(update_fields=["avatar_96", "avatar_192"])
    return member


# --- API tokens -----------------------------------------------------------------------------

# A member's tokens beyond this many (the oldest) are revoked when another is issued.
TOKENS_PER_MEMBER = 20


@transaction.atomic
def token_issue(*, member: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for ``member`` and its key (shown this once: only its hash is kept).
    Each call issues another token, never an old one; it expires ``API_TOKEN_TTL_DAYS`` from
    now. The member's expired tokens, and their oldest beyond ``TOKENS_PER_MEMBER``, go."""
    now = timezone.now()
    key = new_key()
    token = ApiToken.objects.create(
        member=member,
        name=header_line(name, max_length=80),
        key_hash=key_hash(key),
        prefix=key[:6],
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    ApiToken.objects.filter(member=member, expires_at__lte=now).delete()
    keep = ApiToken.objects.filter(member=member).values("pk")[:TOKENS_PER_MEMBER]
    ApiToken.objects.filter(member=member).exclude(pk__in=keep).delete()
    return token, key


def token_revoke(*, member: User, token_id: int) -> bool:
    """Revoke one of the member's own tokens (False: no such token of theirs)."""
    if parse_id(token_id) is None:
        return False
    deleted, _ = ApiToken.objects.filter(member=member, pk=token_id).delete()
    return bool(deleted)


def tokens_revoke_all(*, member: User) -> int:
    """Revoke every API token of the member: called when their password is changed or reset,
    so a stolen token dies with the stolen password."""
    deleted, _ = ApiToken.objects.filter(member=member).delete()
    return deleted
