"""The discussion API (SPEC section 7): comments, accepting suggestions, flags, hiding."""

from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer
from core.errors import NotFound, ValidationFailed
from core.pagination import PaginatedMixin
from core.throttles import THROTTLES

from .. import selectors, services
from ..models import Comment
from ..rendering import render_markdown
from ..threads import thread_row
from .ideas import visible_idea
from .serializers import (
    CategoryOutput,
    CommentAcceptInput,
    CommentCreateInput,
    CommentOutput,
    FlagOutput,
    HtmlOutput,
    MarkdownPreviewInput,
    ReasonInput,
)


class IdeaCommentsApi(PaginatedMixin, APIView):
    throttle_classes = THROTTLES
    throttle_scope = "comment"

    @extend_schema(
        responses={200: CommentOutput(many=True)},
        description=gettext_lazy(
            "The discussion in thread order: each top-level comment, then its replies."
        ),
    )
    def get(self, request, idea_id: int):
        idea = visible_idea(request, idea_id)
        return self.paginated(
            selectors.comments_flat(idea=idea),
            lambda page: CommentOutput(page, many=True, context={"request": request}).data,
        )

    @extend_schema(
        request=CommentCreateInput,
        responses={201: CommentOutput},
        description=gettext_lazy(
            "Comment on an idea, or reply to a comment with its id as `parent`; limited per "
            "member and address (`comment`)."
        ),
        parameters=[
            OpenApiParameter(
                "html", bool, description=gettext_lazy("Also return the rendered HTML")
            )
        ],
    )
    def post(self, request, idea_id: int):
        idea = visible_idea(request, idea_id)
        data = CommentCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        parent = None
        if values.get("parent"):
            parent = selectors.comment_get(comment_id=values["parent"], idea=idea)
            if parent is None:
                raise ValidationFailed.for_field(
                    "parent", gettext("Reply to a comment on this idea.")
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
            out["html"] = render_to_string(
                "ideas/_thread.html",
                {"rows": thread_row(comment, parent), "idea": idea, "user": request.user},
                request=request,
            )
        return Response(out, status=status.HTTP_201_CREATED)


def _visible_comment(request, comment_id: int) -> Comment:
    comment = selectors.comment_get(comment_id=comment_id, user=request.user)
    if comment is None:
        raise NotFound(gettext("No such comment."))
    return comment


class CommentAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CommentAcceptInput,
        responses={200: CommentOutput},
        description=gettext_lazy(
            "The idea's creator accepts someone else's suggestion (a comment with "
            "`is_suggestion`): it becomes its author's pending `suggestion` claim of `points` "
            "for a reviewer to decide, and the author is told. 400 on `comment` for a plain, "
            "own or hidden comment; 403 for anyone but the creator; 409 `invalid_state` once "
            "the idea has ended (withdrawn, expired, rejected, funding failed), "
            "`already_accepted` the second time."
        ),
    )
    def post(self, request, comment_id: int):
        comment = _visible_comment(request, comment_id)
        data = CommentAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.comment_accept(comment=comment, actor=request.user, **data.validated_data)
        return Response(CommentOutput(comment, context={"request": request}).data)


class CommentFlagApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReasonInput,
        responses={201: FlagOutput},
        description=gettext_lazy(
            "Report someone else's comment to the reviewers, with a `reason`. 400 on `reason` "
            "for your own comment; 409 `already_hidden` if the moderators hid it already, "
            "`conflict` while your earlier flag on it is open."
        ),
    )
    def post(self, request, comment_id: int):
        comment = _visible_comment(request, comment_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_create(reporter=request.user, comment=comment, **data.validated_data)
        return Response(FlagOutput(flag).data, status=status.HTTP_201_CREATED)


class CommentHideApi(APIView):
    permission_classes = [IsReviewer]
    unhide = False

    @extend_schema(
        request=ReasonInput,
        responses={200: CommentOutput},
        description=gettext_lazy(
            "Reviewers hide a comment, with a `reason` (kept in the moderation log): only its "
            "author and reviewers still see its text, and it leaves the idea's comment count. "
            "Its open flags are closed and its author is told. 409 `already_hidden`."
        ),
    )
    def post(self, request, comment_id: int):
        comment = selectors.moderation_target(kind="comment", target_id=comment_id)
        if comment is None:
            raise NotFound(gettext("No such comment."))
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.comment_unhide if self.unhide else services.comment_hide
        action(comment=comment, actor=request.user, **data.validated_data)
        return Response(CommentOutput(comment, context={"request": request}).data)


class CommentUnhideApi(CommentHideApi):
    unhide = True

    @extend_schema(
        request=ReasonInput,
        responses={200: CommentOutput},
        description=gettext_lazy(
            "Reviewers show a hidden comment again, with a `reason` (kept in the moderation "
            "log); it counts in the idea's comments again. 409 `not_hidden` if it is not hidden."
        ),
    )
    def post(self, request, comment_id: int):
        return super().post(request, comment_id)


class MarkdownPreviewApi(APIView):
    permission_classes = [IsAuthenticated]  # as for writing ideas and comments
    throttle_classes = THROTTLES
    throttle_scope = "preview"

    @extend_schema(
        request=MarkdownPreviewInput,
        responses={200: HtmlOutput},
        description=gettext_lazy(
            "The sanitised HTML a Markdown text is shown as, saving nothing: as an idea's text, "
            "or with `comment: true` as a comment's (fewer tags: no headings or tables). For "
            "signed-in members; limited per member and address (`preview`)."
        ),
    )
    def post(self, request):
        data = MarkdownPreviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        html = render_markdown(data.validated_data["body"], comment=data.validated_data["comment"])
        return Response({"html": html})


class CategoryListApi(APIView):
    @extend_schema(
        responses={200: CategoryOutput(many=True)},
        description=gettext_lazy(
            "The idea categories (anyone): an idea's `category` takes a category's `id` or `slug`."
        ),
    )
    def get(self, request):
        return Response(CategoryOutput(selectors.categories(), many=True).data)
