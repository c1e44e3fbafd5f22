from django import forms

from .kinds import GROUPS, Channel


class NotificationSettingsForm(forms.Form):
    """One choice per group of notifications, radio buttons labelled by what they cover."""

    def __init__(self, *args, current: dict[str, Channel], **kwargs):
        super().__init__(*args, **kwargs)
        for group in GROUPS:
            self.fields[group.name] = forms.ChoiceField(
                label=group.label,
                help_text=group.help,
                choices=[(c.value, c.label) for c in group.channels],
                initial=current[group.name].value,
                widget=forms.RadioSelect,
            )
