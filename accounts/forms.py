from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import get_language, gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.forms import add_application_error
from core.mail import header_line

from . import rules
from .languages import speaking_to
from .limits import reset_wait, signup_wait, wait_sentence
from .models import User
from .services import user_register
from .tasks import send_later
from .timezones import zone_choices, zone_label
from .usernames import normalise


class SignUpForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text=gettext_lazy("Letters, digits and @ . + - _ only."),
    )
    display_name = forms.CharField(
        label=gettext_lazy("Display name"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Shown to others."),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("Never shown to other members."),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.rate_limited = False

    def clean(self):
        data = super().clean()
        if self.request is not None and data.get("email") and data.get("username"):
            wait = signup_wait(self.request, email=data["email"], username=data["username"])
            if wait is not None:
                self.rate_limited = True
                raise forms.ValidationError(
                    gettext(
                        "Too many sign-ups from here or for this address: try again in "
                        "%(wait_sentence)s."
                    )
                    % {"wait_sentence": wait_sentence(wait)}
                )
        return data

    def save(self):
        """The new member, None when the name or address was taken (the answer is the same),
        or False when the form got errors."""
        try:
            return user_register(
                username=self.cleaned_data["username"],
                email=self.cleaned_data["email"],
                password=self.cleaned_data["password"],
                display_name=self.cleaned_data.get("display_name", ""),
                language=getattr(self.request, "LANGUAGE_CODE", ""),
            )
        except ApplicationError as exc:
            add_application_error(self, exc)
            return False


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form (the same answer whether or not the address has an account), counted
    per address and per submitted e-mail; the link is written here and sent by a task, so the
    answer takes as long for an address with an account as for one without."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with speaking_to(context["user"]):
            subject = header_line(loader.render_to_string(subject_template_name, context))
            body = loader.render_to_string(email_template_name, context)
            html = None
            if html_email_template_name is not None:
                html = loader.render_to_string(html_email_template_name, context)
        send_later(subject, body, to_email, html)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.rate_limited = False

    def clean_email(self):
        email = self.cleaned_data["email"]
        if self.request is not None:
            wait = reset_wait(self.request, email=email)
            if wait is not None:
                self.rate_limited = True
                raise forms.ValidationError(
                    gettext(
                        "Too many reset requests from here or for this address: try again in "
                        "%(wait_sentence)s."
                    )
                    % {"wait_sentence": wait_sentence(wait)}
                )
        return email


class SettingsForm(forms.ModelForm):
    """What a member sets for themselves: the name others see, the time zone their times are
    shown in, their language, what their profile shows."""

    time_zone = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy("Dates and times on AHHHA are shown in this zone."),
    )

    language = forms.ChoiceField(
        required=False,
        label=_("Language"),
        help_text=_("Pages, e-mails and notifications reach you in this language."),
    )

    avatar = forms.FileField(
        required=False,
        label=gettext_lazy("Your picture"),
        help_text=gettext_lazy(
            "JPEG, PNG or WebP, at least 64 px on each side; cropped square. Shown on your profile."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_avatar = forms.BooleanField(required=False, label=gettext_lazy("Remove my picture"))

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "language", "profile_shows_earnings"]
        labels = {"display_name": gettext_lazy("Display name")}
        help_texts = {
            "display_name": gettext_lazy(
                "What others see on your ideas, comments and profile; your username when blank."
            ),
            "profile_shows_earnings": gettext_lazy(
                "Others see what you earned from products, per currency. Off by default."
            ),
        }

    def save(self, commit=True):
        """A language picked here is chosen (it wins on every page); "Your browser's" goes back
        to following the browser, keeping the one followed so far for e-mails."""
        user = self.instance
        user.language_chosen = bool(user.language)
        user.language = user.language or self._followed
        return super().save(commit=commit)

    def clean_display_name(self) -> str:
        """The sign-up's rule (accounts.rules), so Settings cannot take a name sign-up refuses."""
        name = normalise(self.cleaned_data.get("display_name") or "").strip()
        refusal = rules.may_use_display_name(display_name=name, staff=self.instance.is_staff)
        if refusal is not None:
            raise forms.ValidationError(refusal.fields["display_name"])
        return name

    def __init__(self, *args, browser_zone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or settings.LANGUAGE_CODE
        default = (
            gettext("Your browser's (%(browser_zone)s)")
            % {"browser_zone": zone_label(browser_zone, language)}
            if browser_zone
            else gettext("UTC (no browser zone)")
        )
        self.fields["time_zone"].choices = [("", default), *zone_choices(language)]
        self.fields["language"].choices = [("", _("Your browser's"))] + list(settings.LANGUAGES)
        # A language only followed from the browser (never chosen) shows as "Your browser's".
        self._followed = "" if self.instance.language_chosen else self.instance.language
        if not self.instance.language_chosen:
            self.initial["language"] = ""
        if not self.instance.avatar_96:
            del self.fields["remove_avatar"]
