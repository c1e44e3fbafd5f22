"""Reads of a product's money: the budget (from the ledger, never from the expenses' rows),
its expenses, its refunds, and the finance queue."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When

from funding.models import Product
from funding.selectors import payments as funding_payments
from payouts.models import AccountKind, LedgerEntry, TransactionKind

from ..money_models import BackerRefund, Expense, ExpenseStatus

# Money that went back to backers out of the funds: refunds, chargebacks, and the refunds of
# the days before the funds existed, moved from the profit pool (migration products 0002).
GIVEN_BACK = [TransactionKind.REFUND, TransactionKind.CHARGEBACK, TransactionKind.FUNDS_MOVE]


@dataclass(frozen=True)
class Budget:
    """A product's money in its minor units: raised (pledged when the round closed), collected
    (received into the funds), spent (paid expenses charged to the funds), committed (approved,
    not paid), refunded (given back to backers, net of refunds that came back) and available
    (the funds' balance). collected − spent − committed − refunded = available, always."""

    product_id: int
    currency: str
    raised: int
    collected: int
    spent: int
    committed: int
    refunded: int
    available: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def product_get(*, product_id: int) -> Product | None:
    return Product.objects.select_related("idea__creator").filter(pk=product_id).first()


def _sum(field: str, **where) -> Sum:
    return Sum(field, filter=Q(**where), default=0)


def budget(*, product: Product) -> Budget:
    """The budget from the ledger's posted entries on the product's funds and committed
    accounts, in one query."""
    funds, committed = AccountKind.PRODUCT_FUNDS, AccountKind.PRODUCT_COMMITTED
    sums = LedgerEntry.objects.filter(
        account__product_id=product.pk,
        account__kind__in=[funds, committed],
        transaction__posted_at__isnull=False,
    ).aggregate(
        collected=_sum("credit", account__kind=funds, transaction__kind=TransactionKind.COLLECTION),
        given_back=_sum("debit", account__kind=funds, transaction__kind__in=GIVEN_BACK),
        came_back=_sum("credit", account__kind=funds, transaction__kind=TransactionKind.REVERSAL),
        funds_in=_sum("credit", account__kind=funds),
        funds_out=_sum("debit", account__kind=funds),
        committed_in=_sum("credit", account__kind=committed),
        spent=_sum("debit", account__kind=committed),
    )
    return Budget(
        product_id=product.pk,
        currency=product.currency,
        raised=product.amount_raised,
        collected=sums["collected"],
        spent=sums["spent"],
        committed=sums["committed_in"] - sums["spent"],
        refunded=sums["given_back"] - sums["came_back"],
        available=sums["funds_in"] - sums["funds_out"],
    )


def available_funds(*, product_id: int) -> int:
    """The funds' balance (credits less debits): what an expense may still take."""
    sums = LedgerEntry.objects.filter(
        account__product_id=product_id,
        account__kind=AccountKind.PRODUCT_FUNDS,
        transaction__posted_at__isnull=False,
    ).aggregate(c=Sum("credit", default=0), d=Sum("debit", default=0))
    return sums["c"] - sums["d"]


def product_expenses(*, product_id: int) -> QuerySet[Expense]:
    return Expense.objects.filter(product_id=product_id).select_related(
        "payee_member", "submitted_by"
    )


def expense_get(*, expense_id: int) -> Expense | None:
    return (
        Expense.objects.select_related("product__idea", "payee_member", "submitted_by")
        .filter(pk=expense_id)
        .first()
    )


def expense_queue(
    *, status: str = "", product_id: int | None = None, charged_to: str = ""
) -> QuerySet[Expense]:
    """Finance's queue: waiting expenses first, then approved (to pay), then the rest."""
    qs = Expense.objects.select_related("product__idea", "payee_member", "submitted_by")
    if status:
        qs = qs.filter(status=status)
    if product_id is not None:
        qs = qs.filter(product_id=product_id)
    if charged_to:
        qs = qs.filter(charged_to=charged_to)
    order = Case(
        When(status=ExpenseStatus.SUBMITTED, then=Value(0)),
        When(status=ExpenseStatus.APPROVED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(queue_order=order).order_by("queue_order", "submitted_at", "id")


def received_payments(*, product: Product) -> list:
    """The product's received payments (what each backer actually paid, net of money already
    given back is the caller's business), oldest first."""
    return list(
        funding_payments(status="received")
        .filter(pledge__idea_id=product.idea_id)
        .select_related("pledge__member")
        .order_by("id")
    )


def product_refunds(*, product_id: int) -> QuerySet[BackerRefund]:
    return BackerRefund.objects.filter(product_id=product_id).select_related("member")


def refund_get(*, refund_id: int) -> BackerRefund | None:
    return (
        BackerRefund.objects.select_related("product__idea", "member").filter(pk=refund_id).first()
    )


def is_backer(*, product: Product, member_id: int) -> bool:
    return (
        funding_payments(status="received")
        .filter(pledge__idea_id=product.idea_id, pledge__member_id=member_id)
        .exists()
    )
