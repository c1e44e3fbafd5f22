from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer, IsVerifiedMember
from core.throttles import THROTTLES
from ideas.models import Idea

from .models import Vote
from .selectors import vote_events
from .services import VoteResult, network_of, vote_cast, vote_withdraw


class VoteOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    voted = serializers.BooleanField()
    vote_count = serializers.IntegerField()
    vote_threshold = serializers.IntegerField()
    status = serializers.CharField()


def _idea(idea_id: int) -> Idea:
    return get_object_or_404(
        Idea.objects.select_related("category"), pk=idea_id, hidden_at__isnull=True
    )


def _client(request) -> dict:
    return {
        "network": network_of(request.META.get("REMOTE_ADDR")),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


class IdeaVoteApi(APIView):
    """Vote for an idea (POST) or withdraw the vote (DELETE); GET tells whether you voted."""

    permission_classes = [IsAuthenticated, IsVerifiedMember]
    throttle_classes = THROTTLES
    throttle_scope = "vote"

    def get_permissions(self):
        if self.request.method == "GET":
            return []
        return super().get_permissions()

    def get(self, request, idea_id: int):
        idea = _idea(idea_id)
        voted = bool(
            request.user.is_authenticated
            and Vote.objects.filter(idea=idea, member=request.user).exists()
        )
        count, threshold = idea.vote_count, idea.vote_threshold
        result = VoteResult(idea.pk, voted, False, count, threshold, idea.status)
        return Response(VoteOutput(result).data)

    def post(self, request, idea_id: int):
        result = vote_cast(idea=_idea(idea_id), member=request.user, **_client(request))
        return Response(VoteOutput(result).data, status=201 if result.changed else 200)

    def delete(self, request, idea_id: int):
        result = vote_withdraw(idea=_idea(idea_id), member=request.user, **_client(request))
        return Response(VoteOutput(result).data)


class VoteEventOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.public_name")
    member_joined = serializers.DateTimeField(source="member.date_joined")
    action = serializers.CharField()
    network = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class IdeaVoteRecordApi(APIView):
    """Who voted (and withdrew) when, from which network: for reviewers spotting vote rings."""

    permission_classes = [IsReviewer]

    def get(self, request, idea_id: int):
        idea = get_object_or_404(Idea, pk=idea_id)
        from core.pagination import PageNumberPagination

        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(vote_events(idea=idea), request, view=self)
        return paginator.get_paginated_response(VoteEventOutput(page, many=True).data)
