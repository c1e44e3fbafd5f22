"""Money at the edges: integer minor units ↔ what people read and type. Never a float.

Amounts live in the database and the API as integers in the currency's minor units. This module
is the one place that turns them into text for people (``format_money``, in the reader's number
locale), into decimal strings for machines (``to_major``, exports), and back from what a person
typed in a form (``parse_amount``, which refuses anything it would have to guess).
"""

import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache

import pycountry
from babel import Locale
from babel.core import get_global
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_territory_currencies,
    parse_decimal,
)
from django.conf import settings
from django.core import checks
from django.utils.translation import get_language, gettext, ngettext, to_locale

from .errors import ValidationFailed
from .locale import current_locale


def _exponents() -> dict[str, int]:
    """The minor-unit exponents that are not 2, for every ISO 4217 currency (pycountry's list of
    codes), from Babel's currency data (CLDR's ``currencyData/fractions``): JPY, KRW, ISK, XOF…
    0; BHD, KWD, TND… 3; CLF, UYW 4. CLDR follows ISO 4217 except where it records a minor unit
    as unused (IQD, RSD, LBP… 0 where ISO says 2 or 3); nothing is written here by hand."""
    codes = {c.alpha_3 for c in pycountry.currencies}
    return {c: p for c in sorted(codes) if (p := get_currency_precision(c)) != 2}


EXPONENTS: dict[str, int] = _exponents()

# The largest amount in minor units that any money field takes. PostgreSQL's bigint holds
# 2^63 − 1, but sums of several such amounts (balances, pools) must still fit: 10^15 minor units
# (ten trillion euros) leaves room for nine thousand of them in one sum.
MAX_AMOUNT = 10**15


def exponent(currency: str) -> int:
    return EXPONENTS.get((currency or "").upper(), 2)


def is_currency(code: str) -> bool:
    """Whether ``code`` is a current ISO 4217 currency code ("EUR", "CNY"; not "EURO", "XYZ")."""
    return pycountry.currencies.get(alpha_3=(code or "").upper()) is not None and code.isupper()


@checks.register()
def check_currencies(app_configs=None, **kwargs):
    """Every code in CURRENCIES (and DEFAULT_CURRENCY) must be an ISO 4217 code: an unknown one
    would be charged and paid with a guessed number of decimals."""
    wrong = [c for c in [*settings.CURRENCIES, settings.DEFAULT_CURRENCY] if not is_currency(c)]
    return [
        checks.Error(
            f"{code!r} in CURRENCIES or DEFAULT_CURRENCY is not an ISO 4217 currency code.",
            hint="Use upper-case ISO 4217 codes, e.g. CURRENCIES=EUR,USD,CNY.",
            id="core.E010",
        )
        for code in dict.fromkeys(wrong)
    ]


def minor_per_major(currency: str) -> int:
    """100 for EUR, 1 for JPY, 1000 for KWD."""
    return 10 ** exponent(currency)


def to_major(amount: int, currency: str) -> str:
    """1234, "EUR" → "12.34"; -5 → "-0.05"; 1234, "JPY" → "1234"."""
    return str(to_decimal(amount, currency))


def to_decimal(amount: int, currency: str) -> Decimal:
    """1234, "EUR" → Decimal("12.34"): for spreadsheets and formatting, never for arithmetic."""
    return Decimal(int(amount)).scaleb(-exponent(currency))


@cache
def home_currency(locale: str) -> str | None:
    """The currency of the reader's country: zh_Hans → CNY (its likely country is China),
    de_DE → EUR, en → USD; None when Babel knows no country for the locale."""
    parsed = Locale.parse(locale)
    territory = parsed.territory
    if not territory:
        likely = get_global("likely_subtags")
        keys = [f"{parsed.language}_{parsed.script}"] if parsed.script else []
        found = next((likely[key] for key in [*keys, parsed.language] if key in likely), None)
        territory = found and Locale.parse(found).territory
    currencies = get_territory_currencies(territory, tender=True) if territory else []
    return currencies[0] if currencies else None


def format_money(
    amount, currency: str = "", *, locale: Locale | str | None = None, empty=""
) -> str:
    """Minor units → text for people, grouped and with the currency's decimals, in the reader's
    number locale. The reader's own currency gets its local symbol and pattern ("¥1,234.50" for
    a Chinese reader, "1.234,50 €" for a German one); any other currency its ISO code, which
    no reader can mistake ("1,234.50 CNY" for an English reader, where "¥" could be yen).
    ``empty`` stands for no amount.
    """
    if amount is None or amount == "":
        return empty
    locale = Locale.parse(locale or current_locale())
    if not currency:
        return format_decimal(to_decimal(amount, "XXX"), format="#,##0.00", locale=locale)
    local = currency.upper() == home_currency(str(locale))
    return format_currency(
        to_decimal(amount, currency),
        currency,
        format=None if local else "#,##0.00 ¤¤",
        locale=locale,
    ).replace("\xa0", " ")


def format_amount(amount: int, currency: str, *, locale: Locale | str | None = None) -> str:
    """Minor units → "1,234.50" without the currency: what a form shows back in its field."""
    return format_currency(
        to_decimal(amount, currency), currency, format="#,##0.00", locale=locale or current_locale()
    )


def amount_example(currency: str, *, locale: Locale | str | None = None) -> str:
    """How an amount is written in the reader's locale: "1,234.50" (English), "1.234,50"."""
    locale = locale or current_locale()
    return format_money(123_450 * minor_per_major(currency) // 100, currency, locale=locale)


# How people write a currency where the locale's symbol is not the one they type: "100元",
# "¥100" (and the full-width "￥", the same after NFKC) for yuan whatever the reader's locale.
LOCAL_MARKS = {"CNY": ("元", "¥", "RMB", "人民币")}


def parse_amount(
    text: str, currency: str, *, field: str = "amount", locale: Locale | str | None = None
) -> int:
    """What a person typed → minor units, read in their number locale; never a guess.

    "12,50" is 12.50 for a German reader and refused for an English one ("1,250" would be the
    English way to write twelve hundred fifty); more decimals than the currency has, negative
    amounts and amounts beyond ``MAX_AMOUNT`` are refused. Full-width digits (typed with an
    input method), the currency's code or symbol around the number, and for yuan 元, ¥ and ￥
    ("100元", "￥１００") are accepted. Every refusal says what
    was understood and how to write it.
    """
    locale = Locale.parse(locale or current_locale())
    raw = (text or "").strip()
    if not raw:
        raise ValidationFailed.for_field(
            field, gettext("Enter an amount in %(currency)s.") % {"currency": currency}
        )
    cleaned = unicodedata.normalize("NFKC", raw).strip()  # ￥ → ¥, １００ → 100
    code = currency.upper()
    for mark in (code, get_currency_symbol(code, locale=locale), *LOCAL_MARKS.get(code, ())):
        cleaned = cleaned.removeprefix(mark).removesuffix(mark).strip()
    group = locale.number_symbols["latn"]["group"]
    if group in ("\xa0", "\u202f"):
        cleaned = cleaned.replace(" ", group)
    example = amount_example(currency, locale=locale)
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation):
        raise ValidationFailed.for_field(
            field,
            gettext(
                "“%(raw)s” is not an amount as written in %(get_display_name)s: write "
                "it like %(example)s."
            )
            % {
                "raw": raw,
                # "English (United States)", "中文 (简体, 中国)": named in the page's language.
                "get_display_name": locale.get_display_name(to_locale(get_language() or "en")),
                "example": example,
            },
        ) from None
    return _checked_minor_units(value, raw, currency, field=field, example=example, locale=locale)


def _checked_minor_units(
    value: Decimal, raw: str, currency: str, *, field: str, example: str, locale: Locale
) -> int:
    if value < 0:
        raise ValidationFailed.for_field(
            field, gettext("Enter a positive amount, not “%(raw)s”.") % {"raw": raw}
        )
    places = exponent(currency)
    if -value.as_tuple().exponent > places:
        decimals = (
            ngettext("%(count)s decimal place", "%(count)s decimal places", places)
            % {"count": places}
            if places
            else gettext("no decimal places")
        )
        raise ValidationFailed.for_field(
            field,
            gettext(
                "We read “%(raw)s” as %(value)s %(currency)s, but %(currency)s has "
                "%(decimals)s: write it like %(example)s."
            )
            % {
                "raw": raw,
                "value": value,
                "currency": currency,
                "decimals": decimals,
                "example": example,
            },
        )
    minor = int(value.scaleb(places))
    if minor > MAX_AMOUNT:
        raise ValidationFailed.for_field(
            field,
            gettext("Enter at most %(format_money)s.")
            % {"format_money": format_money(MAX_AMOUNT, currency, locale=locale)},
        )
    return minor
