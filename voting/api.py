from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer, IsVerifiedMember
from accounts.tokens import ApiTokenAuthentication, key_hash, token_key_of
from core.device import device_id
from core.errors import NotFound
from core.net import client_ip
from core.pagination import PaginatedMixin
from core.throttles import THROTTLES

from .clusters import device_of
from .rules import may_vote
from .selectors import (
    VOTE_STATES,
    BallotTarget,
    ballot_target,
    held_ideas,
    idea_for_record,
    member_votes,
    my_vote,
    vote_events,
    vote_state,
)
from .services import (
    VoteResult,
    network_of,
    vote_cast_by_id,
    vote_cast_by_token,
    vote_cluster_void,
    vote_hold_release,
    vote_withdraw,
)


class VoteOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    voted = serializers.BooleanField()
    vote_count = serializers.IntegerField()
    vote_threshold = serializers.IntegerField()
    status = serializers.CharField()
    counts = serializers.BooleanField(
        help_text=gettext_lazy("Does your vote count toward the threshold now?")
    )
    counts_from = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("Recorded but not counted yet: when it will count.")
    )


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
        "counts": result.voted and result.counts,
        "counts_from": result.counts_from.isoformat() if result.counts_from else None,
    }


def _target(idea_id: int) -> BallotTarget:
    """The idea, or the API's 404 for an idea that does not exist or is hidden."""
    target = ballot_target(idea_id=idea_id)
    if target is None or target.hidden_at is not None:
        raise NotFound(gettext("No such idea."))
    return target


def _client(request) -> dict:
    return {
        "network": network_of(client_ip(request)),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        "device": device_of(device_id(request)),
    }


class JsonOnly(BaseContentNegotiation):
    """The vote answers JSON whatever the client accepts (DRF's "ignore the client"
    negotiation): its hottest response skips the Accept header's parsing and the browsable
    API."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(
    description=gettext_lazy(
        "Vote for an idea (POST) or withdraw the vote (DELETE); GET tells whether you voted."
    )
)
class IdeaVoteApi(APIView):
    """Every request goes through DRF: authenticated (an API token in one query, or the session),
    permitted, rate-limited per member and per address (``core.throttles``). An ordinary vote
    is then one statement (``voting.services.vote_cast_by_id``); the answer is always JSON.

    A vote (POST) by API token is authenticated lazily: the throttles count the token's hash
    (``core.throttles.token_ident``, as for every token request) and the address, and the one
    statement finds the token's member itself (``vote_cast_by_token``: unexpired, active,
    verified), so the vote is one round trip to the database. Only when the statement declines
    is the token authenticated and the permissions checked as usual (401, 403), and the rules
    explain the refusal.
    """

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    permission_classes = [IsAuthenticated, IsVerifiedMember]
    throttle_classes = THROTTLES
    throttle_scope = "vote"

    def get_permissions(self):
        if self.request.method == "GET":
            return []
        return super().get_permissions()

    def perform_authentication(self, request):
        if request.method == "POST" and (key := token_key_of(request)) is not None:
            request.lazy_token = key  # authenticated by the vote statement (see above)
            return
        super().perform_authentication(request)

    def check_permissions(self, request):
        if getattr(request, "lazy_token", None) is None:
            super().check_permissions(request)

    @extend_schema(responses=VoteStateOutput)
    def get(self, request, idea_id: int):
        target = _target(idea_id)
        mine = my_vote(idea_id=target.idea_id, member=request.user)
        counts, counts_from = (mine.counted, mine.counts_from) if mine else (False, None)
        result = VoteResult(
            target.idea_id, mine is not None, False, target.vote_count, target.threshold,
            target.status, counts, counts_from,
        )  # fmt: skip
        refusal = may_vote(idea=target, member=request.user, now=timezone.now())
        why_not = refusal.message if refusal else ""
        return Response({**_out(result), "can_vote": refusal is None, "why_not": why_not})

    @extend_schema(request=None, responses={201: VoteOutput, 200: VoteOutput})
    def post(self, request, idea_id: int):
        client, tried = _client(request), False
        if (key := getattr(request, "lazy_token", None)) is not None:
            result = vote_cast_by_token(idea_id=idea_id, token_hash=key_hash(key), **client)
            if result is not None:
                return Response(_out(result), status=201 if result.changed else 200)
            request.lazy_token, tried = None, True
            super().check_permissions(request)  # authenticates the token: 401, 403
        result = vote_cast_by_id(idea_id=idea_id, member=request.user, tried=tried, **client)
        if result is None:
            raise NotFound(gettext("No such idea."))
        return Response(_out(result), status=201 if result.changed else 200)

    @extend_schema(responses={200: VoteOutput})
    def delete(self, request, idea_id: int):
        client = _client(request)
        del client["device"]
        result = vote_withdraw(idea=_target(idea_id), member=request.user, **client)
        return Response(_out(result))


class VoteEventOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.public_name")
    member_joined = serializers.DateTimeField(source="member.date_joined")
    action = serializers.CharField()
    network = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


@extend_schema(
    description=gettext_lazy(
        "Who voted (and withdrew) when, from which network: for reviewers spotting vote rings."
    )
)
class IdeaVoteRecordApi(PaginatedMixin, APIView):
    permission_classes = [IsReviewer]

    @extend_schema(responses=VoteEventOutput(many=True))
    def get(self, request, idea_id: int):
        idea = idea_for_record(idea_id=idea_id)
        if idea is None:
            raise NotFound(gettext("No such idea."))
        return self.paginated(
            vote_events(idea=idea), lambda page: VoteEventOutput(page, many=True).data
        )


class MyVoteOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    idea_title = serializers.CharField(source="idea.title")
    idea_status = serializers.CharField(source="idea.status")
    voted_at = serializers.DateTimeField(source="created_at")
    state = serializers.ChoiceField(
        choices=VOTE_STATES,
        source="*",
        help_text=gettext_lazy("`counts`, `pending`, `voided` or `not_counted`"),
    )
    counts_from = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField(source="voided.reason", allow_null=True, default=None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["state"] = vote_state(instance)
        return data


@extend_schema(
    description=gettext_lazy(
        "Did my vote count? The caller's votes, newest first, and whether each counts."
    )
)
class MyVotesApi(PaginatedMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MyVoteOutput(many=True))
    def get(self, request):
        return self.paginated(
            member_votes(member=request.user), lambda page: MyVoteOutput(page, many=True).data
        )


class ClusterVoteOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    member_name = serializers.CharField(source="member.public_name")
    member_joined = serializers.DateTimeField(source="member.date_joined")
    voted_at = serializers.DateTimeField(source="created_at")
    counted = serializers.BooleanField()


class ClusterOutput(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    counted = serializers.IntegerField()
    votes = ClusterVoteOutput(many=True)


class HeldIdeaOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea.pk")
    title = serializers.CharField(source="idea.title")
    vote_count = serializers.IntegerField(source="idea.vote_count")
    vote_threshold = serializers.IntegerField(source="idea.vote_threshold")
    held_since = serializers.DateTimeField(source="hold.opened_at")
    clusters = ClusterOutput(many=True)


@extend_schema(
    description=gettext_lazy(
        "Reviewers: ideas whose threshold crossing rests on flagged votes, with the clusters."
    )
)
class HeldIdeasApi(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(responses=HeldIdeaOutput(many=True))
    def get(self, request):
        return Response(HeldIdeaOutput(held_ideas(), many=True).data)


class VoidInput(serializers.Serializer):
    cluster = serializers.CharField(max_length=80)
    reason = serializers.CharField(max_length=500)


class VoidOutput(serializers.Serializer):
    cluster = serializers.CharField()
    votes = serializers.IntegerField()
    counted = serializers.IntegerField()
    reason = serializers.CharField()


@extend_schema(
    description=gettext_lazy(
        "Reviewers: void one cluster's votes on an idea in voting, with a reason (audited)."
    )
)
class VoteClusterVoidApi(APIView):
    permission_classes = [IsReviewer]
    throttle_classes = THROTTLES
    throttle_scope = "vote"

    @extend_schema(request=VoidInput, responses={201: VoidOutput})
    def post(self, request, idea_id: int):
        serializer = VoidInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        void = vote_cluster_void(
            idea_id=_target(idea_id).idea_id, cluster=data["cluster"], reviewer=request.user,
            reason=data["reason"],
        )  # fmt: skip
        return Response(VoidOutput(void).data, status=201)


@extend_schema(
    description=gettext_lazy(
        "Reviewers: the flagged votes are sound; the held idea goes to review."
    )
)
class VoteHoldReleaseApi(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=None, responses={200: VoteOutput})
    def post(self, request, idea_id: int):
        vote_hold_release(idea_id=_target(idea_id).idea_id, reviewer=request.user)
        target = _target(idea_id)
        result = VoteResult(
            target.idea_id, False, True, target.vote_count, target.threshold, target.status
        )
        return Response(_out(result))
