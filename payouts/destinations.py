"""Payout destinations: where a member wants to be paid, validated, encrypted, masked, logged.

* An IBAN (+ BIC, else the one the IBAN's bank registry gives) checked with ``schwifty``; an
  Alipay account (an e-mail address or a mainland mobile number); or free text finance handles
  by hand.
* The details are one Fernet token (``cryptography``) under the keys in
  ``PAYOUT_DESTINATION_KEYS`` (comma-separated, newest first: ``MultiFernet`` decrypts with any
  and ``destinations_rotate`` re-encrypts everything under the first). Without a key, a debug
  site derives a development key from ``SECRET_KEY``; production refuses to start
  (``check_destination_keys``).
* Pages and the API show ``masked`` only; exports for finance decrypt (``details``).
* Every change is logged (``PayoutDestinationChange``) and e-mailed to the member.
"""

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from core.errors import ValidationFailed
from core.text import sentence
from notifications.services import notify

from .destination_models import DestinationKind, PayoutDestination, PayoutDestinationChange

OTHER_MAX = 500
CN_MOBILE = re.compile(r"^(?:\+?86[ -]?)?1[3-9]\d{9}$")


@dataclass(frozen=True)
class Details:
    kind: str
    iban: str = ""
    bic: str = ""
    account: str = ""
    text: str = ""


@cache
def _fernet() -> MultiFernet:
    keys = [k.strip() for k in settings.PAYOUT_DESTINATION_KEYS if k.strip()]
    if not keys:
        # Development only (DEBUG): a key derived from SECRET_KEY. check_destination_keys
        # refuses to run production without PAYOUT_DESTINATION_KEYS.
        digest = hashlib.sha256(b"payout-destinations:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(details: Details) -> str:
    payload = json.dumps(details.__dict__, sort_keys=True).encode()
    return _fernet().encrypt(payload).decode()


def decrypt(secret: str) -> Details:
    try:
        return Details(**json.loads(_fernet().decrypt(secret.encode())))
    except InvalidToken:
        raise RuntimeError("A payout destination cannot be decrypted with the keys set.") from None


def details(destination: PayoutDestination) -> Details:
    return decrypt(destination.secret)


def clean(
    *, kind: str, iban: str = "", bic: str = "", account: str = "", text: str = ""
) -> Details:
    """Checked, normalised details, or a ValidationFailed whose message says what to fix."""
    if kind == DestinationKind.IBAN:
        return _clean_iban(iban, bic)
    if kind == DestinationKind.ALIPAY:
        return _clean_alipay(account)
    if kind == DestinationKind.OTHER:
        text = (text or "").strip()
        if not text:
            raise ValidationFailed.for_field(
                "text", gettext("Describe where and how you want to be paid.")
            )
        if len(text) > OTHER_MAX or "\x00" in text:
            raise ValidationFailed.for_field(
                "text",
                gettext("Shorten the description to %(max)s characters.") % {"max": OTHER_MAX},
            )
        return Details(kind=kind, text=text)
    raise ValidationFailed.for_field(
        "kind", gettext("Choose a bank account (IBAN), an Alipay account or other.")
    )


def _clean_iban(raw: str, raw_bic: str) -> Details:
    try:
        iban = IBAN(raw or "")
    except SchwiftyException:
        raise ValidationFailed.for_field(
            "iban",
            gettext(
                "Check the IBAN: “%(iban)s” is not a valid IBAN (a typo changes its check "
                "digits). Copy it from your bank statement."
            )
            % {"iban": (raw or "").strip()[:40]},
        ) from None
    bic = (raw_bic or "").strip()
    if bic:
        try:
            bic = BIC(bic).compact
        except SchwiftyException:
            raise ValidationFailed.for_field(
                "bic",
                gettext("Check the BIC: “%(bic)s” is not a valid BIC (8 or 11 characters).")
                % {"bic": bic[:20]},
            ) from None
    elif iban.bic is not None:
        bic = iban.bic.compact
    return Details(kind=DestinationKind.IBAN, iban=iban.compact, bic=bic)


def _clean_alipay(raw: str) -> Details:
    account = (raw or "").strip()
    if CN_MOBILE.match(account):
        digits = re.sub(r"\D", "", account)
        return Details(kind=DestinationKind.ALIPAY, account=digits[-11:])
    try:
        validate_email(account)
    except ValidationError:
        raise ValidationFailed.for_field(
            "account",
            gettext(
                "Enter the e-mail address or the mainland mobile number of your Alipay "
                "account (e.g. 13812345678)."
            ),
        ) from None
    return Details(kind=DestinationKind.ALIPAY, account=account.lower())


def mask(details: Details) -> str:
    """What a page may show: enough to recognise the account, not enough to use it."""
    if details.kind == DestinationKind.IBAN:
        iban = details.iban
        return f"{iban[:4]} •••• {iban[-4:]}"
    if details.kind == DestinationKind.ALIPAY:
        account = details.account
        if "@" in account:
            name, _, domain = account.partition("@")
            return f"{name[:1]}•••@{domain}"
        return f"{account[:3]}••••{account[-4:]}"
    return details.text[:12] + ("…" if len(details.text) > 12 else "")


@transaction.atomic
def destination_set(*, member, actor, address: str | None = None, **fields) -> PayoutDestination:
    """Save the member's destination (replacing the last), log it and tell them by e-mail."""
    checked = clean(**fields)
    masked = mask(checked)
    destination, _ = PayoutDestination.objects.update_or_create(
        member=member, defaults={"kind": checked.kind, "secret": encrypt(checked), "masked": masked}
    )
    PayoutDestinationChange.objects.create(
        member=member, kind=checked.kind, masked=masked, changed_by=actor, address=address
    )
    notify(
        recipients=[member],
        kind="payout_destination_changed",
        message=sentence(
            gettext_lazy(
                "Your payout destination was changed to %(masked)s. If you did not do this, "
                "change your password and tell us at once."
            ),
            masked=masked,
        ),
        url="/me/earnings/#destination",
    )
    return destination


def destination_of(member) -> PayoutDestination | None:
    return PayoutDestination.objects.filter(member=member).first()


@transaction.atomic
def destinations_rotate() -> int:
    """Re-encrypt every destination under the first key of PAYOUT_DESTINATION_KEYS."""
    count = 0
    for destination in PayoutDestination.objects.select_for_update().iterator():
        destination.secret = _fernet().rotate(destination.secret.encode()).decode()
        destination.save(update_fields=["secret"])
        count += 1
    return count


# Not a deploy-only check: every command that checks (runserver, migrate, the entrypoint's
# `check --deploy`) refuses production without the keys, so the site never starts without them.
@checks.register(checks.Tags.security)
def check_destination_keys(app_configs=None, **kwargs):
    """Production must not encrypt members' bank details with a key derived from SECRET_KEY."""
    keys = [k.strip() for k in settings.PAYOUT_DESTINATION_KEYS if k.strip()]
    errors = []
    for position, key in enumerate(keys, 1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                checks.Error(
                    f"PAYOUT_DESTINATION_KEYS: key {position} is not a Fernet key.",
                    hint="A Fernet key is 32 bytes in URL-safe base64 (44 characters).",
                    id="payouts.E002",
                )
            )
    if settings.DEBUG or keys:
        return errors
    return [
        checks.Error(
            "PAYOUT_DESTINATION_KEYS is not set: payout destinations need a Fernet key.",
            hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` and keep it outside the database.",
            id="payouts.E001",
        )
    ]
