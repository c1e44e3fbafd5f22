"""Amounts as people write them (pages) and as machines send them (API)."""

import pytest
from rest_framework import serializers

from core.errors import ValidationFailed
from core.fields import MinorUnitsField, StrictIntegerField
from core.forms import AmountField
from core.locale import locale_from_header
from core.money import MAX_AMOUNT, format_money, parse_amount


@pytest.mark.parametrize(
    ("typed", "locale", "minor"),
    [
        ("12.50", "en", 1250),
        ("1,250.00", "en", 125000),
        ("1,250", "en", 125000),
        ("12", "en", 1200),
        ("12,50", "de_DE", 1250),
        ("1.250,00", "de_DE", 125000),
        ("12,50 EUR", "de_DE", 1250),
        ("€12.50", "en", 1250),
        ("１２．５０", "en", 1250),  # full-width digits from an input method
        ("1 250,00", "fr_FR", 125000),  # a plain space where French prints a narrow one
    ],
)
def test_amounts_are_read_the_way_the_reader_writes_them(typed, locale, minor):
    assert parse_amount(typed, "EUR", locale=locale) == minor


@pytest.mark.parametrize(
    ("typed", "locale", "says"),
    [
        ("12,50", "en", "write it like 1,234.50 EUR"),
        ("12.50", "de_DE", "write it like 1.234,50 €"),
        ("1.250", "en", "We read “1.250” as 1.250 EUR, but EUR has 2 decimal places"),
        ("12.5", "en-JPY", None),
        ("-3", "en", "Enter a positive amount"),
        ("ten", "en", "is not an amount as written in English"),
        ("", "en", "Enter an amount in EUR."),
    ],
)
def test_ambiguous_or_wrong_amounts_are_refused_with_what_was_understood(typed, locale, says):
    if says is None:  # a yen amount has no decimals
        with pytest.raises(ValidationFailed, match="JPY has no decimal places"):
            parse_amount(typed, "JPY", locale="en")
        return
    with pytest.raises(ValidationFailed) as refused:
        parse_amount(typed, "EUR", locale=locale, field="amount")
    assert says in refused.value.message
    assert refused.value.fields == {"amount": [refused.value.message]}


def test_amounts_beyond_what_the_ledger_can_sum_are_refused():
    with pytest.raises(ValidationFailed, match="Enter at most"):
        parse_amount(str(2**63), "EUR", locale="en")
    assert parse_amount("10,000,000,000,000.00", "EUR", locale="en") == MAX_AMOUNT


def test_money_is_formatted_in_the_readers_locale_with_the_currencys_decimals():
    assert format_money(410050, "EUR", locale="en") == "4,100.50 EUR"
    assert format_money(410050, "EUR", locale="de_DE") == "4.100,50 €"
    assert format_money(4100, "JPY", locale="en") == "4,100 JPY"
    assert format_money(-5, "EUR", locale="en") == "-0.05 EUR"
    assert format_money(None, "EUR", empty="—") == "—"


def test_the_readers_own_currency_gets_its_local_symbol_any_other_its_code():
    assert format_money(123450, "CNY", locale="zh_Hans") == "¥1,234.50"
    assert format_money(123450, "CNY", locale="zh_Hans_CN") == "¥1,234.50"
    assert format_money(123450, "CNY", locale="en") == "1,234.50 CNY"  # "¥" could be yen
    assert format_money(123450, "EUR", locale="zh_Hans") == "1,234.50 EUR"
    assert format_money(123450, "USD", locale="en") == "$1,234.50"
    assert format_money(123450, "USD", locale="en_GB") == "1,234.50 USD"


def test_a_chinese_reader_types_yuan_with_or_without_the_sign():
    assert parse_amount("¥1,234.50", "CNY", locale="zh_Hans") == 123450
    assert parse_amount("１２３４.５", "CNY", locale="zh_Hans") == 123450  # full-width digits
    assert parse_amount("1234.50 CNY", "CNY", locale="zh_Hans") == 123450


def test_the_browser_language_chooses_the_number_locale():
    assert str(locale_from_header("de-DE,de;q=0.9,en;q=0.8")) == "de_DE"
    assert str(locale_from_header("xx-YY, fr;q=0.5")) == "fr"
    assert str(locale_from_header("en;q=0.1, de;q=0.9")) == "de"
    assert str(locale_from_header("")) == "en"
    assert str(locale_from_header(";;q=,,")) == "en"


def test_a_form_amount_field_gives_minor_units_or_a_clear_error():
    field = AmountField(currency="EUR", min_amount=100)
    assert field.clean("12.50") == 1250
    with pytest.raises(Exception, match="Enter at least 1.00 EUR"):
        field.clean("0.50")
    with pytest.raises(Exception, match="write it like 1,234.50 EUR"):
        field.clean("12,50")
    assert field.prepare_value(125000) == "1,250.00"


class _Amount(serializers.Serializer):
    amount = MinorUnitsField(min_value=1)
    points = StrictIntegerField()


@pytest.mark.parametrize("bad", [1000.0, "1000.0", " 1000 ", "１０００", True, "1e3", [1], 2**63])
def test_the_api_takes_money_only_as_integer_minor_units(bad):
    serializer = _Amount(data={"amount": bad, "points": 1})
    assert not serializer.is_valid()
    assert list(serializer.errors) == ["amount"]


def test_the_api_takes_plain_integers():
    serializer = _Amount(data={"amount": 1000, "points": "7"})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"amount": 1000, "points": 7}
