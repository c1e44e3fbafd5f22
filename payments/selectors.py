from dataclasses import dataclass

from django.db.models import Count, Q

from funding.models import Payment, PaymentStatus
from ideas.models import Idea

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
