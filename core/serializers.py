"""The base of every API input serializer (``…Input``)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy
from rest_framework import serializers

NOT_TEXT = gettext_lazy(
    "Enter text here, in quotes: not a number, true/false, a list or an object."
)


class InputSerializer(serializers.Serializer):
    """Text fields take text. DRF's CharField turns a JSON number into a string (``0`` → "0");
    the schema says ``string``, so a number, boolean, list or object is a 400 naming the field."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {
                name: [NOT_TEXT]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and data.get(name) is not None
                and not isinstance(data.get(name), str)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
