"""Form helpers shared by every app's pages."""

from django import forms

from .errors import ApplicationError
from .money import format_amount, format_money, parse_amount


def add_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's error on a form: next to each field it names that the form has, and at
    the top for the rest (or for the message when it names no field of the form)."""
    placed = False
    for field, messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class AmountField(forms.Field):
    """An amount of money as people write it, in their number locale ("12,50" for a German
    reader, "12.50" or "1,250.00" for an English one) → integer minor units.

    The currency may be known only when the form is built: set ``form.fields[name].currency``.
    Refusals come from ``core.money.parse_amount`` and say what was understood.
    """

    def __init__(self, *, currency: str = "", min_amount: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.currency = currency
        self.min_amount = min_amount
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("maxlength", "40")

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_amount(value, self.currency or "XXX")
        return value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        try:
            amount = parse_amount(text, self.currency or "XXX")
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None
        if amount < self.min_amount:
            raise forms.ValidationError(
                f"Enter at least {format_money(self.min_amount, self.currency)}.", code="min_value"
            )
        return amount
