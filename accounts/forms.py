from django import forms

from core.errors import ApplicationError
from core.forms import add_application_error

from .services import user_register


class SignUpForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only.",
    )
    display_name = forms.CharField(max_length=80, required=False, help_text="Shown to others.")
    email = forms.EmailField(help_text="Never shown to other members.")
    password = forms.CharField(widget=forms.PasswordInput, strip=False)

    def save(self):
        try:
            return user_register(
                username=self.cleaned_data["username"],
                email=self.cleaned_data["email"],
                password=self.cleaned_data["password"],
                display_name=self.cleaned_data.get("display_name", ""),
            )
        except ApplicationError as exc:
            add_application_error(self, exc)
            return None
