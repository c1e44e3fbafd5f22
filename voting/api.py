import json
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer, IsVerifiedMember
from accounts.tokens import token_key_of
from core.errors import NotFound
from core.net import client_ip
from core.pagination import PaginatedMixin
from core.throttles import THROTTLES, limit_wait_once, token_ident

from .rules import may_vote
from .selectors import has_voted, idea_for_record, idea_for_vote, vote_events
from .services import VoteResult, network_of, vote_cast_by_id, vote_cast_by_token, vote_withdraw

if TYPE_CHECKING:  # annotations only: ideas' data is read through ideas.selectors
    from ideas.models import Idea


class VoteOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    voted = serializers.BooleanField()
    vote_count = serializers.IntegerField()
    vote_threshold = serializers.IntegerField()
    status = serializers.CharField()


class VoteStateOutput(VoteOutput):
    """What GET adds: may the caller vote now, and if not, why (``voting.rules.may_vote``)."""

    can_vote = serializers.BooleanField()
    why_not = serializers.CharField(allow_blank=True)


def _out(result: VoteResult) -> dict:
    """VoteOutput's fields, built directly: this is the hottest response of the site."""
    return {
        "idea": result.idea_id,
        "voted": result.voted,
        "vote_count": result.vote_count,
        "vote_threshold": result.vote_threshold,
        "status": str(result.status),
    }


def _idea(idea_id: int) -> "Idea":
    return _found(idea_for_vote(idea_id=idea_id))


def _found(found):
    """``found``, or the API's 404 for an idea that does not exist (or is hidden)."""
    if found is None:
        raise NotFound(gettext("No such idea."))
    return found


def _client(request) -> dict:
    return {
        "network": network_of(client_ip(request)),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def _wants_json(request) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return not accept or "application/json" in accept or "*/*" in accept


class IdeaVoteApi(APIView):
    """Vote for an idea (POST) or withdraw the vote (DELETE); GET tells whether you voted.

    A vote by API token is the site's hottest request and takes a short way (``dispatch``):
    the rate limit (the token and the address, ``core.throttles.token_ident``), then the vote's
    one statement, which checks the token itself (``vote_cast_by_token``), then the JSON
    answer. Whatever that way does not take (a limit reached, a token or member the statement
    does not accept, a vote the rules refuse, the threshold) goes through DRF as any other
    request: authenticated, permitted, its limit answered from the count already made.
    """

    permission_classes = [IsAuthenticated, IsVerifiedMember]
    throttle_classes = THROTTLES
    throttle_scope = "vote"

    def dispatch(self, request, *args, **kwargs):
        token = token_key_of(request) if request.method == "POST" else None
        if token is not None and _wants_json(request):
            response = self._vote_by_token(request, token, kwargs["idea_id"])
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def _vote_by_token(self, request, token: str, idea_id: int) -> HttpResponse | None:
        idents = [("user", token_ident(token)), ("ip", client_ip(request))]
        if limit_wait_once(request, self.throttle_scope, idents) is not None:
            return None
        result = vote_cast_by_token(idea_id=idea_id, token=token, **_client(request))
        if result is None:
            return None
        response = HttpResponse(
            json.dumps(_out(result), separators=(",", ":")),
            status=201 if result.changed else 200,
            content_type="application/json",
        )
        response["Allow"] = ", ".join(self.allowed_methods)  # as DRF's answer has it
        patch_vary_headers(response, ["Accept"])
        return response

    def get_permissions(self):
        if self.request.method == "GET":
            return []
        return super().get_permissions()

    @extend_schema(responses=VoteStateOutput)
    def get(self, request, idea_id: int):
        idea = _idea(idea_id)
        voted = has_voted(idea_id=idea.pk, member=request.user)
        count, threshold = idea.vote_count, idea.vote_threshold
        result = VoteResult(idea.pk, voted, False, count, threshold, idea.status)
        refusal = may_vote(idea=idea, member=request.user, now=timezone.now())
        why_not = refusal.message if refusal else ""
        return Response({**_out(result), "can_vote": refusal is None, "why_not": why_not})

    @extend_schema(request=None, responses={201: VoteOutput, 200: VoteOutput})
    def post(self, request, idea_id: int):
        result = _found(vote_cast_by_id(idea_id=idea_id, member=request.user, **_client(request)))
        return Response(_out(result), status=201 if result.changed else 200)

    @extend_schema(responses={200: VoteOutput})
    def delete(self, request, idea_id: int):
        result = vote_withdraw(idea=_idea(idea_id), member=request.user, **_client(request))
        return Response(_out(result))


class VoteEventOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.public_name")
    member_joined = serializers.DateTimeField(source="member.date_joined")
    action = serializers.CharField()
    network = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class IdeaVoteRecordApi(PaginatedMixin, APIView):
    """Who voted (and withdrew) when, from which network: for reviewers spotting vote rings."""

    permission_classes = [IsReviewer]

    @extend_schema(responses=VoteEventOutput(many=True))
    def get(self, request, idea_id: int):
        idea = idea_for_record(idea_id=idea_id)
        if idea is None:
            raise NotFound(gettext("No such idea."))
        return self.paginated(
            vote_events(idea=idea), lambda page: VoteEventOutput(page, many=True).data
        )
