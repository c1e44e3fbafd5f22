"""Serializer fields shared by the APIs."""

import re

from rest_framework import serializers


class StrictIntegerField(serializers.IntegerField):
    """A whole number and nothing else: JSON integers, or digit strings from HTML forms.

    DRF's IntegerField takes 12.0 and "12.0"; money (minor units) and points must not: 12.0,
    12.5, "12.5" and true are refused.
    """

    default_error_messages = {"invalid": "Enter a whole number."}
    _DIGITS = re.compile(r"^\s*-?\d+\s*$")

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str) and not self._DIGITS.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)
