"""The ideas API (SPEC section 7): list, create, read, edit, publish, withdraw, flag, hide."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer
from core.errors import NotFound, ValidationFailed
from core.pagination import PaginatedMixin

from .. import listcache, selectors, services
from ..models import Category, Idea
from ..video import check_rejected_uploads, install_upload_limit
from .serializers import (
    FlagOutput,
    IdeaCreateInput,
    IdeaCreateJsonInput,
    IdeaDetailOutput,
    IdeaFilterInput,
    IdeaListOutput,
    IdeaUpdateInput,
    IdeaUpdateJsonInput,
    IdeaWithdrawInput,
    ReasonInput,
)


def category_from(value) -> Category | None:
    if value in (None, ""):
        return None
    category = selectors.category_find(value)
    if category is None:
        raise ValidationFailed.for_field("category", gettext("Pick one of the listed categories."))
    return category


def visible_idea(request, idea_id: int, *, with_transitions: bool = False) -> Idea:
    idea = selectors.idea_get(idea_id=idea_id, user=request.user, with_transitions=with_transitions)
    if idea is None:
        raise NotFound(gettext("No such idea."))
    return idea


def _detail(request, idea: Idea) -> dict:
    idea = selectors.idea_get(idea_id=idea.pk, user=request.user, with_transitions=True)
    return IdeaDetailOutput(idea, context={"request": request}).data


def _by_media(plain, multipart) -> dict:
    """Request bodies per media type: files only in multipart."""
    return {
        "application/json": plain,
        "application/x-www-form-urlencoded": plain,
        "multipart/form-data": multipart,
    }


class _UploadLimitMixin:
    """Installs the video size limit before anything (CSRF included) reads the body."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        install_upload_limit(request)
        return super().initialize_request(request, *args, **kwargs)


class IdeaListApi(PaginatedMixin, _UploadLimitMixin, APIView):
    @extend_schema(
        parameters=[IdeaFilterInput],
        responses={200: IdeaListOutput(many=True)},
        description=gettext_lazy(
            "Published ideas. `ordering`: hot (votes decaying with age), top (most "
            "votes), new, closing (deadline soonest); with `q` and no ordering, best match first."
        ),
    )
    def get(self, request):
        filters = IdeaFilterInput(data=request.query_params)
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
        count = None
        if not any(data.get(f) for f in ("status", "category", "tag", "q")):
            # Every public idea: the count a publish or a hide changes (and retires at once).
            count = lambda: listcache.cached_value("public", qs.count, exact=True)  # noqa: E731
        return self.paginated(qs, lambda page: IdeaListOutput(page, many=True).data, count=count)

    @extend_schema(
        request=_by_media(IdeaCreateJsonInput, IdeaCreateInput),
        responses={201: IdeaDetailOutput},
        description=gettext_lazy(
            "A new idea of the signed-in member's: a draft, or published at once with "
            "`publish: true`. Sent as JSON or a form; a video file (`video_file`) needs "
            "`multipart/form-data`."
        ),
    )
    def post(self, request):
        check_rejected_uploads(request)
        data = IdeaCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        publish = values.pop("publish", False)
        values["category"] = category_from(values.get("category"))
        idea = services.idea_create(creator=request.user, **values)
        if publish:
            services.idea_publish(idea=idea, actor=request.user)
        return Response(_detail(request, idea), status=status.HTTP_201_CREATED)


class IdeaDetailApi(_UploadLimitMixin, APIView):
    @extend_schema(
        responses={200: IdeaDetailOutput},
        description=gettext_lazy("An idea and the history of its status, if you may see it."),
    )
    def get(self, request, idea_id: int):
        idea = visible_idea(request, idea_id, with_transitions=True)
        return Response(IdeaDetailOutput(idea, context={"request": request}).data)

    @extend_schema(
        request=_by_media(IdeaUpdateJsonInput, IdeaUpdateInput),
        responses={200: IdeaDetailOutput},
        description=gettext_lazy(
            "Change the fields sent of an idea: its text, category, tags or video. Sent as JSON "
            "or a form; a video file (`video_file`) needs `multipart/form-data`."
        ),
    )
    def patch(self, request, idea_id: int):
        idea = visible_idea(request, idea_id)
        check_rejected_uploads(request)
        data = IdeaUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "category" in values:
            values["category"] = category_from(values["category"])
        idea = services.idea_update(idea=idea, actor=request.user, **values)
        return Response(_detail(request, idea))


class IdeaPublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: IdeaDetailOutput},
        description=gettext_lazy(
            "The idea's creator publishes their draft: it opens for voting for "
            "`VOTING_WINDOW_DAYS` days, and the members who follow the creator are told. 403 for "
            "anyone else; 409 `hidden` if the moderators hid it, `invalid_state` if it is no "
            "longer a draft."
        ),
    )
    def post(self, request, idea_id: int):
        idea = visible_idea(request, idea_id)
        services.idea_publish(idea=idea, actor=request.user)
        return Response(_detail(request, idea))


class IdeaWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=IdeaWithdrawInput,
        responses={200: IdeaDetailOutput},
        description=gettext_lazy(
            "The idea's creator withdraws it while it is a draft or in voting, with an optional "
            "`reason`; the members who voted for it are told. 403 for anyone else; 409 "
            "`invalid_state` once it is past voting."
        ),
    )
    def post(self, request, idea_id: int):
        idea = visible_idea(request, idea_id)
        data = IdeaWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.idea_withdraw(
            idea=idea, actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return Response(_detail(request, idea))


class IdeaFlagApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReasonInput,
        responses={201: FlagOutput},
        description=gettext_lazy(
            "Report someone else's idea to the reviewers, with a `reason`. 400 on `reason` for "
            "your own idea; 409 `already_hidden` if the moderators hid it already, `conflict` "
            "while your earlier flag on it is open."
        ),
    )
    def post(self, request, idea_id: int):
        idea = visible_idea(request, idea_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_create(reporter=request.user, idea=idea, **data.validated_data)
        return Response(FlagOutput(flag).data, status=status.HTTP_201_CREATED)


class IdeaHideApi(APIView):
    permission_classes = [IsReviewer]
    unhide = False

    @extend_schema(
        request=ReasonInput,
        responses={200: IdeaDetailOutput},
        description=gettext_lazy(
            "Reviewers hide an idea, with a `reason` (kept in the moderation log): only its "
            "creator and reviewers still see its content, the others see that it was hidden and "
            "why. Its open flags are closed and its creator is told. 409 `already_hidden`."
        ),
    )
    def post(self, request, idea_id: int):
        idea = selectors.moderation_target(kind="idea", target_id=idea_id)
        if idea is None:
            raise NotFound(gettext("No such idea."))
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.idea_unhide if self.unhide else services.idea_hide
        action(idea=idea, actor=request.user, **data.validated_data)
        return Response(_detail(request, idea))


class IdeaUnhideApi(IdeaHideApi):
    unhide = True

    @extend_schema(
        request=ReasonInput,
        responses={200: IdeaDetailOutput},
        description=gettext_lazy(
            "Reviewers show a hidden idea again, with a `reason` (kept in the moderation log). "
            "409 `not_hidden` if it is not hidden."
        ),
    )
    def post(self, request, idea_id: int):
        return super().post(request, idea_id)
