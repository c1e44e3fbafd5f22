"""The product workspace's forms (pages); the services check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy

from . import services
from .life_models import Stage


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Move to"), choices=Stage.choices)
    note = forms.CharField(
        label=gettext_lazy("Note (public, on the timeline)"),
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, after: str, **kwargs):
        super().__init__(*args, **kwargs)
        order = [s.value for s in Stage]
        self.fields["stage"].choices = [
            c for c in Stage.choices if order.index(c[0]) > order.index(after)
        ]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.TITLE_MAX)
    due_date = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MilestoneDoneForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("How it was met"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    update = forms.TypedChoiceField(
        label=gettext_lazy("Or an update as evidence"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, updates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update"].choices = [("", "—")] + [
            (u.pk, f"{u.created_at:%Y-%m-%d} · {u.body[:60]}") for u in updates
        ]


class TeamForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


class AbandonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the backers read it)"),
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
