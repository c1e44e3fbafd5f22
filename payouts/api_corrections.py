"""The payouts API for putting things right: correcting or deleting a period, discarding a
preview, and reversing a posted settlement (requested, then approved by another member)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.serializers import InputSerializer

from . import selectors, services
from .api import FinanceApi, PeriodOutput, SettlementOutput, _found, refuse_typed_totals


class PeriodCorrectInput(InputSerializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PeriodDetailApi(FinanceApi):
    @extend_schema(
        responses=PeriodOutput,
        description=gettext_lazy("A period, its totals and its live settlement's id (finance)."),
    )
    def get(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        return Response(PeriodOutput(period).data)

    @extend_schema(
        request=PeriodCorrectInput,
        responses=PeriodOutput,
        description=gettext_lazy(
            "Finance corrects a period's `start`, `end` or `notes`, with the same checks as "
            "recording it; its totals are computed again. 409 `period_in_settlement` while its "
            "settlement is live (discard it first), `period_settled` once it is posted (reverse "
            "it first)."
        ),
    )
    def patch(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        refuse_typed_totals(request.data)
        data = PeriodCorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_correct(period=period, actor=request.user, **data.validated_data)
        return Response(PeriodOutput(period).data)

    @extend_schema(
        request=None,
        responses={204: None},
        description=gettext_lazy(
            "Finance deletes a period that was never posted, with its discarded previews. 409 "
            "`period_in_settlement` or `period_settled` as for a correction, "
            "`period_has_history` if a reversed settlement of it is on the ledger."
        ),
    )
    def delete(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        services.period_delete(period=period, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SettlementReasonInput(InputSerializer):
    reason = serializers.CharField(max_length=500)


class SettlementDiscardApi(FinanceApi):
    @extend_schema(
        request=SettlementReasonInput,
        responses=SettlementOutput,
        description=gettext_lazy(
            "Finance discards a preview nobody approved, or a failed run, with a `reason`: its "
            "staged ledger entries go, its lines stay as the record, and the period may be "
            "settled again. 409 for an approved preview, `not_discardable` for any other status."
        ),
    )
    def post(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        data = SettlementReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.settlement_discard(
            settlement=settlement, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(SettlementOutput(settlement, context={"with_lines": False}).data)


class SettlementReverseApi(FinanceApi):
    @extend_schema(
        request=SettlementReasonInput,
        responses={202: SettlementOutput},
        description=gettext_lazy(
            "Finance asks to reverse a posted settlement, with a `reason` (202): nothing moves "
            "until another finance member approves (`reverse/approve/`). 409 `not_posted`, "
            "`reversal_requested` if one is asked already, `later_settlement` while a later "
            "settlement of the product is live."
        ),
    )
    def post(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        data = SettlementReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.settlement_reversal_request(
            settlement=settlement, actor=request.user, reason=data.validated_data["reason"]
        )
        output = SettlementOutput(settlement, context={"with_lines": False})
        return Response(output.data, status=status.HTTP_202_ACCEPTED)


class SettlementReverseApproveApi(FinanceApi):
    @extend_schema(
        request=None,
        responses=SettlementOutput,
        description=gettext_lazy(
            "A finance member other than the one who asked (403 `four_eyes`) approves the "
            "reversal: one compensating ledger transaction nets the settlement to zero, it "
            "becomes `reversed`, and its period may be corrected and settled again. A share "
            "already paid out leaves a negative balance, netted against the member's next "
            "earnings. 409 if no reversal is waiting, `later_settlement` as for the request."
        ),
    )
    def post(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        settlement = services.settlement_reversal_approve(settlement=settlement, actor=request.user)
        return Response(SettlementOutput(settlement, context={"with_lines": False}).data)
