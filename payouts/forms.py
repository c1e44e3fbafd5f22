"""Page forms of the finance console: amounts as people type them ("1,250.00"), parsed in the
reader's number locale by ``core.forms.AmountField`` into minor units of the product's currency."""

from django import forms
from django.utils.translation import gettext_lazy

from .models import DestinationKind, Period

REASON_MAX = 500


class _PeriodFields(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("End"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=2000)
    # No revenue or costs: a period's totals are computed from its sales and cost lines.


class PeriodRecordForm(_PeriodFields):
    """Record a period: its revenue and costs are computed from the lines dated in it."""

    product = forms.TypedChoiceField(label=gettext_lazy("Product"), coerce=int)
    field_order = ["product", "start", "end", "notes"]

    def __init__(self, *args, products=(), **kwargs):
        kwargs.setdefault("auto_id", "p-%s")
        super().__init__(*args, **kwargs)
        self.products = {p.pk: p for p in products}
        self.fields["product"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.idea.title} ({p.currency})") for p in products
        ]


class PeriodCorrectForm(_PeriodFields):
    """Correct a period's dates or notes: the totals are computed again."""

    def __init__(self, *args, period: Period, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "start": period.start,
                "end": period.end,
                "notes": period.notes,
            },
        )
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    """Why a preview is discarded or a posted settlement reversed (kept on the record)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class DestinationForm(forms.Form):
    """Where a member is paid (checked by ``payouts.destinations.clean``)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Pay me by"), choices=DestinationKind.choices, widget=forms.RadioSelect
    )
    holder = forms.CharField(
        label=gettext_lazy("Account holder's name"),
        required=False,  # payouts.destinations.clean says what is missing
        max_length=140,
        help_text=gettext_lazy(
            "As your bank or Alipay has it: banks and Alipay check it against the account."
        ),
    )
    iban = forms.CharField(label=gettext_lazy("IBAN"), required=False, max_length=64)
    bic = forms.CharField(
        label=gettext_lazy("BIC"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Needed for banks outside the EEA (e.g. Switzerland, the UK); in the EEA found "
            "from the IBAN when you leave it empty."
        ),
    )
    account = forms.CharField(
        label=gettext_lazy("Alipay account"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("The e-mail address or mainland mobile number of the account."),
    )
    text = forms.CharField(
        label=gettext_lazy("Other: where and how"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Which method's fields each is: the page shows only the chosen method's (site.js).
    WHEN = {
        "holder": "iban alipay",
        "iban": "iban",
        "bic": "iban",
        "account": "alipay",
        "text": "other",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kinds in self.WHEN.items():
            self.fields[name].when = kinds  # type: ignore[attr-defined]
            self.fields[name].when_field = "kind"  # type: ignore[attr-defined]
