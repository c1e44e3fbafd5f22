"""The ideas and discussion API (SPEC section 7): small input/output serializers per view."""

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer
from core.errors import NotFound, ValidationFailed
from core.pagination import PageNumberPagination
from core.throttles import THROTTLES

from . import selectors, services
from .models import Category, Comment, Idea, IdeaStatus
from .rendering import render_markdown
from .video import check_rejected_uploads, install_upload_limit

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
    return selectors.hidden_content_visible(hidden_at=obj.hidden_at, author_id=author_id, user=user)


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
    published_at = serializers.DateTimeField()
    voting_deadline = serializers.DateTimeField()
    funding_deadline = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()

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
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class IdeaDetailOutput(IdeaListOutput):
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    hidden_reason = serializers.CharField()
    video = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    funding_goal = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    platform_fee_bp = serializers.IntegerField(allow_null=True)
    points_per_unit = serializers.IntegerField(allow_null=True)
    transitions = serializers.SerializerMethodField()

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


# --- Input helpers --------------------------------------------------------------------------


@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": 40}})
@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": 40}})
class TagsField(serializers.Field):
    """A list of tag names, or one comma-separated string (handy in multipart forms)."""

    default_error_messages = {"invalid": "Give a list of tag names or a comma-separated string."}

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
        return [v.strip() for v in data if v.strip()]

    def to_representation(self, value):
        return value


def _category_from(value) -> Category | None:
    if value in (None, ""):
        return None
    value = str(value).strip()
    category = (
        Category.objects.filter(pk=int(value)).first()
        if value.isdigit()
        else Category.objects.filter(slug=value).first()
    )
    if category is None:
        raise ValidationFailed(
            "category: no such category.", fields={"category": ["No such category."]}
        )
    return category


def _get_visible_idea(request, idea_id: int, *, with_transitions: bool = False) -> Idea:
    idea = selectors.idea_get(idea_id=idea_id, user=request.user, with_transitions=with_transitions)
    if idea is None:
        raise NotFound("No such idea.")
    return idea


def _detail(request, idea: Idea) -> dict:
    idea = selectors.idea_get(idea_id=idea.pk, user=request.user, with_transitions=True)
    return IdeaDetailOutput(idea, context={"request": request}).data


class _UploadLimitMixin:
    """Installs the video size limit before anything (CSRF included) reads the body."""

    def initialize_request(self, request, *args, **kwargs):
        install_upload_limit(request)
        return super().initialize_request(request, *args, **kwargs)


_PARSERS = [JSONParser, MultiPartParser, FormParser]


# --- Ideas ----------------------------------------------------------------------------------


class IdeaListApi(_UploadLimitMixin, APIView):
    parser_classes = _PARSERS

    class FilterSerializer(serializers.Serializer):
        status = serializers.CharField(required=False, allow_blank=True)
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
                    f"Unknown status {wrong[0]!r}; use one of {', '.join(IdeaStatus.values)}."
                )
            return value

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(allow_blank=True, trim_whitespace=False)
        summary = serializers.CharField(allow_blank=True, trim_whitespace=False)
        body = serializers.CharField(allow_blank=True, trim_whitespace=False)
        category = serializers.CharField(required=False, allow_blank=True, allow_null=True)
        tags = TagsField(required=False)
        video_url = serializers.CharField(required=False, allow_blank=True)
        video_file = serializers.FileField(required=False, allow_empty_file=False)
        publish = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: IdeaListOutput(many=True)},
        description="Published ideas. `ordering`: hot (votes decaying with age), top (most "
        "votes), new, closing (deadline soonest); with `q` and no ordering, best match first.",
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        ordering = data.get("ordering") or ("" if data.get("q") else "new")
        qs = selectors.idea_list(
            ordering=ordering,
            status=data.get("status"),
            category=data.get("category"),
            tag=data.get("tag"),
            q=data.get("q"),
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(IdeaListOutput(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: IdeaDetailOutput})
    def post(self, request):
        check_rejected_uploads(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        publish = values.pop("publish", False)
        values["category"] = _category_from(values.get("category"))
        idea = services.idea_create(creator=request.user, **values)
        if publish:
            services.idea_publish(idea=idea, actor=request.user)
        return Response(_detail(request, idea), status=status.HTTP_201_CREATED)


class IdeaDetailApi(_UploadLimitMixin, APIView):
    parser_classes = _PARSERS

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        summary = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        category = serializers.CharField(required=False, allow_blank=True, allow_null=True)
        tags = TagsField(required=False)
        video_url = serializers.CharField(required=False, allow_blank=True)
        video_file = serializers.FileField(required=False, allow_empty_file=False)

    @extend_schema(responses={200: IdeaDetailOutput})
    def get(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id, with_transitions=True)
        return Response(IdeaDetailOutput(idea, context={"request": request}).data)

    @extend_schema(request=InputSerializer, responses={200: IdeaDetailOutput})
    def patch(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id)
        check_rejected_uploads(request)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "category" in values:
            values["category"] = _category_from(values["category"])
        idea = services.idea_update(idea=idea, actor=request.user, **values)
        return Response(_detail(request, idea))


class IdeaPublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: IdeaDetailOutput})
    def post(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id)
        services.idea_publish(idea=idea, actor=request.user)
        return Response(_detail(request, idea))


class IdeaWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    @extend_schema(request=InputSerializer, responses={200: IdeaDetailOutput})
    def post(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.idea_withdraw(
            idea=idea, actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return Response(_detail(request, idea))


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class IdeaFlagApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReasonInput, responses={201: None})
    def post(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_create(reporter=request.user, idea=idea, **data.validated_data)
        return Response({"id": flag.pk, "status": flag.status}, status=status.HTTP_201_CREATED)


class IdeaHideApi(APIView):
    permission_classes = [IsReviewer]
    unhide = False

    @extend_schema(request=ReasonInput, responses={200: IdeaDetailOutput})
    def post(self, request, idea_id: int):
        idea = get_object_or_404(Idea, pk=idea_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.idea_unhide if self.unhide else services.idea_hide
        action(idea=idea, actor=request.user, **data.validated_data)
        return Response(_detail(request, idea))


# --- Discussion -----------------------------------------------------------------------------


class IdeaCommentsApi(APIView):
    throttle_classes = THROTTLES
    throttle_scope = "comment"

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(allow_blank=True, trim_whitespace=False)
        parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        is_suggestion = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        parameters=[OpenApiParameter("page", int)],
        responses={200: CommentOutput(many=True)},
        description="The discussion in thread order: each top-level comment, then its replies.",
    )
    def get(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.comments_flat(idea=idea), request, view=self)
        data = CommentOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=InputSerializer,
        responses={201: CommentOutput},
        parameters=[OpenApiParameter("html", bool, description="Also return the rendered HTML")],
    )
    def post(self, request, idea_id: int):
        idea = _get_visible_idea(request, idea_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent = None
        if values.get("parent"):
            parent = Comment.objects.filter(pk=values["parent"], idea=idea).first()
            if parent is None:
                raise ValidationFailed(
                    "parent: no such comment on this idea.",
                    fields={"parent": ["No such comment on this idea."]},
                )
        comment = services.comment_create(
            idea=idea,
            author=request.user,
            body=values["body"],
            parent=parent,
            is_suggestion=values.get("is_suggestion", False),
        )
        out = dict(CommentOutput(comment, context={"request": request}).data)
        if request.query_params.get("html"):
            node = selectors.CommentNode(comment)
            out["html"] = render_to_string(
                "ideas/_comment.html",
                {"node": node, "idea": idea, "user": request.user, "max_depth": 4},
                request=request,
            )
        return Response(out, status=status.HTTP_201_CREATED)


def _get_comment(request, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_related("idea__creator", "author")
        .filter(
            pk=comment_id,
            idea__in=Idea.objects.filter(selectors.idea_visible_to(user=request.user)),
        )
        .first()
    )
    if comment is None:
        raise NotFound("No such comment.")
    return comment


class CommentAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        points = serializers.IntegerField(
            required=False, min_value=1, max_value=1000, default=services.SUGGESTION_DEFAULT_POINTS
        )
        note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    @extend_schema(request=InputSerializer, responses={200: CommentOutput})
    def post(self, request, comment_id: int):
        comment = _get_comment(request, comment_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.comment_accept(comment=comment, actor=request.user, **data.validated_data)
        return Response(CommentOutput(comment, context={"request": request}).data)


class CommentFlagApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReasonInput, responses={201: None})
    def post(self, request, comment_id: int):
        comment = _get_comment(request, comment_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_create(reporter=request.user, comment=comment, **data.validated_data)
        return Response({"id": flag.pk, "status": flag.status}, status=status.HTTP_201_CREATED)


class CommentHideApi(APIView):
    permission_classes = [IsReviewer]
    unhide = False

    @extend_schema(request=ReasonInput, responses={200: CommentOutput})
    def post(self, request, comment_id: int):
        comment = get_object_or_404(Comment.objects.select_related("idea", "author"), pk=comment_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.comment_unhide if self.unhide else services.comment_hide
        action(comment=comment, actor=request.user, **data.validated_data)
        return Response(CommentOutput(comment, context={"request": request}).data)


# --- Small helpers for the pages ------------------------------------------------------------


class MarkdownPreviewApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(allow_blank=True, max_length=services.BODY_MAX_LENGTH)
        comment = serializers.BooleanField(required=False, default=False)

    @extend_schema(request=InputSerializer, responses={200: None})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        html = render_markdown(data.validated_data["body"], comment=data.validated_data["comment"])
        return Response({"html": html})


class CategoryListApi(APIView):
    @extend_schema(responses={200: CategoryOutput(many=True)})
    def get(self, request):
        return Response(CategoryOutput(Category.objects.all(), many=True).data)
