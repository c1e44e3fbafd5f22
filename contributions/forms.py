from django import forms
from django.utils.translation import gettext_lazy

from core.text import sentence

from .models import ContributionKind
from .services import (
    DESCRIPTION_MISSING,
    DESCRIPTION_TOO_LONG,
    EVIDENCE_MAX_UPLOAD_BYTES,
    EVIDENCE_URL_MESSAGE,
    KIND_MESSAGE,
    MAX_DESCRIPTION,
    MAX_POINTS,
    MAX_REASON,
    POINTS_MESSAGE,
    REASON_MISSING,
    REASON_TOO_LONG,
)

POINTS_ERRORS = ("required", "invalid", "min_value", "max_value")
CLAIM_KIND_CHOICES = [c for c in ContributionKind.choices if c[0] != ContributionKind.FUNDING]


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CLAIM_KIND_CHOICES,
        label=gettext_lazy("What kind of help"),
        error_messages=dict.fromkeys(("required", "invalid_choice"), KIND_MESSAGE),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_DESCRIPTION,
        label=gettext_lazy("What you did"),
        help_text=gettext_lazy("Be specific: reviewers weigh claims by what they can check."),
        error_messages={"required": DESCRIPTION_MISSING, "max_length": DESCRIPTION_TOO_LONG},
    )
    proposed_points = forms.IntegerField(
        min_value=1,
        max_value=MAX_POINTS,
        label=gettext_lazy("Points you propose"),
        help_text=gettext_lazy("A reviewer sets the final points."),
        error_messages=dict.fromkeys(POINTS_ERRORS, POINTS_MESSAGE),
    )
    evidence_url = forms.URLField(
        required=False,
        label=gettext_lazy("Evidence link"),
        assume_scheme="https",
        error_messages=dict.fromkeys(("invalid", "max_length"), EVIDENCE_URL_MESSAGE),
    )
    evidence_file = forms.FileField(
        required=False,
        label=gettext_lazy("Or an evidence file"),
        help_text=sentence(
            gettext_lazy("PDF, PNG, JPEG, WebP, ZIP or office document, at most %(value)s MB."),
            value=EVIDENCE_MAX_UPLOAD_BYTES // (1024 * 1024),
        ),
    )


class ApproveForm(forms.Form):
    points = forms.IntegerField(
        label=gettext_lazy("Points"),
        min_value=1,
        max_value=MAX_POINTS,
        error_messages=dict.fromkeys(POINTS_ERRORS, POINTS_MESSAGE),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=MAX_REASON,
        error_messages={"required": REASON_MISSING, "max_length": REASON_TOO_LONG},
    )
