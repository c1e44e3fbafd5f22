"""The payouts API for putting things right: correcting or deleting a period, discarding a
preview, and reversing a posted settlement (requested, then approved by another member)."""

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
    @extend_schema(responses=PeriodOutput)
    def get(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        return Response(PeriodOutput(period).data)

    @extend_schema(request=PeriodCorrectInput, responses=PeriodOutput)
    def patch(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        refuse_typed_totals(request.data)
        data = PeriodCorrectInput(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_correct(period=period, actor=request.user, **data.validated_data)
        return Response(PeriodOutput(period).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        services.period_delete(period=period, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SettlementReasonInput(InputSerializer):
    reason = serializers.CharField(max_length=500)


class SettlementDiscardApi(FinanceApi):
    @extend_schema(request=SettlementReasonInput, responses=SettlementOutput)
    def post(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        data = SettlementReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        settlement = services.settlement_discard(
            settlement=settlement, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(SettlementOutput(settlement, context={"with_lines": False}).data)


class SettlementReverseApi(FinanceApi):
    @extend_schema(request=SettlementReasonInput, responses={202: SettlementOutput})
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
    @extend_schema(request=None, responses=SettlementOutput)
    def post(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        settlement = services.settlement_reversal_approve(settlement=settlement, actor=request.user)
        return Response(SettlementOutput(settlement, context={"with_lines": False}).data)
