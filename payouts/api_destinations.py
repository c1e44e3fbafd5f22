"""API: a member's own payout destination (masked), and finance's bank files for a batch."""

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.net import client_ip
from core.schema import NO_NUL, documented
from core.serializers import InputSerializer

from . import destinations, selectors
from .api import XLSX, FinanceApi, _found
from .exports import bank
from .models import DestinationKind, PayoutDestination
from .services import bank_files


class PayoutDestinationInput(InputSerializer):
    kind = serializers.ChoiceField(choices=DestinationKind.choices)
    holder = documented(
        serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=140,
            help_text=gettext_lazy(
                "The account holder's name as the bank or Alipay has it (required)."
            ),
        ),
        pattern=NO_NUL,
    )
    iban = documented(
        serializers.CharField(required=False, allow_blank=True, max_length=64), pattern=NO_NUL
    )
    bic = documented(
        serializers.CharField(required=False, allow_blank=True, max_length=20), pattern=NO_NUL
    )
    account = documented(
        serializers.CharField(required=False, allow_blank=True, max_length=254), pattern=NO_NUL
    )
    text = documented(
        serializers.CharField(required=False, allow_blank=True, max_length=500), pattern=NO_NUL
    )


class PayoutDestinationOutput(serializers.ModelSerializer):
    class Meta:
        model = PayoutDestination
        fields = ["kind", "masked", "updated_at"]


class MyPayoutDestinationOutput(serializers.Serializer):
    destination = PayoutDestinationOutput(
        allow_null=True, help_text=gettext_lazy("`null`: none added yet")
    )


@extend_schema(
    description=gettext_lazy(
        "Where the signed-in member is paid: shown masked; replaced as a whole."
    )
)
class MyPayoutDestinationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MyPayoutDestinationOutput)
    def get(self, request):
        found = destinations.destination_of(request.user)
        return Response({"destination": PayoutDestinationOutput(found).data if found else None})

    @extend_schema(request=PayoutDestinationInput, responses=MyPayoutDestinationOutput)
    def put(self, request):
        data = PayoutDestinationInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = destinations.destination_set(
            member=request.user,
            actor=request.user,
            address=client_ip(request),
            **data.validated_data,
        )
        return Response({"destination": PayoutDestinationOutput(saved).data})


def _payable_batch(batch_id: int):
    """A batch whose payee list may be handed out: not a cancelled one (409)."""
    batch = _found(selectors.batch_get(batch_id=batch_id), "payout batch")
    bank_files.batch_hands_out(batch)
    return batch


@extend_schema(
    description=gettext_lazy(
        "The batch's payees with the destinations snapshotted when it was made."
    )
)
class PayoutBatchBankCsvApi(FinanceApi):
    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request, batch_id: int):
        batch = _payable_batch(batch_id)
        response = StreamingHttpResponse(bank.bank_csv(batch), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="payout-batch-{batch.pk}-payees.csv"'
        )
        return response


class PayoutBatchBankXlsxApi(FinanceApi):
    @extend_schema(
        responses={(200, XLSX): bytes},
        description=gettext_lazy(
            "The same payee list as `payees.csv`, as an XLSX workbook; 409 `batch_cancelled` for "
            "a cancelled batch."
        ),
    )
    def get(self, request, batch_id: int):
        batch = _payable_batch(batch_id)
        name = f"payout-batch-{batch.pk}-payees.xlsx"
        return FileResponse(
            bank.bank_xlsx(batch), as_attachment=True, filename=name, content_type=XLSX
        )


@extend_schema(
    description=gettext_lazy(
        "The SEPA credit transfer (`pain.001.001.03`) of a EUR batch's IBAN payees: made on the "
        "first download from the batch's snapshot, the same bytes on every later one; 409 for a "
        "cancelled batch."
    )
)
class PayoutBatchSepaApi(FinanceApi):
    @extend_schema(responses={(200, "application/xml"): str})
    def get(self, request, batch_id: int):
        batch = _found(selectors.batch_get(batch_id=batch_id), "payout batch")
        made = bank_files.batch_sepa_file(batch=batch, actor=request.user)
        response = HttpResponse(bytes(made.content), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="payout-batch-{batch.pk}-sepa.xml"'
        response["ETag"] = f'"{made.sha256}"'
        response["X-Sepa-Msg-Id"] = made.msg_id
        response["X-Sepa-Sha256"] = made.sha256
        response["X-Sepa-Control-Sum"] = str(made.control_sum)
        response["X-Paid-By-Hand"] = str(len(made.held_back))
        return response
