"""Pages: the finance console, a settlement's preview, and a member's earnings.

The console's buttons call the API through ``window.AHHHA.api`` (static/payouts/finance.js);
progress is polled from ``/api/v1/settlements/{id}/?lines=0``.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accounts.roles import is_finance

from . import charts, rules, selectors
from .api import statement_response
from .models import AccountKind, LineRole, SettlementStatus

ROLE_KEYS = ["creator", "contributors", "platform"]


def _finance_only(request) -> None:
    refusal = rules.may_do_finance(is_finance=is_finance(request.user))
    if refusal is not None:
        raise PermissionDenied(refusal.message)


@login_required
def finance_console(request):
    _finance_only(request)
    products = selectors.finance_products()
    overview = selectors.finance_overview()
    bars = charts.stacked_bars([{"label": cur, **row} for cur, row in overview.items()], ROLE_KEYS)
    currencies = sorted(set(settings.CURRENCIES) | {p.currency for p in products})
    return render(
        request,
        "payouts/finance.html",
        {
            "products": products,
            "periods": selectors.recent_periods(),
            "settlements": selectors.recent_settlements(),
            "bars": bars,
            "legend": list(zip(ROLE_KEYS, charts.COLORS, strict=False)),  # same order as bars
            "batches": selectors.recent_batches(limit=50),
            "currencies": currencies,
            "account_kinds": AccountKind.choices,
            "members": selectors.ledger_members(),
            "minimum_payout": settings.MINIMUM_PAYOUT,
            "default_currency": settings.DEFAULT_CURRENCY,
            "four_eyes": settings.SETTLEMENT_SECOND_APPROVER,
        },
    )


@login_required
def settlement_page(request, settlement_id: int):
    _finance_only(request)
    settlement = selectors.settlement_get(settlement_id=settlement_id)
    if settlement is None:
        raise Http404("No such settlement.")
    ready = settlement.status in (SettlementStatus.PREVIEW, SettlementStatus.POSTED)
    lines = selectors.settlement_lines(settlement=settlement)
    page = Paginator(lines if ready else lines.none(), 50).get_page(request.GET.get("page"))
    contributors = selectors.settlement_top_lines(settlement=settlement)
    for i, part in enumerate(contributors):
        part["color"] = charts.CONTRIBUTOR_SHADES[i % len(charts.CONTRIBUTOR_SHADES)]
    parts = [
        {"label": "Creator", "amount": settlement.creator_amount, "color": charts.CREATOR},
        *contributors,
        {"label": "Platform", "amount": settlement.platform_amount, "color": charts.PLATFORM},
    ]
    four_eyes_blocked = (
        rules.may_approve_settlement(
            actor_id=request.user.pk,
            closed_by_id=settlement.closed_by_id,
            recorded_by_id=settlement.period.recorded_by_id,
            second_approver_required=settings.SETTLEMENT_SECOND_APPROVER,
        )
        is not None
    )
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
