"""Pages: the finance console, a settlement's preview, and a member's earnings.

The console's buttons call the API through ``window.AHHHA.api`` (static/payouts/finance.js);
progress is polled from ``/api/v1/settlements/{id}/?lines=0``.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.models import User
from accounts.roles import is_finance
from funding.models import Product

from . import charts, selectors
from .api import statement_response
from .models import (
    AccountKind,
    LineRole,
    PayoutBatch,
    Period,
    Settlement,
    SettlementStatus,
)

ROLE_KEYS = ["creator", "contributors", "platform"]


def _finance_only(request) -> None:
    if not is_finance(request.user):
        raise PermissionDenied("Only finance staff may see the finance console.")


@login_required
def finance_console(request):
    _finance_only(request)
    products = list(Product.objects.select_related("idea").order_by("idea__title")[:200])
    periods = (
        Period.objects.select_related("product__idea", "settlement")
        .order_by("-start", "-id")
        .all()[:200]
    )
    settlements = Settlement.objects.select_related("period", "product__idea").order_by(
        "-created_at", "-id"
    )[:50]
    overview = selectors.finance_overview()
    bars = charts.stacked_bars([{"label": cur, **row} for cur, row in overview.items()], ROLE_KEYS)
    currencies = sorted(set(settings.CURRENCIES) | {p.currency for p in products})
    return render(
        request,
        "payouts/finance.html",
        {
            "products": products,
            "periods": periods,
            "settlements": settlements,
            "bars": bars,
            "legend": list(zip(ROLE_KEYS, charts.COLORS, strict=False)),  # same order as bars
            "batches": PayoutBatch.objects.all()[:50],
            "currencies": currencies,
            "account_kinds": AccountKind.choices,
            "members": User.objects.filter(ledger_accounts__isnull=False)
            .distinct()
            .order_by("username")[:500],
            "minimum_payout": settings.MINIMUM_PAYOUT,
            "default_currency": settings.DEFAULT_CURRENCY,
            "four_eyes": settings.SETTLEMENT_SECOND_APPROVER,
        },
    )


@login_required
def settlement_page(request, settlement_id: int):
    _finance_only(request)
    settlement = get_object_or_404(
        Settlement.objects.select_related(
            "period__recorded_by", "product__idea__creator", "closed_by", "approved_by"
        ),
        pk=settlement_id,
    )
    ready = settlement.status in (SettlementStatus.PREVIEW, SettlementStatus.POSTED)
    lines = settlement.lines.select_related("member").order_by("role", "-amount", "id")
    page = Paginator(lines if ready else lines.none(), 50).get_page(request.GET.get("page"))
    contributors = selectors.settlement_top_lines(settlement=settlement)
    for i, part in enumerate(contributors):
        part["color"] = charts.CONTRIBUTOR_SHADES[i % len(charts.CONTRIBUTOR_SHADES)]
    parts = [
        {"label": "Creator", "amount": settlement.creator_amount, "color": charts.CREATOR},
        *contributors,
        {"label": "Platform", "amount": settlement.platform_amount, "color": charts.PLATFORM},
    ]
    four_eyes_blocked = settings.SETTLEMENT_SECOND_APPROVER and request.user.pk in {
        settlement.closed_by_id,
        settlement.period.recorded_by_id,
    }
    return render(
        request,
        "payouts/settlement.html",
        {
            "settlement": settlement,
            "period": settlement.period,
            "page": page,
            "segments": charts.donut(parts) if ready else [],
            "can_approve": settlement.status == SettlementStatus.PREVIEW
            and settlement.approved_by_id is None
            and not four_eyes_blocked,
            "four_eyes_blocked": four_eyes_blocked,
            "roles": LineRole,
        },
    )


@login_required
def earnings_page(request):
    member_id = request.user.pk
    shares = selectors.member_shares(member_id=member_id)
    return render(
        request,
        "payouts/earnings.html",
        {
            "balances": sorted(selectors.member_balances(member_id=member_id).items()),
            "shares": Paginator(shares, 50).get_page(request.GET.get("page")),
            "payouts": selectors.member_payouts(member_id=member_id)[:100],
            "minimum_payout": settings.MINIMUM_PAYOUT,
        },
    )


@login_required
def earnings_statement(request):
    return statement_response(request.user.pk)
