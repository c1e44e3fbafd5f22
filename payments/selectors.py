"""The payments app's reads, funding's Payment and Pledge rows among them: a selectors module
may import another app's models, so the Stripe adapter, the webhooks and the pages read those
rows here (or through ``funding.selectors``) and change them only through
``funding.services`` (tests/test_architecture.py)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from funding.models import Payment, PaymentStatus, Pledge
from ideas.models import Idea

from .models import MoneyBack

OPEN = [PaymentStatus.PENDING, PaymentStatus.FAILED]


@dataclass
class PaymentFilters:
    status: str = "open"  # "open" (pending or failed), "all", or one status
    idea: int | None = None
    currency: str = ""

    @classmethod
    def from_query(cls, query) -> "PaymentFilters":
        status = query.get("status", "open")
        if status not in {"open", "all", *PaymentStatus.values}:
            status = "open"
        idea = query.get("idea", "")
        currency = query.get("currency", "").upper()
        return cls(
            status=status,
            idea=int(idea) if idea.isdigit() and len(idea) < 12 else None,
            currency=currency if len(currency) == 3 and currency.isalpha() else "",
        )


def payments_to_collect(filters: PaymentFilters):
    qs = Payment.objects.select_related("pledge__member", "pledge__idea").order_by("due_at", "id")
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.idea:
        qs = qs.filter(pledge__idea_id=filters.idea)
    if filters.currency:
        qs = qs.filter(currency=filters.currency)
    return qs


def funded_ideas():
    return Idea.objects.filter(pledges__payment__isnull=False).distinct().order_by("title")


def payment_currencies() -> list[str]:
    return sorted(set(Payment.objects.values_list("currency", flat=True)))


def open_counts() -> dict:
    return Payment.objects.aggregate(
        pending=Count("id", filter=Q(status=PaymentStatus.PENDING)),
        failed=Count("id", filter=Q(status=PaymentStatus.FAILED)),
    )


# --- One payment or pledge (the adapter, the webhooks and the pages read them here) ----------


def payment_find(
    *, payment_id: int | None = None, provider_ref: str = "", member=None
) -> Payment | None:
    """A payment by id (the backer's own when ``member`` is given) or by the provider's id,
    with its pledge, backer and idea."""
    qs = Payment.objects.select_related("pledge__member", "pledge__idea")
    if member is not None:
        qs = qs.filter(pledge__member=member)
    if payment_id is not None:
        return qs.filter(pk=payment_id).first()
    return qs.filter(provider_ref=provider_ref).first() if provider_ref else None


def payment_status(*, payment_id: int) -> str:
    """A payment's status as stored now (after funding applied an outcome)."""
    return Payment.objects.filter(pk=payment_id).values_list("status", flat=True).get()


def pledge_find(*, pledge_id: int, member=None) -> Pledge | None:
    """A pledge by id (the backer's own when ``member`` is given), with its idea and backer."""
    qs = Pledge.objects.select_related("idea", "member").filter(pk=pledge_id)
    return (qs.filter(member=member) if member is not None else qs).first()


# --- Money given back (the webhooks check each refund or chargeback against its payment) ---


def payment_paid_locked(*, payment_id: int) -> int:
    """What the payment brought in (its amount once received, else 0), its row locked until
    the caller's transaction ends, so two refunds of one payment are checked one after the
    other."""
    amount, status = (
        Payment.objects.select_for_update()
        .filter(pk=payment_id)
        .values_list("amount", "status")
        .get()
    )
    return amount if status == PaymentStatus.RECEIVED else 0


def money_back_total(*, payment_id: int) -> int:
    """Refunds and chargebacks of a payment still standing (those reversed count no more)."""
    standing = MoneyBack.objects.filter(
        payment_id=payment_id, transaction__reversed_by__isnull=True
    )
    return standing.aggregate(total=Sum("amount"))["total"] or 0


def money_back_find(*, provider_ref: str) -> MoneyBack | None:
    return MoneyBack.objects.select_related("transaction").filter(provider_ref=provider_ref).first()
