"""Page forms of finance's sales page."""

from django import forms
from django.utils.translation import gettext_lazy

from .models import ImportFormat


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ImportFormat.choices)
    file = forms.FileField(label=gettext_lazy("File (CSV: UTF-8, or GBK for Taobao's report)"))


class AdjustmentForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    side = forms.ChoiceField(
        label=gettext_lazy("Side"),
        choices=[("costs", gettext_lazy("Costs")), ("revenue", gettext_lazy("Revenue"))],
    )
    amount = forms.IntegerField(
        label=gettext_lazy("Amount in minor units (negative: a credit)"),
        min_value=-(10**15),
        max_value=10**15,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)
