"""The contributions API for one claim: reading it, and what the idea's creator (endorse) and
the reviewers (approve, reject) do with it (SPEC sections 4 and 7)."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsReviewer
from core.errors import NotFound
from core.fields import StrictIntegerField
from core.serializers import InputSerializer

from . import rules
from .api import ContributionOutput, _say
from .selectors import contribution_get
from .services import (
    MAX_POINTS,
    MAX_REASON,
    POINTS_MESSAGE,
    REASON_MISSING,
    REASON_TOO_LONG,
    contribution_approve,
    contribution_endorse,
    contribution_reject,
)


class ContributionApproveInput(InputSerializer):
    points = StrictIntegerField(
        min_value=1, max_value=MAX_POINTS, error_messages=_say(POINTS_MESSAGE)
    )


class ContributionRejectInput(InputSerializer):
    reason = serializers.CharField(
        max_length=MAX_REASON,
        error_messages={**_say(REASON_MISSING), "max_length": REASON_TOO_LONG},
    )


def _contribution_or_404(request, contribution_id: int, *, check_visible: bool = True):
    contribution = contribution_get(contribution_id=contribution_id)
    if contribution is None or (
        check_visible and rules.may_see(contribution=contribution, viewer=request.user)
    ):
        raise NotFound(gettext("No such contribution."))
    return contribution


class ContributionDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=ContributionOutput,
        description=gettext_lazy(
            "A contribution claim: approved ones for anyone; pending and rejected ones only for "
            "the claimant, the idea's creator and reviewers (404 for everyone else). "
            "`evidence_file` links to the evidence file, shown under the same rule."
        ),
    )
    def get(self, request, contribution_id: int):
        contribution = _contribution_or_404(request, contribution_id)
        return Response(ContributionOutput(contribution, context={"request": request}).data)


class ContributionEndorseApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=ContributionOutput,
        description=gettext_lazy(
            "The idea's creator vouches, once, for someone else's pending claim (`endorsed`); a "
            "reviewer still decides it. 403 for anyone else and for one's own claim; 409 "
            "`already_decided` once it is decided, `already_endorsed` the second time."
        ),
    )
    def post(self, request, contribution_id: int):
        contribution = _contribution_or_404(request, contribution_id, check_visible=False)
        contribution = contribution_endorse(contribution=contribution, actor=request.user)
        return Response(ContributionOutput(contribution, context={"request": request}).data)


class ContributionApproveApi(APIView):
    permission_classes = [IsAuthenticated, IsReviewer]

    @extend_schema(
        request=ContributionApproveInput,
        responses=ContributionOutput,
        description=gettext_lazy(
            "A reviewer approves a pending claim with its final `points`, never their own claim "
            "(403). From then on the points count in the product's contribution table and its "
            "settlements, and the claimant is told. 409 `already_decided` if it was decided "
            "already."
        ),
    )
    def post(self, request, contribution_id: int):
        contribution = _contribution_or_404(request, contribution_id, check_visible=False)
        data = ContributionApproveInput(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = contribution_approve(
            contribution=contribution, reviewer=request.user, points=data.validated_data["points"]
        )
        return Response(ContributionOutput(contribution, context={"request": request}).data)


class ContributionRejectApi(APIView):
    permission_classes = [IsAuthenticated, IsReviewer]

    @extend_schema(
        request=ContributionRejectInput,
        responses=ContributionOutput,
        description=gettext_lazy(
            "A reviewer rejects a pending claim with a `reason`, never their own claim (403); "
            "the claimant is told why. 409 `already_decided` if it was decided already."
        ),
    )
    def post(self, request, contribution_id: int):
        contribution = _contribution_or_404(request, contribution_id, check_visible=False)
        data = ContributionRejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = contribution_reject(
            contribution=contribution, reviewer=request.user, reason=data.validated_data["reason"]
        )
        return Response(ContributionOutput(contribution, context={"request": request}).data)
