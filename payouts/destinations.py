"""Payout destinations: where a member wants to be paid, validated, encrypted, masked, logged.

* The account holder's name, as the bank or Alipay knows it (banks and Alipay's real-name
  transfers check it); kept as typed, written into bank files by ``exports.names.sepa_name``.
* An IBAN and its BIC checked against each other with ``schwifty``: the BIC's country (and,
  where schwifty's bank registry knows the IBAN's bank, its bank) must be the IBAN's; outside
  the EEA (CH, GB…) the BIC must be given; inside, a missing BIC is the one the registry gives.
  Or an Alipay account (an e-mail address, or a mainland mobile number stored as
  ``+8613912345678`` however it was spaced); or free text finance handles by hand.
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
from django.utils.translation import gettext
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from core.errors import ValidationFailed
from core.phrases import said
from notifications.services import notify

from . import phrases
from .destination_models import DestinationKind, PayoutDestination, PayoutDestinationChange
from .exports.names import sepa_name

OTHER_MAX = 500
HOLDER_MAX = 140
CN_MOBILE = re.compile(r"^(?:\+86|0086|86)?(1[3-9]\d{9})$")
# The EEA (SEPA without a BIC) and the territories whose IBANs are French or Finnish.
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO "
    "GF GP MQ RE YT PM BL MF AX".split()
)

# An IBAN country whose banks may carry a BIC of another country.
BIC_COUNTRIES = {"MC": {"FR"}, "GF": {"FR"}, "GP": {"FR"}, "MQ": {"FR"}, "RE": {"FR"}, "YT": {"FR"}}


@dataclass(frozen=True)
class Details:
    kind: str
    holder: str = ""  # the account holder's name as typed ("" in tokens saved before it existed)
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
    *, kind: str, holder: str = "", iban: str = "", bic: str = "", account: str = "", text: str = ""
) -> Details:
    """Checked, normalised details, or a ValidationFailed whose message says what to fix."""
    checked = _clean_kind(kind, iban=iban, bic=bic, account=account, text=text)
    return Details(**{**checked.__dict__, "holder": _clean_holder(holder)})


def _clean_holder(raw: str) -> str:
    holder = " ".join((raw or "").split())
    if not holder:
        raise ValidationFailed.for_field(
            "holder", gettext("Enter the account holder's name as your bank or Alipay has it.")
        )
    if len(holder) > HOLDER_MAX or "\x00" in holder:
        raise ValidationFailed.for_field(
            "holder",
            gettext("Shorten the name to %(max)s characters.") % {"max": HOLDER_MAX},
        )
    if not sepa_name(holder):
        raise ValidationFailed.for_field(
            "holder",
            gettext(
                "Enter the name in letters (Latin or Chinese) as your bank has it: “%(holder)s” "
                "has none that a bank transfer can carry."
            )
            % {"holder": holder[:40]},
        )
    return holder


def _clean_kind(kind: str, *, iban: str, bic: str, account: str, text: str) -> Details:
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
    typed = (raw_bic or "").strip()
    if not typed:
        return Details(kind=DestinationKind.IBAN, iban=iban.compact, bic=_registry_bic(iban))
    try:
        bic = BIC(typed)
    except SchwiftyException:
        raise ValidationFailed.for_field(
            "bic",
            gettext("Check the BIC: “%(bic)s” is not a valid BIC (8 or 11 characters).")
            % {"bic": typed[:20]},
        ) from None
    _check_bic_matches(iban, bic)
    return Details(kind=DestinationKind.IBAN, iban=iban.compact, bic=bic.compact)


def _registry_bic(iban: IBAN) -> str:
    """The BIC of the IBAN's bank from schwifty's registry; outside the EEA a bank needs the
    BIC itself, so the member must type it."""
    found = iban.bic.compact if iban.bic is not None else ""
    if iban.country_code in EEA:
        return found
    hint = gettext(" For this IBAN it is probably %(bic)s.") % {"bic": found} if found else ""
    raise ValidationFailed.for_field(
        "bic",
        gettext(
            "Enter your bank's BIC: transfers to an account in %(country)s need it (it is on "
            "your bank statement)."
        )
        % {"country": iban.country_code}
        + hint,
    )


def _check_bic_matches(iban: IBAN, bic: BIC) -> None:
    """The BIC must be of the IBAN's country, and of its bank where the registry knows it."""
    countries = {iban.country_code} | BIC_COUNTRIES.get(iban.country_code, set())
    if bic.country_code not in countries:
        raise ValidationFailed.for_field(
            "bic",
            gettext(
                "Check the BIC: %(bic)s is a bank in %(bic_country)s, but the IBAN is an "
                "account in %(iban_country)s."
            )
            % {
                "bic": bic.compact,
                "bic_country": bic.country_code,
                "iban_country": iban.country_code,
            },
        )
    known = iban.bic
    if known is not None and known.bank_code != bic.bank_code:
        raise ValidationFailed.for_field(
            "bic",
            gettext(
                "Check the BIC: %(bic)s is not the BIC of the bank of this IBAN (its bank's BIC "
                "is %(known)s)."
            )
            % {"bic": bic.compact, "known": known.compact},
        )


def _clean_alipay(raw: str) -> Details:
    account = (raw or "").strip()
    mobile = CN_MOBILE.match(re.sub(r"[\s\-().]", "", account))
    if mobile:
        return Details(kind=DestinationKind.ALIPAY, account="+86" + mobile.group(1))
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
        number = account.removeprefix("+86")
        return f"{number[:3]}••••{number[-4:]}"
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
        message=said(
            phrases.PAYOUT_DESTINATION_CHANGED_NOTICE,
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
