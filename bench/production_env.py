"""What a server started by a benchmark needs to run as production does (``DEBUG=0``): the
settings that production refuses to start without (``payouts.E001`` the destination keys,
``funding.E002``/``E003`` a real payee account for each currency), with bench-only values.
One place, so every bench that serves in production mode starts the same way."""

from cryptography.fernet import Fernet

# A key of this run only: the bench's members have no payout destinations worth keeping.
_KEY = Fernet.generate_key().decode()


def production_env(*, secret: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": f"{secret}-only-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PAYOUT_DESTINATION_KEYS": _KEY,
        "CURRENCIES": "EUR",
        "PAYMENT_PAYEE_ACCOUNTS": (
            '{"EUR": [{"method": "bank_transfer", "holder": "AHHHA Bench",'
            ' "account": "DE02120300000000202051"}]}'
        ),
    }
