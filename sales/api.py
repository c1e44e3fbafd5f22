"""The sales API: orders one at a time (with ``Idempotency-Key``), sales files, adjustments,
the lines behind a period's totals, and the public period report."""

from django.http import HttpResponse
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsFinance
from core.errors import NotFound
from core.fields import MinorUnitsField
from core.serializers import InputSerializer
from payouts import selectors as payouts_selectors

from . import selectors, services
from .messages import import_error_text
from .models import CostAdjustment, ImportFormat, ImportJob, LineKind, SalesLine
from .report import serialized, settlement_report


def _found(found, what: str):
    if found is None:
        raise NotFound(gettext("No such %(what)s.") % {"what": what})
    return found


def _product(product_id: int):
    return _found(payouts_selectors.product_get(product_id=product_id), gettext("product"))


class SalesLineInput(InputSerializer):
    order_id = serializers.CharField(max_length=100)
    date = serializers.DateField()
    channel = serializers.CharField(max_length=40, default="api")
    kind = serializers.ChoiceField(choices=LineKind.choices, default=LineKind.SALE)
    ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    quantity = serializers.IntegerField(min_value=0, max_value=10**9)
    gross = MinorUnitsField()
    discounts = MinorUnitsField(default=0)
    refunds = MinorUnitsField(default=0)
    channel_fees = MinorUnitsField(default=0)
    currency = serializers.CharField(min_length=3, max_length=3)


class SalesLineOutput(serializers.ModelSerializer):
    net = serializers.IntegerField(read_only=True)

    class Meta:
        model = SalesLine
        fields = [
            "id",
            "product",
            "order_id",
            "date",
            "channel",
            "kind",
            "ref",
            "quantity",
            "gross",
            "discounts",
            "refunds",
            "channel_fees",
            "net",
            "currency",
            "source",
        ]


class ProductSalesApi(APIView):
    permission_classes = [IsFinance]

    @extend_schema(
        request=SalesLineInput,
        responses={201: SalesLineOutput, 200: SalesLineOutput},
        description=gettext_lazy(
            "One order as the shop sells it: 201 the first time, 200 with the same line after."
        ),
    )
    def post(self, request, product_id: int):
        product = _product(product_id)
        data = SalesLineInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {**data.validated_data, "currency": data.validated_data["currency"].upper()}
        line, created = services.sales_line_record(product=product, actor=request.user, **fields)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SalesLineOutput(line).data, status=code)


class ImportInput(InputSerializer):
    format = serializers.ChoiceField(choices=ImportFormat.choices)
    file = serializers.FileField()


class ImportOutput(serializers.ModelSerializer):
    error = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "product", "format", "file_sha256", "status", "progress", "rows",
                  "lines_added", "lines_known", "error_row", "error_code", "error_params",
                  "error", "created_at", "finished_at"]  # fmt: skip

    def get_error(self, job) -> str:
        if not job.error_code:
            return ""
        return import_error_text(code=job.error_code, row=job.error_row, params=job.error_params)


class ProductImportsApi(APIView):
    permission_classes = [IsFinance]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=ImportInput,
        responses={202: ImportOutput},
        description=gettext_lazy(
            "Finance uploads a product's sales file (at most 200 MB) in one of the `format`s: "
            "202 with its import job, which a background job runs, taking the file whole or not "
            "at all (an order already recorded counts once). Follow it at "
            "`/api/v1/sales/imports/{id}/`."
        ),
    )
    def post(self, request, product_id: int):
        product = _product(product_id)
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.sales_import_start(
            product=product, format=data.validated_data["format"],
            upload=data.validated_data["file"], actor=request.user,
        )  # fmt: skip
        job.refresh_from_db()
        return Response(ImportOutput(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailApi(APIView):
    permission_classes = [IsFinance]

    @extend_schema(
        responses=ImportOutput,
        description=gettext_lazy(
            "A sales import job (finance): its `status` (`queued`, `running`, `done` or "
            "`failed`), `progress` in percent, the lines added and those already known; a "
            "refused file names its row (`error_row`) and why (`error_code`, `error`)."
        ),
    )
    def get(self, request, job_id: int):
        job = _found(ImportJob.objects.filter(pk=job_id).first(), gettext("import"))
        return Response(ImportOutput(job).data)


class AdjustmentInput(InputSerializer):
    date = serializers.DateField()
    side = serializers.ChoiceField(choices=[("revenue", "revenue"), ("costs", "costs")])
    amount = serializers.IntegerField(min_value=-(10**15), max_value=10**15)
    reason = serializers.CharField(max_length=2000)


class AdjustmentOutput(serializers.ModelSerializer):
    class Meta:
        model = CostAdjustment
        fields = ["id", "product", "date", "revenue", "costs", "currency", "reason", "origin",
                  "proposed_by", "proposed_at", "approved_by", "approved_at"]  # fmt: skip


class ProductAdjustmentsApi(APIView):
    permission_classes = [IsFinance]

    @extend_schema(
        request=AdjustmentInput,
        responses={201: AdjustmentOutput},
        description=gettext_lazy(
            "Finance proposes a manual line on the `revenue` or `costs` side of a product, in "
            "minor units (not zero; negative lowers it), with a `reason`; it counts once another "
            "finance member approves it. 400 on `date` for a future day, a day before the "
            "product was funded or one in a settled period."
        ),
    )
    def post(self, request, product_id: int):
        product = _product(product_id)
        data = AdjustmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        adjustment = services.adjustment_propose(
            product=product, day=v["date"], side=v["side"], amount=v["amount"],
            reason=v["reason"], actor=request.user,
        )  # fmt: skip
        return Response(AdjustmentOutput(adjustment).data, status=status.HTTP_201_CREATED)


class AdjustmentApproveApi(APIView):
    permission_classes = [IsFinance]

    @extend_schema(
        request=None,
        responses=AdjustmentOutput,
        description=gettext_lazy(
            "A second finance member approves an adjustment, never the one who proposed it "
            "(403); from then on it counts in the product's periods. 409 `already_approved`; "
            "400 on `date` if its day now lies in a settled period."
        ),
    )
    def post(self, request, adjustment_id: int):
        found = _found(
            CostAdjustment.objects.filter(pk=adjustment_id).first(), gettext("adjustment")
        )
        adjustment = services.adjustment_approve(adjustment=found, actor=request.user)
        return Response(AdjustmentOutput(adjustment).data)


@extend_schema(
    description=gettext_lazy(
        "The lines behind a period's totals (finance's preview before closing it)."
    )
)
class PeriodLinesApi(APIView):
    permission_classes = [IsFinance]

    @extend_schema(responses=dict)
    def get(self, request, period_id: int):
        period = _found(payouts_selectors.period_get(period_id=period_id), gettext("period"))
        found = selectors.breakdown(product=period.product, start=period.start, end=period.end)
        return Response(
            {
                "period": period.pk,
                "currency": found.currency,
                "revenue": found.revenue,
                "costs": found.costs,
                "profit": found.profit,
                "sales": found.channels,
                "expenses": found.expenses,
                "adjustments": AdjustmentOutput(found.adjustments, many=True).data,
            }  # fmt: skip
        )


@extend_schema(
    description=gettext_lazy(
        "A posted settlement's public report: anyone may read it (`docs/verify.md`)."
    )
)
class SettlementReportApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=dict)
    def get(self, request, settlement_id: int):
        report = _found(settlement_report(settlement_id=settlement_id), gettext("report"))
        response = HttpResponse(serialized(report), content_type="application/json")
        response["Content-Disposition"] = f'inline; filename="report-{settlement_id}.json"'
        return response
