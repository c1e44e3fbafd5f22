from datetime import UTC, datetime, time
from decimal import Decimal

from django import forms
from django.conf import settings

from core.money import minor_per_major


class ApproveForm(forms.Form):
    funding_goal = forms.DecimalField(
        label="Funding goal",
        min_value=Decimal(1),
        max_digits=13,
        decimal_places=2,
        help_text="In the currency's units, e.g. 2500 or 2500.50.",
    )
    currency = forms.ChoiceField(choices=[])
    funding_deadline = forms.DateField(
        label="Deadline (UTC, end of day)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"Empty: {settings.FUNDING_WINDOW_DAYS} days from now.",
    )
    platform_fee_bp = forms.IntegerField(
        label="Platform fee (basis points)", min_value=1000, max_value=2500, initial=1500,
        help_text="1000–2500 bp, that is 10–25 %.",
    )  # fmt: skip
    points_per_unit = forms.IntegerField(
        label="Points per unit pledged", min_value=1, max_value=1000, initial=1
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in settings.CURRENCIES]
        self.fields["currency"].initial = settings.DEFAULT_CURRENCY

    def terms(self) -> dict:
        data = self.cleaned_data
        unit = minor_per_major(data["currency"])
        deadline = data.get("funding_deadline")
        return {
            # Decimal arithmetic, then an integer: no float near money.
            "funding_goal": int(data["funding_goal"] * unit),
            "currency": data["currency"],
            "funding_deadline": datetime.combine(deadline, time(23, 59, 59), tzinfo=UTC)
            if deadline
            else None,
            "platform_fee_bp": data["platform_fee_bp"],
            "points_per_unit": data["points_per_unit"],
        }


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
