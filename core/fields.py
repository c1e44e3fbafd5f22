"""Serializer fields shared by the APIs: the API is strict where pages are forgiving."""

import re

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from .money import MAX_AMOUNT


class StrictIntegerField(serializers.IntegerField):
    """A whole number and nothing else: JSON integers, or plain ASCII digit strings from HTML
    forms. DRF's IntegerField takes 12.0, "12.0", " 12 " and full-width digits; money (minor
    units) and points must not: 12.0, 12.5, "12.5", " 12 ", "１２" and true are refused."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter a whole number (an integer, with no decimals, spaces or quotes)."
        ),
        "max_value": gettext_lazy("Enter a whole number of at most {max_value}."),
        "min_value": gettext_lazy("Enter a whole number of at least {min_value}."),
        "max_string_length": gettext_lazy("Enter a whole number of at most {max_value}."),
    }
    _DIGITS = re.compile(r"-?[0-9]+", re.ASCII)

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str) and not self._DIGITS.fullmatch(data):
            self.fail("invalid")
        if not isinstance(data, int | str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MinorUnitsField(StrictIntegerField):
    """An amount of money in the currency's minor units (1250 is 12.50 EUR): an integer from
    ``min_value`` (0 unless given) to ``MAX_AMOUNT``, so no amount the database cannot sum."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter the amount as a whole number of minor units (1250 for 12.50 EUR)."
        ),
        "max_value": gettext_lazy("Enter an amount of at most {max_value} minor units."),
        "min_value": gettext_lazy("Enter an amount of at least {min_value} minor units."),
        "max_string_length": gettext_lazy("Enter an amount of at most {max_value} minor units."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        super().__init__(**kwargs)
