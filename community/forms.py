from django import forms
from django.utils.translation import gettext_lazy

from .services import UPDATE_MAX_LENGTH


class IdeaUpdateForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your update"),
        help_text=gettext_lazy(
            "Markdown. Your backers and followers hear of it in the site and by e-mail, as each "
            "of them chose."
        ),
        max_length=UPDATE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Write the update before posting it.")},
    )
