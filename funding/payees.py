"""Where backers pay with the manual adapter: the platform's accounts per currency.

``settings.PAYMENT_PAYEE_ACCOUNTS`` maps a currency to its accounts, each a method
(``bank_transfer``, ``alipay``, ``wechat_pay``), a holder name, an account (an IBAN, a Chinese
bank card account, an Alipay or WeChat Pay account) and for a bank its name or BIC. A pledge's
backer is shown only its currency's accounts (a CNY pledge: Alipay and a Chinese bank account,
never the euro IBAN); a currency without one shows none, and the backer is told that finance
will contact them. Nothing here is stored: the notice and the page render these at read time.
The checks ``funding.E001`` (a malformed account), ``funding.E002`` (production: a currency of
``CURRENCIES`` without an account) and ``funding.E003`` (production: an example account) run
with every ``manage.py`` command.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy

from core.phrases import Said, said

from . import phrases

METHODS = {
    "bank_transfer": gettext_lazy("Bank transfer"),
    "alipay": gettext_lazy("Alipay"),
    "wechat_pay": gettext_lazy("WeChat Pay"),
}


@dataclass(frozen=True)
class PayeeAccount:
    method: str
    holder: str
    account: str
    bank: str = ""
    example: bool = False

    @property
    def label(self):
        return METHODS[self.method]


def _problem(entry) -> str:
    if not isinstance(entry, dict):
        return "is not an object"
    if entry.get("method") not in METHODS:
        return f"has the method {entry.get('method')!r}, not one of {', '.join(METHODS)}"
    if not str(entry.get("holder", "")).strip() or not str(entry.get("account", "")).strip():
        return "needs a holder and an account"
    return ""


def payee_accounts(currency: str) -> list[PayeeAccount]:
    """The accounts backers pay a pledge in ``currency`` to (empty: none for it)."""
    entries = settings.PAYMENT_PAYEE_ACCOUNTS.get(currency.upper(), [])
    if not isinstance(entries, list):
        return []
    return [
        PayeeAccount(
            method=entry["method"],
            holder=str(entry["holder"]).strip(),
            account=str(entry["account"]).strip(),
            bank=str(entry.get("bank", "")).strip(),
            example=bool(entry.get("example")),
        )
        for entry in entries
        if not _problem(entry)
    ]


def ways_to_pay(accounts: list[PayeeAccount]) -> list[Said]:
    """The accounts as phrases (“by Alipay to …”, “by bank transfer to …”; ``core.phrases``),
    said in the reader's language and joined with “; ” when read."""
    return [
        said(
            phrases.WAYS[a.method],
            holder=a.holder,
            account=a.account,
            bank=f" ({a.bank})" if a.bank else "",
        )
        for a in accounts
    ] + ([said(phrases.EXAMPLE_ACCOUNT)] if any(a.example for a in accounts) else [])


@checks.register(checks.Tags.compatibility)
def check_payee_accounts(app_configs=None, **kwargs):
    """Malformed accounts always; in production with the manual adapter, every currency a
    round may use needs somewhere to pay to."""
    errors = []
    for currency, entries in settings.PAYMENT_PAYEE_ACCOUNTS.items():
        listed = entries if isinstance(entries, list) else [entries]
        for position, entry in enumerate(listed, 1):
            problem = "is not a list" if listed is not entries else _problem(entry)
            if problem:
                errors.append(
                    checks.Error(
                        f"PAYMENT_PAYEE_ACCOUNTS: {currency} account {position} {problem}.",
                        hint='Each account: {"method": "bank_transfer"|"alipay"|"wechat_pay", '
                        '"holder": …, "account": …, "bank": …} (docs/payments.md).',
                        id="funding.E001",
                    )
                )
    if settings.DEBUG or settings.PAYMENT_ADAPTER != "manual":
        return errors
    for currency in settings.CURRENCIES:
        accounts = payee_accounts(currency)
        if any(a.example for a in accounts):
            errors.append(
                checks.Error(
                    f"PAYMENT_PAYEE_ACCOUNTS: {currency} has an example account.",
                    hint="Give the platform's own accounts (docs/payments.md).",
                    id="funding.E003",
                )
            )
        if not accounts:
            errors.append(
                checks.Error(
                    f"No payee account for {currency}: its backers would have nowhere to pay.",
                    hint=f"Add {currency} to PAYMENT_PAYEE_ACCOUNTS, or remove it from "
                    "CURRENCIES (docs/payments.md).",
                    id="funding.E002",
                )
            )
    return errors
