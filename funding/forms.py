import re
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from core.forms import AmountField
from core.money import minor_per_major
from core.text import sentence
from payouts.rules import FEE_BP_MAX, FEE_BP_MIN

from .rules import MAX_POINTS_PER_UNIT, pledge_amount_error

if TYPE_CHECKING:  # annotations only: ideas' data is read through ideas.selectors
    pass


class ApproveForm(forms.Form):
    # Typed as the reviewer writes amounts ("2.500,50" for a German reader); parsed in clean()
    # once the currency (a later field) is known.
    funding_goal = forms.CharField(
        label=gettext_lazy("Funding goal"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "In the currency chosen below, as you write amounts, e.g. 2500 or 2500.50."
        ),
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=[])
    funding_deadline = forms.DateField(
        label=gettext_lazy("Deadline (UTC, end of day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=sentence(
            gettext_lazy("Empty: %(FUNDING_WINDOW_DAYS)s days from now."),
            FUNDING_WINDOW_DAYS=settings.FUNDING_WINDOW_DAYS,
        ),
    )
    platform_fee_bp = forms.IntegerField(
        label=gettext_lazy("Platform fee (basis points)"),
        min_value=FEE_BP_MIN,
        max_value=FEE_BP_MAX,
        initial=1500,
        help_text=sentence(
            gettext_lazy("%(min_bp)s–%(max_bp)s bp, that is %(min_pct)s–%(max_pct)s %%."),
            min_bp=FEE_BP_MIN,
            max_bp=FEE_BP_MAX,
            min_pct=FEE_BP_MIN // 100,
            max_pct=FEE_BP_MAX // 100,
        ),
    )
    points_per_unit = forms.IntegerField(
        label=gettext_lazy("Points per unit pledged"),
        min_value=1,
        max_value=MAX_POINTS_PER_UNIT,
        initial=1,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in settings.CURRENCIES]
        self.fields["currency"].initial = settings.DEFAULT_CURRENCY

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if currency and "funding_goal" in data:
            goal = AmountField(currency=currency, min_amount=minor_per_major(currency))
            try:
                data["funding_goal"] = goal.clean(data["funding_goal"])
            except forms.ValidationError as error:
                self.add_error("funding_goal", error)
        return data

    def terms(self) -> dict:
        data = self.cleaned_data
        deadline = data.get("funding_deadline")
        return {
            "funding_goal": data["funding_goal"],  # minor units, parsed by AmountField
            "currency": data["currency"],
            "funding_deadline": datetime.combine(deadline, time(23, 59, 59), tzinfo=UTC)
            if deadline
            else None,
            "platform_fee_bp": data["platform_fee_bp"],
            "points_per_unit": data["points_per_unit"],
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PledgeForm(forms.Form):
    """The pledge box: an amount as the member writes it, in the round's currency and their
    number locale ("12,50" for a German reader), at least one major unit. Sent with GET to the
    idea page, which then asks to confirm: nothing is stored by this form."""

    amount = AmountField(label=gettext_lazy("Amount"), required=True)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        field = self.fields["amount"]
        field.currency = currency
        field.min_amount = minor_per_major(currency)
        field.label = gettext("Amount (%(currency)s)") % {"currency": currency}
        field.widget.attrs.update(id="pledge-input", placeholder="25")
        field.error_messages["required"] = gettext(
            "Enter the amount you pledge in %(currency)s."
        ) % {"currency": currency}

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        error = pledge_amount_error(amount=amount, currency=self.currency)
        if error:
            raise forms.ValidationError(error)
        return amount


class PledgeConfirmForm(forms.Form):
    """The Confirm button: the amount shown, in minor units, exactly as the server parsed it."""

    AGAIN = gettext_lazy("Enter the amount again and confirm it.")
    amount = forms.CharField(
        widget=forms.HiddenInput,
        max_length=20,
        strip=False,
        error_messages={"required": AGAIN, "max_length": AGAIN},
    )

    def clean_amount(self) -> int:
        text = self.cleaned_data["amount"]
        if not re.fullmatch(r"[0-9]{1,18}", text, re.ASCII):
            raise forms.ValidationError(self.AGAIN)
        return int(text)
