"""A EUR batch's SEPA credit transfer file (pain.001.001.03), built with ``sepaxml`` and
validated against the XSD it ships (the same schema is kept in ``schemas/`` for ``xmllint``).

Built from the batch's snapshot (each line's destination as it was when the batch was made),
never from today's destinations. Its identifiers let a bank's duplicate check catch a second
upload: the MsgId names the batch (``AHHHA-B12-20260105093000``) and each transaction's
EndToEndId its batch line (``AHHHA-B12-L345``), so a file made again for the same batch would
carry the same EndToEndIds. ``payouts.services.bank_files`` makes it once and keeps it.

The debtor (the platform's account) comes from the settings ``SEPA_DEBTOR_NAME``, ``_IBAN``,
``_BIC``, ``_COUNTRY`` and ``_ADDRESS_LINE1``/``2``; ``check --deploy`` refuses the example
account in production.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core import checks
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from sepaxml import SepaTransfer

from ..destination_models import DestinationKind
from .bank import batch_payees
from .names import sepa_name

SEPA_SCHEMA = "pain.001.001.03"
# Example accounts from bank documentation and Wikipedia: a file paying from one is a mistake.
EXAMPLE_IBANS = frozenset(
    {"DE89370400440532013000", "GB82WEST12345698765432", "GB29NWBK60161331926819"}
)


class HeldBack:
    """Why a payee of the batch is not in its SEPA file (finance pays them by hand)."""

    NOT_IBAN = "not_iban"  # paid to Alipay or by other means
    NO_DESTINATION = "no_destination"  # no destination was saved when the batch was made
    NAME = "name"  # the holder's name has nothing a SEPA file can carry (or none was given)


@dataclass
class SepaFile:
    xml: bytes = b""
    included: int = 0
    control_sum: int = 0
    held_back: list[dict] = field(default_factory=list)


def end_to_end_id(batch_id: int, line_id: int) -> str:
    return f"AHHHA-B{batch_id}-L{line_id}"[:35]


def msg_id(batch_id: int, made_at: datetime) -> str:
    return f"AHHHA-B{batch_id}-{made_at:%Y%m%d%H%M%S}"[:35]


def debtor() -> dict:
    lines = [settings.SEPA_DEBTOR_ADDRESS_LINE1, settings.SEPA_DEBTOR_ADDRESS_LINE2]
    config = {
        "name": sepa_name(settings.SEPA_DEBTOR_NAME),
        "IBAN": IBAN(settings.SEPA_DEBTOR_IBAN, allow_invalid=True).compact,
        "batch": True,
        "currency": "EUR",
        "address": {
            "country": settings.SEPA_DEBTOR_COUNTRY.upper(),
            "lines": [sepa_name(line) for line in lines if sepa_name(line)],
        },
    }
    if settings.SEPA_DEBTOR_BIC:
        config["BIC"] = settings.SEPA_DEBTOR_BIC
    return config


def sepa_file(batch, *, execution_date: date, message_id: str) -> SepaFile:
    """The batch's IBAN payees whose holder name a bank can carry, as one pain.001.001.03
    transfer (validated against the schema); the others listed in ``held_back``."""
    transfer = SepaTransfer(debtor(), schema=SEPA_SCHEMA, clean=False)
    transfer._xml.find("CstmrCdtTrfInitn/GrpHdr/MsgId").text = message_id
    out = SepaFile()
    for item, where in batch_payees(batch):
        code, name = _why_not(where)
        if code:
            out.held_back.append({"member": item.member_id, "code": code})
            continue
        assert where is not None
        payment = {
            "name": name,
            "IBAN": where.iban,
            "amount": item.amount,  # sepaxml takes integer cents
            "execution_date": execution_date,
            "description": f"AHHHA payout batch {batch.pk}",
            "endtoend_id": end_to_end_id(batch.pk, item.pk),
        }
        if where.bic:
            payment["BIC"] = where.bic
        transfer.add_payment(payment)
        out.included += 1
        out.control_sum += item.amount
    if out.included:
        out.xml = transfer.export(validate=True)
    return out


def _why_not(where) -> tuple[str, str]:
    if where is None:
        return HeldBack.NO_DESTINATION, ""
    if where.kind != DestinationKind.IBAN:
        return HeldBack.NOT_IBAN, ""
    name = sepa_name(where.holder)
    return ("", name) if name else (HeldBack.NAME, "")


@checks.register(checks.Tags.security, deploy=True)
def check_sepa_debtor(app_configs=None, **kwargs):
    """Production must not pay from an example account, nor without the debtor's address
    (banks refuse transfers to payees outside the EEA without it)."""
    if settings.DEBUG:
        return []
    errors = []
    try:
        iban = IBAN(settings.SEPA_DEBTOR_IBAN).compact
    except SchwiftyException:
        iban = ""
    if not iban or iban in EXAMPLE_IBANS:
        errors.append(
            checks.Error(
                "SEPA_DEBTOR_IBAN is an example account or not a valid IBAN: bank files "
                "would pay from it.",
                hint="Set SEPA_DEBTOR_NAME, SEPA_DEBTOR_IBAN and SEPA_DEBTOR_BIC to the "
                "platform's own account.",
                id="payouts.E010",
            )
        )
    address = [settings.SEPA_DEBTOR_ADDRESS_LINE1, settings.SEPA_DEBTOR_ADDRESS_LINE2]
    if len(settings.SEPA_DEBTOR_COUNTRY) != 2 or not any(address) or "Example" in address[0]:
        errors.append(
            checks.Error(
                "The SEPA debtor's postal address is missing or the example.",
                hint="Set SEPA_DEBTOR_COUNTRY (two letters) and SEPA_DEBTOR_ADDRESS_LINE1/2.",
                id="payouts.E011",
            )
        )
    return errors
