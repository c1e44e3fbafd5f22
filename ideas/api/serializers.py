"""What the ideas API reads (``…Input``) and returns (``…Output``)."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.schema import NO_NUL, NOT_BLANK, documented
from core.serializers import InputSerializer

from .. import rules, selectors
from ..models import IdeaStatus
from ..services import SUGGESTION_DEFAULT_POINTS
from ..services.comments import SUGGESTION_MAX_POINTS
from ..services.validation import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TAG_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

# --- Output ---------------------------------------------------------------------------------


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="public_name")


class CategoryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


def _content_visible(serializer, obj, author_id: int) -> bool:
    request = serializer.context.get("request")
    user = request.user if request else None
    return rules.content_visible(hidden_at=obj.hidden_at, author_id=author_id, member=user)


def _has_round(idea) -> bool:
    try:
        return idea.funding_round is not None
    except Exception:  # RelatedObjectDoesNotExist (funding.models.FundingRound.DoesNotExist)
        return False


class IdeaListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    title = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    category = CategoryOutput(allow_null=True)
    tags = serializers.SerializerMethodField()
    creator = MemberOutput()
    vote_count = serializers.IntegerField()
    vote_threshold = serializers.IntegerField()
    comment_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    voting_deadline = serializers.DateTimeField(allow_null=True)
    # The funding terms are the idea's round (funding.FundingRound, read with the idea by
    # selectors.idea_queryset); the field names stay as clients know them.
    funding_deadline = serializers.DateTimeField(source="funding_round.deadline", allow_null=True)
    hidden = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    cover = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The cover image's sizes, narrowest first: `[{url, width}]` (16:9, JPEG)."
        )
    )

    def get_cover(self, idea) -> list[dict]:
        return [{"url": url, "width": width} for url, width in idea.covers]

    def get_tags(self, idea) -> list[str]:
        return [t.name for t in idea.tags.all()]  # prefetched by idea_queryset()

    def get_hidden(self, idea) -> bool:
        return idea.hidden_at is not None

    def get_product(self, idea) -> int | None:
        return selectors.idea_product_id(idea)


class TransitionOutput(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = MemberOutput(allow_null=True)
    # The line in the Accept-Language language; what the platform said is also given as its
    # phrase code and parameters (amounts in minor units with their currency), "" for a
    # person's own words.
    reason = serializers.CharField(source="reason_text")
    reason_code = serializers.CharField()
    reason_params = serializers.DictField()
    created_at = serializers.DateTimeField()


class IdeaDetailOutput(IdeaListOutput):
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    hidden_reason = serializers.CharField()
    video = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    funding_goal = serializers.IntegerField(source="funding_round.goal", allow_null=True)
    currency = serializers.SerializerMethodField()
    platform_fee_bp = serializers.IntegerField(
        source="funding_round.platform_fee_bp", allow_null=True
    )
    points_per_unit = serializers.IntegerField(
        source="funding_round.points_per_unit", allow_null=True
    )
    transitions = serializers.SerializerMethodField()

    def get_currency(self, idea) -> str:
        return idea.funding_round.currency if _has_round(idea) else ""  # "" before approval

    def _shown(self, idea) -> bool:
        return _content_visible(self, idea, idea.creator_id)

    def get_body(self, idea) -> str:
        return idea.body if self._shown(idea) else ""

    def get_body_html(self, idea) -> str:
        return idea.body_html if self._shown(idea) else ""

    def get_video(self, idea) -> dict | None:
        if not self._shown(idea):
            return None
        if idea.video_file:
            return {"kind": "file", "url": idea.video_file.url, "mime": idea.video_mime}
        if idea.video_embed_url:
            return {"kind": "embed", "url": idea.video_url, "embed_url": idea.video_embed_url}
        return None

    def get_transitions(self, idea) -> list[dict]:
        return TransitionOutput(idea.transitions.all(), many=True).data


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    root = serializers.IntegerField(source="root_id", allow_null=True)
    depth = serializers.IntegerField()
    author = MemberOutput()
    body_html = serializers.SerializerMethodField()
    is_suggestion = serializers.BooleanField()
    accepted = serializers.SerializerMethodField()
    contribution = serializers.IntegerField(source="contribution_id", allow_null=True)
    created_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField()
    hidden_reason = serializers.CharField()

    def get_body_html(self, comment) -> str:
        if not _content_visible(self, comment, comment.author_id):
            return ""
        return comment.body_html

    def get_accepted(self, comment) -> bool:
        return comment.accepted_at is not None

    def get_hidden(self, comment) -> bool:
        return comment.hidden_at is not None


class FlagOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class HtmlOutput(serializers.Serializer):
    html = serializers.CharField()


# --- Input ----------------------------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "array",
                "items": {"type": "string", "maxLength": TAG_MAX_LENGTH, "pattern": NO_NUL},
            },
            {
                "type": "string",
                "pattern": NO_NUL,
                "description": gettext_lazy("Comma-separated tag names."),
            },
        ]
    }
)
class TagsField(serializers.Field):
    """A list of tag names, or one comma-separated string (handy in multipart forms)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give a list of tag names or a comma-separated string.")
    }

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist") and self.field_name in dictionary:
            values = dictionary.getlist(self.field_name)
            return values if len(values) > 1 else values[0]
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.split(",")
        if not isinstance(data, list) or not all(isinstance(v, str) for v in data):
            self.fail("invalid")
        if any("\x00" in v for v in data):
            raise serializers.ValidationError(gettext("Tag names cannot contain null characters."))
        return [v.strip() for v in data if v.strip()]

    def to_representation(self, value):
        return value


_STATUS = "|".join(IdeaStatus.values)


class IdeaFilterInput(InputSerializer):
    status = documented(
        serializers.CharField(required=False, allow_blank=True),
        pattern=rf"^(({_STATUS})(,({_STATUS}))*)?$",
        description=gettext_lazy("One state or several, comma-separated."),
    )
    category = serializers.CharField(required=False, allow_blank=True)
    tag = serializers.CharField(required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    ordering = serializers.ChoiceField(
        choices=selectors.ORDERINGS, required=False, allow_blank=True
    )

    def validate_status(self, value: str) -> str:
        wrong = [s for s in value.split(",") if s and s not in IdeaStatus.values]
        if wrong:
            raise serializers.ValidationError(
                gettext("Unknown status %(value)s; use one of %(join)s.")
                % {"value": f"{wrong[0]!r}", "join": ", ".join(IdeaStatus.values)}
            )
        return value


# Blank text is refused by the services with their own sentence; the schema says it up front.
def _text(max_length: int | None = None, **kwargs):
    limit = {"maxLength": max_length} if max_length else {}
    return documented(serializers.CharField(trim_whitespace=False, **kwargs), **NOT_BLANK, **limit)


class IdeaCreateInput(InputSerializer):
    title = _text(allow_blank=True, max_length=TITLE_MAX_LENGTH)
    summary = _text(allow_blank=True, max_length=SUMMARY_MAX_LENGTH)
    body = _text(allow_blank=True, max_length=BODY_MAX_LENGTH)
    category = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    tags = TagsField(required=False)
    video_url = serializers.CharField(required=False, allow_blank=True)
    video_file = serializers.FileField(required=False, allow_empty_file=False)
    publish = serializers.BooleanField(required=False, default=False)


class IdeaCreateJsonInput(IdeaCreateInput):
    """A new idea sent as JSON or a URL-encoded form: a video file needs multipart."""

    video_file = None


class IdeaUpdateInput(InputSerializer):
    title = _text(required=False, allow_blank=True, max_length=TITLE_MAX_LENGTH)
    summary = _text(required=False, allow_blank=True, max_length=SUMMARY_MAX_LENGTH)
    body = _text(required=False, allow_blank=True, max_length=BODY_MAX_LENGTH)
    category = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    tags = TagsField(required=False)
    video_url = serializers.CharField(required=False, allow_blank=True)
    video_file = serializers.FileField(required=False, allow_empty_file=False)


class IdeaUpdateJsonInput(IdeaUpdateInput):
    """Changes sent as JSON or a URL-encoded form: a video file needs multipart."""

    video_file = None


class IdeaWithdrawInput(InputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReasonInput(InputSerializer):
    reason = _text(allow_blank=True, max_length=REASON_MAX_LENGTH)


class CommentCreateInput(InputSerializer):
    body = _text(allow_blank=True, max_length=COMMENT_MAX_LENGTH)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    is_suggestion = serializers.BooleanField(required=False, default=False)


class CommentAcceptInput(InputSerializer):
    points = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=SUGGESTION_MAX_POINTS,
        default=SUGGESTION_DEFAULT_POINTS,
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class MarkdownPreviewInput(InputSerializer):
    body = serializers.CharField(allow_blank=True, max_length=BODY_MAX_LENGTH)
    comment = serializers.BooleanField(required=False, default=False)
