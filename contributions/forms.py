from django import forms

from .models import ContributionKind
from .services import (
    EVIDENCE_MAX_UPLOAD_BYTES,
    MAX_DESCRIPTION,
    MAX_POINTS,
    MAX_REASON,
    POINTS_MESSAGE,
    REASON_MISSING,
    REASON_TOO_LONG,
)

CLAIM_KIND_CHOICES = [c for c in ContributionKind.choices if c[0] != ContributionKind.FUNDING]


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(choices=CLAIM_KIND_CHOICES, label="What kind of help")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_DESCRIPTION,
        label="What you did",
        help_text="Be specific: reviewers weigh claims by what they can check.",
    )
    proposed_points = forms.IntegerField(
        min_value=1,
        max_value=MAX_POINTS,
        label="Points you propose",
        help_text="A reviewer sets the final points.",
    )
    evidence_url = forms.URLField(required=False, label="Evidence link", assume_scheme="https")
    evidence_file = forms.FileField(
        required=False,
        label="Or an evidence file",
        help_text=f"PDF, PNG, JPEG, WebP, ZIP or office document, at most "
        f"{EVIDENCE_MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )


class ApproveForm(forms.Form):
    points = forms.IntegerField(
        min_value=1,
        max_value=MAX_POINTS,
        error_messages={
            key: POINTS_MESSAGE for key in ("required", "invalid", "min_value", "max_value")
        },
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON,
        error_messages={"required": REASON_MISSING, "max_length": REASON_TOO_LONG},
    )
