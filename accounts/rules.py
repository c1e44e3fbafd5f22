"""Who may take which name (refusals, see core.rules)."""

from disposable_email_domains import blocklist as DISPOSABLE_DOMAINS
from django.utils.translation import gettext

from core.errors import ValidationFailed
from core.mail import has_control_characters
from core.rules import Refusal

from .models import User
from .usernames import imitates_staff, skeleton


def may_take_username(
    *, username: str, staff: bool = False, check_existing: bool = True
) -> Refusal | None:
    """A username that looks like an existing one, or like staff (for non-staff), is refused."""
    if not staff and imitates_staff(username):
        return ValidationFailed.for_field(
            "username", gettext("Choose another username: names that look like staff are reserved.")
        )
    if check_existing and User.objects.filter(username_skeleton=skeleton(username)).exists():
        return ValidationFailed.for_field(
            "username",
            gettext("Choose another username: this one is taken or looks like one that is."),
        )
    return None


def may_use_display_name(*, display_name: str, staff: bool = False) -> Refusal | None:
    """The one rule for a display name, at sign-up and in Settings: no control characters
    (a line break in a name broke the e-mail subjects quoting it), nothing that imitates staff
    unless the member is staff."""
    if has_control_characters(display_name):
        return ValidationFailed.for_field(
            "display_name",
            gettext("Use letters, digits, spaces and punctuation only in your display name."),
        )
    if display_name and not staff and imitates_staff(display_name):
        return ValidationFailed.for_field(
            "display_name",
            gettext("Choose another display name: names that look like staff are reserved."),
        )
    return None


def may_sign_up_with_email(*, email: str) -> Refusal | None:
    """Throw-away mailboxes are refused at sign-up: the domain, or any domain it is under, is
    on the maintained list of disposable e-mail domains (the ``disposable-email-domains``
    package, pinned in requirements.txt: a fake account must at least cost a real mailbox)."""
    domain = email.rpartition("@")[2].strip().rstrip(".").casefold()
    parts = domain.split(".")
    if any(".".join(parts[i:]) in DISPOSABLE_DOMAINS for i in range(len(parts) - 1)):
        return ValidationFailed.for_field(
            "email",
            gettext("Use a lasting e-mail address: throw-away mailboxes cannot sign up."),
        )
    return None
