"""The payouts API's payout batches (SPEC section 7): making one per currency, its exports,
marking it paid (four eyes) or cancelling it. The bank files are ``api_destinations``."""

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.schema import documented
from core.serializers import InputSerializer

from . import exports, selectors, services
from .api import XLSX, FinanceApi, _found
from .models import PayoutBatch


class PayoutBatchCreateInput(InputSerializer):
    currency = documented(
        serializers.CharField(max_length=3, min_length=3), pattern="^[A-Za-z]{3}$"
    )
    execution_date = serializers.DateField(
        required=False, help_text=gettext_lazy("A TARGET2 business day; default: the next one.")
    )


class PayoutBatchOutput(serializers.ModelSerializer):
    transaction = serializers.SerializerMethodField()

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "currency",
            "status",
            "total",
            "item_count",
            "held_back",
            "created_by",
            "created_at",
            "reference",
            "paid_by",
            "paid_at",
            "execution_date",
            "transaction",
        ]

    def get_transaction(self, batch) -> int | None:
        tx = getattr(batch, "transaction", None) if batch.status == "paid" else None
        return tx.pk if tx else None


class PayoutBatchesApi(FinanceApi):
    @extend_schema(
        responses=PayoutBatchOutput(many=True),
        description=gettext_lazy("The latest 100 payout batches, newest first (finance)."),
    )
    def get(self, request):
        return Response(PayoutBatchOutput(selectors.recent_batches(), many=True).data)

    @extend_schema(
        request=PayoutBatchCreateInput,
        responses={201: PayoutBatchOutput},
        description=gettext_lazy(
            "Finance makes a payout batch in a `currency`: every member whose balance reached "
            "`MINIMUM_PAYOUT` and who has a payout destination, with a snapshot of it; those "
            "owed one without a destination are held back and told. 409 `batch_open` while a "
            "batch in that currency is open; 400 on `currency` when nobody can be paid, on "
            "`execution_date` for a past day or one that is no TARGET2 business day."
        ),
    )
    def post(self, request):
        data = PayoutBatchCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.payout_batch_create(actor=request.user, **data.validated_data)
        return Response(PayoutBatchOutput(batch).data, status=status.HTTP_201_CREATED)


class PayoutBatchExportCsvApi(FinanceApi):
    @extend_schema(
        responses={(200, "text/csv"): str},
        description=gettext_lazy(
            "The batch's lines as CSV (finance): each member and amount in major units, with "
            "the ledger transaction and the bank's reference once it is paid."
        ),
    )
    def get(self, request, batch_id: int):
        batch = _found(selectors.batch_get(batch_id=batch_id), "payout batch")
        response = StreamingHttpResponse(exports.batch_csv(batch), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="payout-batch-{batch.pk}.csv"'
        return response


class PayoutBatchExportXlsxApi(FinanceApi):
    @extend_schema(
        responses={(200, XLSX): bytes},
        description=gettext_lazy("The same lines as `export.csv`, as an XLSX workbook."),
    )
    def get(self, request, batch_id: int):
        batch = _found(selectors.batch_get(batch_id=batch_id), "payout batch")
        handle = exports.batch_xlsx(batch)
        name = f"payout-batch-{batch.pk}.xlsx"
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


class PayoutBatchMarkPaidInput(InputSerializer):
    reference = serializers.CharField(max_length=120)


class PayoutBatchMarkPaidApi(FinanceApi):
    @extend_schema(
        request=PayoutBatchMarkPaidInput,
        responses=PayoutBatchOutput,
        description=gettext_lazy(
            "A finance member other than the batch's creator (403 `four_eyes`) records that the "
            "bank paid it, with its `reference`: one ledger transaction pays each member's "
            "balance out, and the members are told. 409 `already_paid`, or `balance_changed` "
            "if a reversal left a balance below its payout (cancel the batch and make another)."
        ),
    )
    def post(self, request, batch_id: int):
        batch = _found(selectors.batch_get(batch_id=batch_id), "payout batch")
        data = PayoutBatchMarkPaidInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.payout_batch_mark_paid(
            batch=batch, reference=data.validated_data["reference"], actor=request.user
        )
        return Response(PayoutBatchOutput(batch).data)


class PayoutBatchCancelApi(FinanceApi):
    @extend_schema(
        request=None,
        responses=PayoutBatchOutput,
        description=gettext_lazy(
            "Finance cancels an open batch (nothing was paid): its members' balances are free "
            "again. 409 `not_open` for a paid or cancelled batch."
        ),
    )
    def post(self, request, batch_id: int):
        batch = _found(selectors.batch_get(batch_id=batch_id), "payout batch")
        batch = services.payout_batch_cancel(batch=batch, actor=request.user)
        return Response(PayoutBatchOutput(batch).data)
