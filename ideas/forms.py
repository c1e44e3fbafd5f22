from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from .models import Idea, IdeaStatus
from .selectors import ORDERINGS, categories

ORDERING_LABELS = {
    "hot": gettext_lazy("Hot"),
    "top": gettext_lazy("Top"),
    "new": gettext_lazy("New"),
    "closing": gettext_lazy("Closing soon"),
}
assert set(ORDERING_LABELS) == set(ORDERINGS)


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        help_text=gettext_lazy("Up to 120 characters."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2, "class": "short"}),
        help_text=gettext_lazy("One or two sentences shown in lists (up to 280 characters)."),
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        widget=forms.Textarea(attrs={"rows": 14, "data-markdown": "1"}),
        help_text=gettext_lazy("Markdown: **bold**, *italic*, lists, links, `code`, headings."),
        strip=False,
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=categories(),
        required=False,
        empty_label=gettext_lazy("— none —"),
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=400,
        help_text=gettext_lazy("Comma-separated, e.g. kitchen, solar, kids."),
    )
    video_file = forms.FileField(
        required=False,
        label=gettext_lazy("Video file"),
        help_text=gettext_lazy("MP4, WebM or QuickTime, up to the size limit."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/quicktime"}),
    )
    video_url = forms.CharField(
        required=False,
        max_length=200,
        label=gettext_lazy("…or a YouTube / Vimeo link"),
        widget=forms.URLInput(attrs={"placeholder": "https://www.youtube.com/watch?v=…"}),
    )
    remove_video = forms.BooleanField(
        required=False, label=gettext_lazy("Remove the current video")
    )
    cover = forms.FileField(
        required=False,
        label=gettext_lazy("Cover image"),
        help_text=gettext_lazy(
            "JPEG, PNG or WebP, at least 200 px on each side. Shown on the idea's card and page, "
            "cropped to 16:9."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_cover = forms.BooleanField(
        required=False, label=gettext_lazy("Remove the current cover image")
    )

    def __init__(self, *args, idea: Idea | None = None, **kwargs):
        if idea is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": idea.title,
                "summary": idea.summary,
                "body": idea.body,
                "category": idea.category_id,
                "tags": ", ".join(t.name for t in idea.tags.all()),
                "video_url": idea.video_url,
            }
        super().__init__(*args, **kwargs)
        limit_mb = settings.VIDEO_MAX_UPLOAD_BYTES // (1024 * 1024)
        self.fields["video_file"].help_text = gettext(
            "MP4, WebM or QuickTime, up to %(limit_mb)s MB."
        ) % {"limit_mb": limit_mb}
        if idea is None or not (idea.video_file or idea.video_url):
            del self.fields["remove_video"]
        if idea is None or not idea.covers:
            del self.fields["remove_cover"]

    def tag_names(self) -> list[str]:
        return [t for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label=gettext_lazy("Search"))
    status = forms.ChoiceField(
        required=False, choices=[("", gettext_lazy("Any state"))] + list(IdeaStatus.choices)
    )
    category = forms.ModelChoiceField(
        queryset=categories(), required=False, empty_label=gettext_lazy("Any category"),
        to_field_name="slug",
    )  # fmt: skip
    tag = forms.SlugField(label=gettext_lazy("Tag"), required=False, max_length=40)
    ordering = forms.ChoiceField(
        required=False,
        choices=[("", gettext_lazy("Best match")), *ORDERING_LABELS.items()],
    )
