"""The money pages' forms; the services check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import AmountField

from ..money_models import ChargedTo, ExpenseStatus, PayeeKind


class ExpenseForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What the money paid for (public)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount = AmountField(label=gettext_lazy("Amount"), min_amount=1)
    spent_on = forms.DateField(
        label=gettext_lazy("Date of the expense"), widget=forms.DateInput(attrs={"type": "date"})
    )
    charged_to = forms.ChoiceField(label=gettext_lazy("Paid out of"), choices=ChargedTo.choices)
    payee_kind = forms.ChoiceField(label=gettext_lazy("Payee"), choices=PayeeKind.choices)
    payee_username = forms.CharField(
        label=gettext_lazy("Member's username (a member payee)"), required=False, max_length=150
    )
    supplier_name = forms.CharField(
        label=gettext_lazy("Supplier's name (a supplier)"), required=False, max_length=140
    )
    supplier_account_kind = forms.ChoiceField(
        label=gettext_lazy("Supplier's account"),
        required=False,
        choices=[("iban", "IBAN"), ("alipay", "Alipay")],
    )
    supplier_account = forms.CharField(
        label=gettext_lazy("IBAN or Alipay account"), required=False, max_length=100
    )
    receipt = forms.FileField(
        label=gettext_lazy("Receipt (PDF, JPEG or PNG; shown to backers, never the public)")
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000)


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"), max_length=120, required=False
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any"))] + list(ExpenseStatus.choices),
    )
    charged_to = forms.ChoiceField(
        label=gettext_lazy("Paid out of"),
        required=False,
        choices=[("", gettext_lazy("Any"))] + list(ChargedTo.choices),
    )
    product = forms.IntegerField(label=gettext_lazy("Product number"), required=False, min_value=1)
