"""Payments (the manual adapter's payee accounts, Stripe) and payouts (destination keys, the
SEPA debtor), from the environment; part of config.settings (which sets PAYMENT_PAYEE_ACCOUNTS
with ``payee_accounts``: the examples depend on DEBUG). See docs/payments.md."""

import json

from django.core.exceptions import ImproperlyConfigured

from ..env import env_int, env_list, env_str

PAYMENT_ADAPTER = env_str("PAYMENT_ADAPTER", "manual")
# Days a backer has to pay once a round is funded (or after a failed charge) before it lapses.
PAYMENT_GRACE_DAYS = env_int("PAYMENT_GRACE_DAYS", 14)
# Where backers pay with the manual adapter, per currency (funding.payees; shown on the idea
# page and told by notification): PAYMENT_PAYEE_ACCOUNTS is JSON, a currency → a list of
# {"method": "bank_transfer" | "alipay" | "wechat_pay", "holder": …, "account": …, "bank": …}.
# PAYMENT_PAYEE_NAME/PAYMENT_PAYEE_ACCOUNT (the former single account) stay EUR's bank account.
# Debug adds example accounts for EUR and CNY; production (DEBUG=0) refuses a currency of
# CURRENCIES without one (the check funding.E002).
PAYMENT_PAYEE_NAME = env_str("PAYMENT_PAYEE_NAME", "AHHHA Platform")
PAYMENT_PAYEE_ACCOUNT = env_str("PAYMENT_PAYEE_ACCOUNT")
_EXAMPLE_PAYEES = {
    "EUR": [
        {"method": "bank_transfer", "holder": "AHHHA Platform", "example": True,
         "account": "IBAN DE89 3704 0044 0532 0130 00", "bank": "BIC COBADEFFXXX"},
    ],
    "CNY": [
        {"method": "alipay", "holder": "AHHHA 平台", "account": "pay@ahhha.example",
         "example": True},
        {"method": "bank_transfer", "holder": "AHHHA 平台", "example": True,
         "account": "6222 0000 0000 0000 000", "bank": "中国工商银行 上海分行"},
    ],
}  # fmt: skip


def payee_accounts(*, debug: bool) -> dict:
    """PAYMENT_PAYEE_ACCOUNTS: the examples (with DEBUG), EUR's former single account, then the
    environment's JSON."""
    accounts = dict(_EXAMPLE_PAYEES) if debug else {}
    if PAYMENT_PAYEE_ACCOUNT:
        accounts["EUR"] = [
            {
                "method": "bank_transfer",
                "holder": PAYMENT_PAYEE_NAME,
                "account": PAYMENT_PAYEE_ACCOUNT,
            }
        ]
    try:
        payees = json.loads(env_str("PAYMENT_PAYEE_ACCOUNTS") or "{}")
        accounts.update({cur.upper(): listed for cur, listed in payees.items()})
    except (ValueError, AttributeError) as error:
        raise ImproperlyConfigured(
            f"PAYMENT_PAYEE_ACCOUNTS must be a JSON object: {error}"
        ) from None
    return accounts


# Stripe (PAYMENT_ADAPTER=stripe): keys from the environment only (docs/payments.md).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# Tests point the SDK at localstripe on loopback; unset means Stripe's own API.
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
# The API version every request carries (Stripe-Version): the one the pinned SDK
# (stripe==16.1.0) is generated for, so its typed parameters are what this version accepts
# (tests/payments/test_stripe_requests.py checks each request against them).
STRIPE_API_VERSION = env_str("STRIPE_API_VERSION", "2026-10-28.endive")
# Fernet keys for members' payout destinations, newest first (payouts.destinations).
PAYOUT_DESTINATION_KEYS = env_list("PAYOUT_DESTINATION_KEYS", [])
# The account SEPA credit transfer files pay from and its holder's postal address (country
# code, two lines); the defaults are an example `check --deploy` refuses (payouts.exports.sepa).
SEPA_DEBTOR_NAME = env_str("SEPA_DEBTOR_NAME", "AHHHA Platform")
SEPA_DEBTOR_IBAN = env_str("SEPA_DEBTOR_IBAN", "DE89370400440532013000")
SEPA_DEBTOR_BIC = env_str("SEPA_DEBTOR_BIC", "COBADEFFXXX")
SEPA_DEBTOR_COUNTRY = env_str("SEPA_DEBTOR_COUNTRY", "DE")
SEPA_DEBTOR_ADDRESS_LINE1 = env_str("SEPA_DEBTOR_ADDRESS_LINE1", "Example Street 1")
SEPA_DEBTOR_ADDRESS_LINE2 = env_str("SEPA_DEBTOR_ADDRESS_LINE2", "10115 Berlin")
