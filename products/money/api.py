"""The products money API (SPEC section 7): the budget, expenses with receipts (four eyes) and
the refunds after an abandonment. Amounts are integers in the product's minor units. Who may:
``products.money.rules`` (and ``products.rules.may_manage_product``); nothing here restates a
rule."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsVerifiedMember
from core.errors import NotAllowed, NotFound
from core.fields import StrictIntegerField
from core.media import serve_stored_file
from core.pagination import PaginatedMixin
from core.serializers import InputSerializer

from .. import selectors as product_selectors
from ..money_models import ChargedTo, ExpenseStatus, PayeeKind
from . import access, rules, selectors
from .services import expenses as expense_services
from .services import refunds as refund_services


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def product_or_404(request, product_id: int):
    product = product_selectors.product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise NotFound(gettext("No such product."))
    return product


def expense_or_404(request, expense_id: int):
    expense = selectors.expense_get(expense_id=expense_id)
    if expense is None or product_or_404(request, expense.product_id) is None:
        raise NotFound(gettext("No such expense."))
    return expense


# --- Output -------------------------------------------------------------------------------------


class BudgetOutput(serializers.Serializer):
    product_id = serializers.IntegerField()
    currency = serializers.CharField()
    raised = serializers.IntegerField(help_text=gettext_lazy("Pledged when the round closed."))
    collected = serializers.IntegerField(
        help_text=gettext_lazy("Received into the product's funds.")
    )
    spent = serializers.IntegerField(help_text=gettext_lazy("Paid expenses charged to the funds."))
    committed = serializers.IntegerField(help_text=gettext_lazy("Approved expenses not paid yet."))
    refunded = serializers.IntegerField(
        help_text=gettext_lazy("Given back to backers out of the funds.")
    )
    available = serializers.IntegerField(
        help_text=gettext_lazy("The funds' balance: what may still be spent.")
    )


class ExpenseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField(source="product_id")
    spent_on = serializers.DateField()
    description = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    charged_to = serializers.ChoiceField(choices=ChargedTo.choices)
    payee_kind = serializers.ChoiceField(choices=PayeeKind.choices)
    payee = serializers.SerializerMethodField(
        help_text=gettext_lazy("The member's username or the supplier.")
    )
    status = serializers.ChoiceField(choices=ExpenseStatus.choices)
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    reject_reason = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)
    receipt_sha256 = serializers.CharField()
    receipt_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Only for backers, contributors, the team, reviewers and finance.")
    )

    def get_payee(self, expense) -> str:
        if expense.payee_member_id:
            return expense.payee_member.username
        return expense.supplier_name

    def get_receipt_url(self, expense) -> str | None:
        if not self.context.get("sees_receipts"):
            return None
        return f"/api/v1/expenses/{expense.pk}/receipt/"


class RefundOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.CharField(source="member.username")
    paid = serializers.IntegerField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    provider = serializers.CharField()
    status = serializers.CharField()
    refunded_at = serializers.DateTimeField(allow_null=True)


# --- Input --------------------------------------------------------------------------------------


class ExpenseInput(InputSerializer):
    description = serializers.CharField(max_length=500)
    amount = StrictIntegerField(min_value=1)
    spent_on = serializers.DateField()
    charged_to = serializers.ChoiceField(choices=ChargedTo.choices, default=ChargedTo.FUNDS)
    payee_kind = serializers.ChoiceField(choices=PayeeKind.choices)
    payee_username = serializers.CharField(required=False, allow_blank=True, max_length=150)
    supplier_name = serializers.CharField(required=False, allow_blank=True, max_length=140)
    supplier_account_kind = serializers.ChoiceField(
        choices=[("iban", "IBAN"), ("alipay", "Alipay")], required=False, allow_blank=True
    )
    supplier_account = serializers.CharField(required=False, allow_blank=True, max_length=100)
    supplier_bic = serializers.CharField(required=False, allow_blank=True, max_length=11)
    receipt = serializers.FileField(
        help_text=gettext_lazy("PDF, JPEG or PNG, checked by its content.")
    )


class ExpenseReasonInput(InputSerializer):
    reason = serializers.CharField(max_length=1000)


class MoneyReferenceInput(InputSerializer):
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)


def submit_from(data: dict, *, product, member):
    """``expense_submit`` from the API's (or the page form's) cleaned fields."""
    payee_member = None
    if data["payee_kind"] == PayeeKind.MEMBER:
        payee_member = product_selectors.member_by_username(data.get("payee_username") or "")
    return expense_services.expense_submit(
        product=product,
        member=member,
        description=data["description"],
        amount=data["amount"],
        spent_on=data["spent_on"],
        charged_to=data["charged_to"],
        payee_kind=data["payee_kind"],
        payee_member=payee_member,
        supplier={
            "name": data.get("supplier_name", ""),
            "kind": data.get("supplier_account_kind", ""),
            "account": data.get("supplier_account", ""),
            "bic": data.get("supplier_bic", ""),
        },
        receipt=data["receipt"],
    )


# --- Views --------------------------------------------------------------------------------------


class ProductBudgetApi(APIView):
    permission_classes: list = []

    @extend_schema(
        responses=BudgetOutput,
        summary=gettext_lazy("A product's budget, in public"),
        description=gettext_lazy(
            "The product's money as its ledger has it, in minor units: raised, collected, spent, "
            "committed, refunded and available (anyone who may see the product)."
        ),
    )
    def get(self, request, product_id: int):
        product = product_or_404(request, product_id)
        return Response(BudgetOutput(selectors.budget(product=product).as_dict()).data)


@extend_schema(
    description=gettext_lazy(
        "GET: the product's expenses, paginated (anyone who may see the product; the receipts "
        "only for backers, contributors, the team, reviewers and finance). POST: submit one "
        "with its receipt as `multipart/form-data` (the creator and the team)."
    )
)
class ProductExpensesApi(PaginatedMixin, APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_permissions(self):
        return [IsVerifiedMember()] if self.request.method == "POST" else []

    @extend_schema(responses=ExpenseOutput(many=True))
    def get(self, request, product_id: int):
        product = product_or_404(request, product_id)
        context = {"sees_receipts": access.sees_receipts(product, request.user)}
        return self.paginated(
            selectors.product_expenses(product_id=product.pk),
            lambda page: ExpenseOutput(page, many=True, context=context).data,
        )

    @extend_schema(request={"multipart/form-data": ExpenseInput}, responses={201: ExpenseOutput})
    def post(self, request, product_id: int):
        product = product_or_404(request, product_id)
        data = _valid(ExpenseInput, request.data)
        expense = submit_from(data, product=product, member=request.user)
        context = {"sees_receipts": True}
        return Response(
            ExpenseOutput(expense, context=context).data, status=status.HTTP_201_CREATED
        )


class _ExpenseActionApi(APIView):
    permission_classes = [IsAuthenticated]
    input_class: type | None = None

    def act(self, expense, actor, data):
        raise NotImplementedError

    def post(self, request, expense_id: int):
        expense = expense_or_404(request, expense_id)
        data = _valid(self.input_class, request.data) if self.input_class else {}
        expense = self.act(expense, request.user, data)
        return Response(ExpenseOutput(expense, context={"sees_receipts": True}).data)


class ExpenseApproveApi(_ExpenseActionApi):
    @extend_schema(
        request=None,
        responses=ExpenseOutput,
        description=gettext_lazy(
            "Finance approves a submitted expense, never one they submitted (403); the "
            "submitter is told. Charged to the funds, its amount is committed at once (posted to "
            "the ledger). 409 `overdraw` if the funds left are too few, `already_decided` if it "
            "was decided."
        ),
    )
    def post(self, request, expense_id: int):
        return super().post(request, expense_id)

    def act(self, expense, actor, data):
        return expense_services.expense_approve(expense=expense, actor=actor)


class ExpenseRejectApi(_ExpenseActionApi):
    input_class = ExpenseReasonInput

    @extend_schema(
        request=ExpenseReasonInput,
        responses=ExpenseOutput,
        description=gettext_lazy(
            "Finance rejects a submitted expense with a `reason`, never one they submitted "
            "(403); the submitter is told why. 409 `already_decided` if it was decided."
        ),
    )
    def post(self, request, expense_id: int):
        return super().post(request, expense_id)

    def act(self, expense, actor, data):
        return expense_services.expense_reject(expense=expense, actor=actor, reason=data["reason"])


class ExpenseMarkPaidApi(_ExpenseActionApi):
    input_class = MoneyReferenceInput

    @extend_schema(
        request=MoneyReferenceInput,
        responses=ExpenseOutput,
        description=gettext_lazy(
            "A second finance member, neither its submitter nor its approver (403), records that "
            "an approved expense was paid (paying a supplier needs the payment's `reference`). "
            "It is posted to the ledger (a member payee's amount to their balance, paid with "
            "the next payout batch), and the submitter and the member payee are told. 409 unless "
            "it is approved and unpaid."
        ),
    )
    def post(self, request, expense_id: int):
        return super().post(request, expense_id)

    def act(self, expense, actor, data):
        return expense_services.expense_mark_paid(
            expense=expense, actor=actor, reference=data.get("reference", "")
        )


def receipt_response(request, expense):
    """The receipt, for those who may see it (403 for other members, 404 for the public)."""
    product = expense.product
    if not request.user.is_authenticated:
        raise NotFound(gettext("No such expense."))
    if not access.sees_receipts(product, request.user):
        raise NotAllowed(
            gettext(
                "Receipts are shown to the product's backers, contributors, team, reviewers "
                "and finance."
            )
        )
    response = serve_stored_file(request, expense.receipt)
    response["Content-Type"] = expense.receipt_mime
    response["Content-Disposition"] = f'inline; filename="receipt-{expense.pk}"'
    return response


class ExpenseReceiptApi(APIView):
    permission_classes: list = []

    @extend_schema(
        responses={(200, "application/octet-stream"): bytes},
        description=gettext_lazy(
            "The expense's receipt file (PDF, JPEG or PNG) for the product's backers, "
            "contributors, team, reviewers and finance: 403 for other members, 404 when not "
            "signed in."
        ),
    )
    def get(self, request, expense_id: int):
        return receipt_response(request, expense_or_404(request, expense_id))


class ProductRefundsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=RefundOutput(many=True),
        description=gettext_lazy(
            "The refunds of an abandoned product's funds to its backers: all of them for "
            "finance, reviewers and the product's creator and team; a backer sees their own."
        ),
    )
    def get(self, request, product_id: int):
        product = product_or_404(request, product_id)
        refunds = selectors.product_refunds(product_id=product.pk)
        if not rules.may_see_all_refunds(
            member=request.user, manages=access.manages(product, request.user)
        ):
            refunds = refunds.filter(member=request.user)
        return Response(RefundOutput(refunds, many=True).data)


class RefundConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=MoneyReferenceInput,
        responses=RefundOutput,
        description=gettext_lazy(
            "Finance confirms a refund paid back by hand, with the transfer's `reference`: it "
            "is posted out of the product's funds, once, and the backer is told. 409 "
            "`already_confirmed` if it is refunded already."
        ),
    )
    def post(self, request, refund_id: int):
        refund = selectors.refund_get(refund_id=refund_id)
        if refund is None:
            raise NotFound(gettext("No such refund."))
        data = _valid(MoneyReferenceInput, request.data)
        refund_services.refund_confirm(
            refund=refund, actor=request.user, reference=data.get("reference", "")
        )
        return Response(RefundOutput(selectors.refund_get(refund_id=refund_id)).data)
