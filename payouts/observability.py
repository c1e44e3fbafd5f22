"""What the metrics endpoint reports of the settlement jobs (config.metrics): each queued or
running settlement's progress, and how many settlements are in each state."""

from django.db.models import Count

from .models import Settlement, SettlementStatus

IN_FLIGHT = [SettlementStatus.QUEUED.value, SettlementStatus.RUNNING.value]


def settlements_in_flight() -> list[dict]:
    """The queued and running settlement jobs, oldest first (a handful at any time)."""
    return list(
        Settlement.objects.filter(status__in=IN_FLIGHT)
        .order_by("id")
        .values("id", "status", "progress", "product_id", "period_id", "heartbeat_at")
    )


def settlement_counts() -> dict[str, int]:
    counts = dict.fromkeys(SettlementStatus.values, 0)
    for row in Settlement.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts
