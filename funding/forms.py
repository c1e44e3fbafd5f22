from datetime import UTC, datetime, time
from decimal import Decimal

from django import forms
from django.conf import settings

from core.money import minor_per_major
from payouts.rules import FEE_BP_MAX, FEE_BP_MIN

from .rules import MAX_POINTS_PER_UNIT


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
        label="Platform fee (basis points)", min_value=FEE_BP_MIN, max_value=FEE_BP_MAX,
        initial=1500, help_text=f"{FEE_BP_MIN}–{FEE_BP_MAX} bp, that is "
        f"{FEE_BP_MIN // 100}–{FEE_BP_MAX // 100} %.",
    )  # fmt: skip
    points_per_unit = forms.IntegerField(
        label="Points per unit pledged", min_value=1, max_value=MAX_POINTS_PER_UNIT, initial=1
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
