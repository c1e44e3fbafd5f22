"""The community API: following ideas and members, creator updates, profiles, and a member's
notification choices (the pages' counterparts, same services and rules)."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotFound
from core.pagination import PaginatedMixin
from core.throttles import THROTTLES
from ideas.selectors import idea_get
from notifications.kinds import GROUPS
from notifications.services import notification_settings_of, notification_settings_save

from . import selectors, services
from .services import UPDATE_MAX_LENGTH


def _idea(request, idea_id: int):
    idea = idea_get(idea_id=idea_id, user=request.user)
    if idea is None or not idea.is_public:
        raise NotFound(gettext("No such idea."))
    return idea


def _member(username: str):
    member = selectors.member_by_username(username)
    if member is None:
        raise NotFound(gettext("No such member."))
    return member


class FollowOutput(serializers.Serializer):
    following = serializers.BooleanField()
    followers = serializers.IntegerField()


@extend_schema(
    description=gettext_lazy(
        "Follow an idea (POST) or stop (DELETE); GET tells whether you do and how many do. "
        "Following and unfollowing are limited per member and address (`follow`)."
    )
)
class IdeaFollowApi(APIView):
    throttle_classes = THROTTLES
    throttle_scope = "follow"

    def get_permissions(self):
        return [] if self.request.method == "GET" else [IsAuthenticated()]

    def _state(self, request, idea, code=status.HTTP_200_OK) -> Response:
        return Response(
            {
                "following": selectors.follows_idea(idea=idea, member=request.user),
                "followers": selectors.idea_follower_count(idea=idea),
            },
            status=code,
        )

    @extend_schema(responses=FollowOutput)
    def get(self, request, idea_id: int):
        return self._state(request, _idea(request, idea_id))

    @extend_schema(request=None, responses={201: FollowOutput, 200: FollowOutput})
    def post(self, request, idea_id: int):
        idea = _idea(request, idea_id)
        new = services.idea_follow(idea=idea, member=request.user)
        return self._state(request, idea, status.HTTP_201_CREATED if new else status.HTTP_200_OK)

    @extend_schema(responses={200: FollowOutput})
    def delete(self, request, idea_id: int):
        idea = _idea(request, idea_id)
        services.idea_unfollow(idea=idea, member=request.user)
        return self._state(request, idea)


class IdeaUpdateInput(serializers.Serializer):
    body = serializers.CharField(max_length=UPDATE_MAX_LENGTH, trim_whitespace=False)


class IdeaUpdateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()


@extend_schema(
    description=gettext_lazy(
        "The creator's updates on an idea, newest first (GET, anyone); POST one (the creator): "
        "its backers and followers are told. Posting is limited per member and address "
        "(`update`): each update e-mails everyone who backs or follows the idea."
    )
)
class IdeaUpdatesApi(PaginatedMixin, APIView):
    throttle_classes = THROTTLES
    throttle_scope = "update"

    def get_permissions(self):
        return [] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=IdeaUpdateOutput(many=True))
    def get(self, request, idea_id: int):
        idea = _idea(request, idea_id)
        return self.paginated(
            selectors.idea_updates(idea=idea), lambda page: IdeaUpdateOutput(page, many=True).data
        )

    @extend_schema(request=IdeaUpdateInput, responses={201: IdeaUpdateOutput})
    def post(self, request, idea_id: int):
        idea = _idea(request, idea_id)
        data = IdeaUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.idea_update_post(
            idea=idea, author=request.user, body=data.validated_data["body"]
        )
        return Response(IdeaUpdateOutput(update).data, status=status.HTTP_201_CREATED)


class ProfileIdeaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    vote_count = serializers.IntegerField()


class ProfileContributionOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    idea_title = serializers.CharField(source="idea.title")
    kind = serializers.CharField()
    points = serializers.IntegerField()


class ProfileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="public_name")
    date_joined = serializers.DateTimeField()
    followers = serializers.IntegerField()
    following = serializers.BooleanField()
    ideas = ProfileIdeaOutput(many=True)
    contributions = ProfileContributionOutput(many=True)
    earned = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=gettext_lazy(
            "`currency` → minor units earned in all; `null` unless the member shows it"
        ),
    )


PROFILE_IDEAS = 50


@extend_schema(
    description=gettext_lazy(
        "A member's public profile: their public ideas and approved contributions (the latest "
        "50 of each), and their lifetime earnings only if they chose to show them."
    )
)
class MemberProfileApi(APIView):
    permission_classes: list = []

    @extend_schema(responses=ProfileOutput)
    def get(self, request, username: str):
        member = _member(username)
        profile = {
            "id": member.pk,
            "username": member.username,
            "public_name": member.public_name,
            "date_joined": member.date_joined,
            "ideas": list(selectors.member_ideas(member=member)[:PROFILE_IDEAS]),
            **selectors.member_profile(member=member, viewer=request.user),
        }
        return Response(ProfileOutput(profile).data)


@extend_schema(
    description=gettext_lazy(
        "Follow a member (POST: you hear when they publish an idea) or stop (DELETE)."
    )
)
class MemberFollowApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES
    throttle_scope = "follow"

    def _state(self, request, member, code=status.HTTP_200_OK) -> Response:
        return Response(
            {
                "following": selectors.follows_member(followed=member, follower=request.user),
                "followers": selectors.member_followers(member=member).count(),
            },
            status=code,
        )

    @extend_schema(request=None, responses={201: FollowOutput, 200: FollowOutput})
    def post(self, request, username: str):
        member = _member(username)
        new = services.member_follow(followed=member, follower=request.user)
        return self._state(request, member, status.HTTP_201_CREATED if new else status.HTTP_200_OK)

    @extend_schema(responses={200: FollowOutput})
    def delete(self, request, username: str):
        member = _member(username)
        services.member_unfollow(followed=member, follower=request.user)
        return self._state(request, member)


class NotificationSettingsIO(serializers.Serializer):
    """Each group of notifications (``notifications.kinds``) and its channel."""

    def get_fields(self):
        return {
            group.name: serializers.ChoiceField(
                choices=[c.value for c in group.channels],
                required=False,
                help_text=str(group.help),
            )
            for group in GROUPS
        }


@extend_schema(
    description=gettext_lazy(
        "Your notification choices: GET all of them, PATCH the groups you change."
    )
)
class NotificationSettingsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NotificationSettingsIO)
    def get(self, request):
        return Response(notification_settings_of(member=request.user))

    @extend_schema(request=NotificationSettingsIO, responses=NotificationSettingsIO)
    def patch(self, request):
        data = NotificationSettingsIO(data=request.data)
        data.is_valid(raise_exception=True)
        notification_settings_save(member=request.user, channels=data.validated_data)
        return Response(notification_settings_of(member=request.user))
