from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsFinance, IsReviewer, IsVerifiedMember
from core.errors import NotFound, ValidationFailed
from core.fields import MinorUnitsField, StrictIntegerField
from core.pagination import PaginatedMixin
from core.schema import documented
from core.serializers import InputSerializer
from core.throttles import THROTTLES

from .models import PaymentStatus, ReviewOutcome
from .rules import MAX_PLEDGE
from .selectors import (
    funding_progress,
    idea_for_funding,
    payment_get,
    payments,
    pledge_of,
    round_of,
)
from .services import (
    funding_round_close,
    payment_confirm,
    pledge_cancel,
    pledge_change,
    pledge_create,
    review_decide,
)

if TYPE_CHECKING:  # annotations only: ideas' data is read through ideas.selectors
    from ideas.models import Idea


def _idea(idea_id: int) -> "Idea":
    idea = idea_for_funding(idea_id=idea_id)
    if idea is None:
        raise NotFound(gettext("No such idea."))
    return idea


class FundingOutput(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    status = serializers.CharField()
    currency = serializers.CharField()
    funding_goal = serializers.IntegerField(source="goal")
    amount_raised = serializers.IntegerField(source="raised")
    backers = serializers.IntegerField()
    funding_deadline = serializers.DateTimeField(source="deadline", allow_null=True)
    seconds_left = serializers.IntegerField()
    percent = serializers.IntegerField()


@extend_schema(
    description=gettext_lazy(
        "The funding round's progress: goal, amount pledged, backers, time left (anyone)."
    )
)
class IdeaFundingApi(APIView):
    permission_classes: list = []

    @extend_schema(responses=FundingOutput)
    def get(self, request, idea_id: int):
        return Response(FundingOutput(funding_progress(idea=_idea(idea_id))).data)


# --- Review ---------------------------------------------------------------------------------


# Field messages are whole sentences saying what to do (the ValidationFailed convention).
class ReviewInput(InputSerializer):
    decision = serializers.ChoiceField(
        choices=ReviewOutcome.values,
        error_messages=dict(
            required=gettext_lazy("Choose 'approve' or 'reject' as the decision."),
            invalid_choice=gettext_lazy("Choose 'approve' or 'reject' as the decision."),
        ),
    )
    reason = serializers.CharField(
        max_length=2000,
        error_messages=dict(
            required=gettext_lazy("Enter the reason for your decision."),
            blank=gettext_lazy("Enter the reason for your decision."),
            max_length=gettext_lazy("Shorten the reason to 2000 characters or fewer."),
        ),
    )
    funding_goal = MinorUnitsField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Minor units (250000 for 2,500.00 EUR); at least one major unit."),
        error_messages=dict(
            invalid=gettext_lazy(
                "Enter the funding goal as a whole number of minor units (250000 for 2,500.00 EUR)."
            )
        ),
    )
    currency = serializers.CharField(required=False, allow_blank=True, max_length=3)
    funding_deadline = serializers.DateTimeField(
        required=False,
        allow_null=True,
        error_messages=dict(
            invalid=gettext_lazy("Enter the funding deadline as an ISO 8601 date and time.")
        ),
    )
    platform_fee_bp = StrictIntegerField(
        required=False,
        allow_null=True,
        error_messages=dict(
            invalid=gettext_lazy("Enter the platform fee as a whole number of basis points.")
        ),
    )
    points_per_unit = StrictIntegerField(
        required=False,
        allow_null=True,
        error_messages=dict(invalid=gettext_lazy("Enter points per unit as a whole number.")),
    )


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    status = serializers.CharField(source="idea.status")
    reviewer = serializers.IntegerField(source="reviewer_id")
    decision = serializers.CharField()
    reason = serializers.CharField()
    # An approval's terms are the round it opened (none for a rejection).
    funding_goal = serializers.IntegerField(source="funding_round.goal", allow_null=True)
    currency = serializers.SerializerMethodField()
    funding_deadline = serializers.DateTimeField(source="funding_round.deadline", allow_null=True)
    platform_fee_bp = serializers.IntegerField(
        source="funding_round.platform_fee_bp", allow_null=True
    )
    points_per_unit = serializers.IntegerField(
        source="funding_round.points_per_unit", allow_null=True
    )
    created_at = serializers.DateTimeField()

    def get_currency(self, decision) -> str:
        terms = round_of(idea_id=decision.idea_id)
        return terms.currency if terms else ""


@extend_schema(
    description=gettext_lazy(
        "A reviewer approves an idea for funding (with its terms) or rejects it, with a reason."
    )
)
class IdeaReviewApi(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=ReviewInput, responses={201: ReviewOutput})
    def post(self, request, idea_id: int):
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = review_decide(idea=_idea(idea_id), reviewer=request.user, **data.validated_data)
        return Response(ReviewOutput(decision).data, status=201)


# --- Pledges --------------------------------------------------------------------------------


class PledgeInput(InputSerializer):
    # Strict: a JSON integer (or ASCII digits) in minor units; 1000.0, " 1000 ", full-width
    # digits and amounts beyond core.money.MAX_AMOUNT are 400s naming ``amount``. The service
    # checks the least pledge (one major unit) and the most (MAX_PLEDGE) with whole sentences.
    amount = documented(
        MinorUnitsField(
            help_text=gettext_lazy("Minor units (1250 for 12.50 EUR); at least one major unit."),
            error_messages=dict(
                required=gettext_lazy(
                    "Enter the amount as a whole number of minor units (1250 for 12.50 EUR)."
                ),
            ),
        ),
        maximum=MAX_PLEDGE,
    )


class PledgeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    idea = serializers.IntegerField(source="idea_id")
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def _with_progress(pledge, idea: "Idea") -> dict:
    idea.refresh_from_db(fields=["status"])
    return {
        **PledgeOutput(pledge).data,
        "funding": FundingOutput(funding_progress(idea=idea)).data,
    }


@extend_schema(
    description=gettext_lazy(
        "Your pledge on an idea: GET it, POST a new one, PATCH its amount, DELETE to cancel."
    )
)
class IdeaPledgeApi(APIView):
    permission_classes = [IsAuthenticated, IsVerifiedMember]
    throttle_classes = THROTTLES
    throttle_scope = "pledge"

    @extend_schema(responses=PledgeOutput)
    def get(self, request, idea_id: int):
        idea = _idea(idea_id)
        pledge = pledge_of(idea_id=idea.pk, member=request.user)
        if pledge is None:
            raise NotFound(gettext("You have not pledged to this idea."))
        return Response(_with_progress(pledge, idea))

    @extend_schema(request=PledgeInput, responses={201: PledgeOutput})
    def post(self, request, idea_id: int):
        data = PledgeInput(data=request.data)
        data.is_valid(raise_exception=True)
        idea = _idea(idea_id)
        pledge = pledge_create(idea=idea, member=request.user, amount=data.validated_data["amount"])
        return Response(_with_progress(pledge, idea), status=201)

    @extend_schema(request=PledgeInput, responses=PledgeOutput)
    def patch(self, request, idea_id: int):
        data = PledgeInput(data=request.data)
        data.is_valid(raise_exception=True)
        idea = _idea(idea_id)
        pledge = pledge_change(idea=idea, member=request.user, amount=data.validated_data["amount"])
        return Response(_with_progress(pledge, idea))

    @extend_schema(request=None, responses={200: PledgeOutput})
    def delete(self, request, idea_id: int):
        idea = _idea(idea_id)
        pledge = pledge_cancel(idea=idea, member=request.user)
        return Response(_with_progress(pledge, idea))


class CloseFundingOutput(serializers.Serializer):
    idea = serializers.IntegerField()
    status = serializers.CharField()
    product = serializers.IntegerField(allow_null=True)


@extend_schema(
    description=gettext_lazy(
        "A reviewer closes the round now: funded (goal met) or, after the deadline, failed."
    )
)
class IdeaCloseFundingApi(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=None, responses=CloseFundingOutput)
    def post(self, request, idea_id: int):
        idea = _idea(idea_id)
        product = funding_round_close(idea=idea, actor=request.user)
        out = {"idea": idea.pk, "status": idea.status, "product": product.pk if product else None}
        return Response(CloseFundingOutput(out).data)


# --- Payments (manual adapter) --------------------------------------------------------------


class PaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    pledge = serializers.IntegerField(source="pledge_id")
    idea = serializers.IntegerField(source="pledge.idea_id")
    member = serializers.IntegerField(source="pledge.member_id")
    member_name = serializers.CharField(source="pledge.member.public_name")
    provider = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    reference = serializers.CharField()
    confirmed_by = serializers.IntegerField(source="confirmed_by_id", allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)


@extend_schema(
    description=gettext_lazy(
        "Payments owed by collected pledges (finance); filter with `?status=pending|received`."
    )
)
class PaymentListApi(PaginatedMixin, APIView):
    permission_classes = [IsFinance]

    @extend_schema(responses=PaymentOutput(many=True))
    def get(self, request):
        status = request.query_params.get("status") or None
        if status and status not in PaymentStatus.values:
            msg = gettext("Choose one of %(join)s.") % {"join": ", ".join(PaymentStatus.values)}
            raise ValidationFailed.for_field("status", msg)
        return self.paginated(
            payments(status=status), lambda page: PaymentOutput(page, many=True).data
        )


class PaymentConfirmInput(InputSerializer):
    reference = serializers.CharField(
        max_length=120,
        error_messages=dict(
            required=gettext_lazy("Enter the payment's reference (bank transfer id, receipt…)."),
            blank=gettext_lazy("Enter the payment's reference (bank transfer id, receipt…)."),
            max_length=gettext_lazy("Shorten the reference to 120 characters or fewer."),
        ),
    )


@extend_schema(
    description=gettext_lazy(
        "Finance confirms that a collected pledge's money arrived (records it, moves nothing)."
    )
)
class PaymentConfirmApi(APIView):
    permission_classes = [IsFinance]

    @extend_schema(request=PaymentConfirmInput, responses=PaymentOutput)
    def post(self, request, payment_id: int):
        data = PaymentConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        payment = payment_get(payment_id=payment_id)
        if payment is None:
            raise NotFound(gettext("No such payment."))
        payment = payment_confirm(
            payment=payment, actor=request.user, reference=data.validated_data["reference"]
        )
        return Response(PaymentOutput(payment).data)
