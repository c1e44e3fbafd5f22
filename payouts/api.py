"""The payouts API (SPEC section 7): periods, settlements, ledger exports and a member's
earnings (payout batches: ``api_batches``). Amounts are integers in minor units with a
currency."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsFinance
from core.errors import NotFound, ValidationFailed
from core.net import MAX_ID
from core.serializers import InputSerializer

from . import exports, selectors, services
from .models import AccountKind, Period, Settlement, SettlementStatus

T = TypeVar("T")


def _found(found: T | None, what: str) -> T:
    """A selector's answer, or a 404 naming what was not found."""
    if found is None:
        raise NotFound(gettext("No such %(what)s.") % {"what": what})
    return found


COMPUTED_TOTALS = ("revenue", "costs")


def refuse_typed_totals(data) -> None:
    """A period's revenue and costs are computed from its lines (sales): typing them is a 400
    naming the field, never silently ignored. A body that is not an object (JSON ``null``, a
    number) is left to the serializer, which answers its 400."""
    if not isinstance(data, Mapping):
        return
    typed = [name for name in COMPUTED_TOTALS if name in data]
    if typed:
        raise ValidationFailed.for_field(
            typed[0],
            gettext(
                "Leave %(name)s out: a period's revenue and costs are computed from its sales "
                "and cost lines."
            )
            % {"name": typed[0]},
        )


class PeriodRecordInput(InputSerializer):
    start = serializers.DateField()
    end = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PeriodOutput(serializers.ModelSerializer):
    profit = serializers.IntegerField(read_only=True)
    currency = serializers.CharField(source="product.currency", read_only=True)
    settlement = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The period's live settlement (discarded and reversed ones are history)."
        )
    )

    class Meta:
        model = Period
        fields = [
            "id",
            "product",
            "start",
            "end",
            "revenue",
            "costs",
            "profit",
            "currency",
            "notes",
            "recorded_by",
            "recorded_at",
            "settlement",
        ]

    def get_settlement(self, period) -> int | None:
        settlement = period.settlement
        return settlement.pk if settlement else None


SHOWN_LINES = (SettlementStatus.PREVIEW, SettlementStatus.POSTED, SettlementStatus.REVERSED)


class SettlementLineOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id", allow_null=True)
    role = serializers.CharField()
    weight = serializers.IntegerField()
    amount = serializers.IntegerField()


class SettlementOutput(serializers.ModelSerializer):
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Settlement
        fields = [
            "id",
            "period",
            "product",
            "currency",
            "status",
            "progress",
            "error",
            "platform_fee_bp",
            "profit",
            "carried_loss_in",
            "distributable",
            "carried_loss_out",
            "creator_amount",
            "platform_amount",
            "contributors_amount",
            "contributor_count",
            "line_count",
            "closed_by",
            "created_at",
            "previewed_at",
            "approved_by",
            "approved_at",
            "posted_at",
            "discarded_by",
            "discarded_at",
            "discard_reason",
            "reversal_requested_by",
            "reversal_requested_at",
            "reversal_reason",
            "reversal_approved_by",
            "reversed_at",
            "lines",
        ]

    def get_lines(self, settlement) -> list[dict[str, Any]]:
        if not self.context.get("with_lines", True):
            return []
        if settlement.status not in SHOWN_LINES:
            return []
        lines = selectors.settlement_lines_in_order(settlement=settlement)
        return list(SettlementLineOutput(lines, many=True).data)


class FinanceApi(APIView):
    permission_classes = [IsFinance]


class ProductPeriodsApi(FinanceApi):
    @extend_schema(
        responses=PeriodOutput(many=True),
        description=gettext_lazy("The product's periods, by start date (finance)."),
    )
    def get(self, request, product_id: int):
        product = _found(selectors.product_get(product_id=product_id), "product")
        periods = selectors.product_periods(product_id=product.pk)
        return Response(PeriodOutput(periods, many=True).data)

    @extend_schema(
        request=PeriodRecordInput,
        responses={201: PeriodOutput},
        description=gettext_lazy(
            "Finance records a product's period from `start` to `end`: its `revenue` and "
            "`costs` are computed from the sales and cost lines dated in it (sending them is a "
            "400). It must be over, start on or after the day the product was funded, and start "
            "after the product's last period ends (400 on `end` or `start`)."
        ),
    )
    def post(self, request, product_id: int):
        product = _found(selectors.product_get(product_id=product_id), "product")
        refuse_typed_totals(request.data)
        data = PeriodRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_record(product=product, actor=request.user, **data.validated_data)
        return Response(PeriodOutput(period).data, status=status.HTTP_201_CREATED)


class PeriodSettleApi(FinanceApi):
    @extend_schema(
        request=None,
        responses={202: SettlementOutput},
        description=gettext_lazy(
            "Finance closes a period: its totals are taken from the lines as they stand and its "
            "settlement is queued (202), for a job that computes a preview of every share. A "
            "failed settlement is queued again; 409 `already_settled` for any other, "
            "`earlier_period_open` while an earlier period of the product is not posted."
        ),
    )
    def post(self, request, period_id: int):
        period = _found(selectors.period_get(period_id=period_id), "period")
        settlement = services.period_settle(period=period, actor=request.user)
        settlement.refresh_from_db()
        return Response(SettlementOutput(settlement).data, status=status.HTTP_202_ACCEPTED)


LINES_VALUES = ("0", "1", "false", "true", "no", "yes")
LINES = OpenApiParameter(
    "lines", str, enum=list(LINES_VALUES), description=gettext_lazy("`0` to leave the lines out")
)


class SettlementDetailApi(FinanceApi):
    @extend_schema(
        parameters=[LINES],
        responses=SettlementOutput,
        description=gettext_lazy(
            "A settlement (finance): its `status` and `progress`, the split's totals and, for a "
            "preview, a posted or a reversed one, its lines."
        ),
    )
    def get(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        lines = request.query_params.get("lines", "1")
        if lines not in LINES_VALUES:
            raise ValidationFailed.for_field(
                "lines", gettext("Use lines=0 to leave the lines out, or lines=1.")
            )
        with_lines = lines not in ("0", "false", "no")
        context = {"with_lines": with_lines}
        return Response(SettlementOutput(settlement, context=context).data)


class SettlementApproveApi(FinanceApi):
    @extend_schema(
        request=None,
        responses={200: SettlementOutput, 202: SettlementOutput},
        description=gettext_lazy(
            "A second finance member approves a preview, which queues its posting to the ledger "
            "(202; 200 if the posting is done by the time it answers); once posted, the members "
            "with a share are told. 403 `four_eyes` for whoever recorded or closed the period "
            "(unless `SETTLEMENT_SECOND_APPROVER` is off); 409 `already_approved`, "
            "`already_posted` or `not_preview`."
        ),
    )
    def post(self, request, settlement_id: int):
        settlement = _found(selectors.settlement_get(settlement_id=settlement_id), "settlement")
        settlement = services.settlement_approve(settlement=settlement, actor=request.user)
        settlement.refresh_from_db()
        code = status.HTTP_200_OK if settlement.status == "posted" else status.HTTP_202_ACCEPTED
        return Response(SettlementOutput(settlement).data, status=code)


# An empty value is no filter (a form's blank field); anything else must be exact.
_EMPTY = {"type": "string", "maxLength": 0}
_DATE = {"oneOf": [{"type": "string", "format": "date"}, _EMPTY]}
_ID = {"oneOf": [{"type": "integer", "minimum": 0, "maximum": MAX_ID}, _EMPTY]}
_ACCOUNT = rf"^([0-9]{{1,18}}|{'|'.join(AccountKind.values)})$"
LEDGER_FILTERS = [
    OpenApiParameter("from", _DATE, description=gettext_lazy("`YYYY-MM-DD` (UTC, inclusive)")),
    OpenApiParameter("to", _DATE, description=gettext_lazy("`YYYY-MM-DD` (UTC, inclusive)")),
    OpenApiParameter("product", _ID),
    OpenApiParameter("member", _ID),
    OpenApiParameter(
        "account",
        {"oneOf": [{"type": "string", "pattern": _ACCOUNT}, _EMPTY]},
        description=gettext_lazy("an account id or kind"),
    ),
]


class LedgerExportCsvApi(FinanceApi):
    @extend_schema(
        parameters=LEDGER_FILTERS,
        responses={(200, "text/csv"): str},
        description=gettext_lazy(
            "The posted ledger entries as CSV (finance), one row per entry, amounts in major "
            "units; filtered by posting day (UTC), product, member or account, a malformed "
            "filter being a 400 naming it."
        ),
    )
    def get(self, request):
        filters = exports.LedgerFilters.from_query(request.query_params)
        response = StreamingHttpResponse(exports.ledger_csv(filters), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="ledger.csv"'
        return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerExportXlsxApi(FinanceApi):
    @extend_schema(
        parameters=LEDGER_FILTERS,
        responses={(200, XLSX): bytes},
        description=gettext_lazy(
            "The same ledger export as `export.csv`, as an XLSX workbook (a new sheet every "
            "1,048,576 rows)."
        ),
    )
    def get(self, request):
        filters = exports.LedgerFilters.from_query(request.query_params)
        handle = exports.ledger_xlsx(filters)
        return FileResponse(handle, as_attachment=True, filename="ledger.xlsx", content_type=XLSX)


class EarningsShareOutput(serializers.Serializer):
    kind = serializers.CharField(
        help_text=gettext_lazy("`share`, or `reversal` (a negative amount)")
    )
    reason = serializers.CharField(
        help_text=gettext_lazy("why a reversal was made; empty for a share")
    )
    settlement = serializers.IntegerField(source="settlement_id")
    product = serializers.IntegerField(source="settlement.product_id")
    product_title = serializers.CharField(source="settlement.product.idea.title")
    period_start = serializers.DateField(source="settlement.period.start")
    period_end = serializers.DateField(source="settlement.period.end")
    role = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField(source="settlement.currency")
    posted_at = serializers.DateTimeField(source="settlement.posted_at")


class EarningsPayoutOutput(serializers.Serializer):
    batch = serializers.IntegerField(source="batch_id")
    amount = serializers.IntegerField()
    currency = serializers.CharField(source="batch.currency")
    reference = serializers.CharField(source="batch.reference")
    paid_at = serializers.DateTimeField(source="batch.paid_at", allow_null=True)


class EarningsOutput(serializers.Serializer):
    balances = serializers.DictField(child=serializers.IntegerField())
    shares = EarningsShareOutput(many=True)
    payouts = EarningsPayoutOutput(many=True)


def earnings_of(member_id: int) -> dict:
    return {
        "balances": selectors.member_balances(member_id=member_id),
        "shares": selectors.member_shares(member_id=member_id),
        "payouts": selectors.member_payouts(member_id=member_id),
    }


class MeEarningsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=EarningsOutput,
        description=gettext_lazy(
            "The signed-in member's earnings: what they are owed in each currency, every posted "
            "share and reversal of one (newest first) and every payout paid to them."
        ),
    )
    def get(self, request):
        return Response(EarningsOutput(earnings_of(request.user.pk)).data)


def statement_response(member_id: int) -> StreamingHttpResponse:
    response = StreamingHttpResponse(exports.statement_csv(member_id), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="ahhha-statement.csv"'
    return response


class MeStatementCsvApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, "text/csv"): str},
        description=gettext_lazy(
            "The signed-in member's statement as CSV, oldest first: each posted share and "
            "reversal, with its settlement's public report, and each payout (a negative "
            "amount)."
        ),
    )
    def get(self, request):
        return statement_response(request.user.pk)
