"""Pages: the finance console, a period's corrections, a settlement's preview (approve,
discard, reverse) and a member's earnings.

Recording, correcting and deleting periods, discarding previews and reversing settlements are
plain forms (a one-time token each, ``once_per_submission``); settling, approving, batches and
progress use the API through ``window.AHHHA.api`` (static/payouts/finance.js), progress polled
from ``/api/v1/settlements/{id}/?lines=0``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import is_finance
from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission
from core.net import client_ip

from . import charts, destinations, rules, selectors, services
from .api import statement_response
from .exports import target2
from .forms import DestinationForm, PeriodCorrectForm, PeriodRecordForm, ReasonForm
from .models import AccountKind, LineRole, Settlement, SettlementStatus
from .services import bank_files

ROLE_KEYS = ["creator", "contributors", "platform"]
# What the chart calls each key (its legend, the bars' titles and labels).
ROLE_NAMES = {
    "creator": gettext_lazy("Creator"),
    "contributors": gettext_lazy("Contributors"),
    "platform": gettext_lazy("Platform"),
}


def _finance_only(request) -> None:
    refusal = rules.may_do_finance(is_finance=is_finance(request.user))
    if refusal is not None:
        raise PermissionDenied(refusal.message)


@login_required
def finance_console(request):
    _finance_only(request)
    products = selectors.finance_products()
    return _console(request, products, PeriodRecordForm(products=products))


@login_required
@require_POST
@once_per_submission
def period_record_page(request):
    """The console's "Record period" form: amounts as typed, in the product's currency."""
    _finance_only(request)
    products = selectors.finance_products()
    form = PeriodRecordForm(request.POST, products=products)
    if form.is_valid():
        data = dict(form.cleaned_data)
        product = form.products[data.pop("product")]
        try:
            services.period_record(product=product, actor=request.user, **data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, gettext("Period recorded."))
            return redirect(reverse("payouts:finance") + "#periods-h")
    return _console(request, products, form, status=400)


def _console(request, products, period_form, *, status: int = 200):
    overview = selectors.finance_overview()
    bars = charts.stacked_bars([{"label": cur, **row} for cur, row in overview.items()], ROLE_KEYS)
    for bar in bars:
        for part in bar["parts"]:
            part["name"] = ROLE_NAMES[part["key"]]
    currencies = sorted(set(settings.CURRENCIES) | {p.currency for p in products})
    return render(
        request,
        "payouts/finance.html",
        {
            "period_form": period_form,
            "products": products,
            "periods": selectors.recent_periods(),
            "settlements": selectors.recent_settlements(),
            "bars": bars,
            "legend": [
                (ROLE_NAMES[k], c) for k, c in zip(ROLE_KEYS, charts.COLORS, strict=False)
            ],  # same order as bars
            "batches": _with_bank_files(selectors.recent_batches(limit=50)),
            "next_business_day": target2.next_business_day(),
            "currencies": currencies,
            "account_kinds": AccountKind.choices,
            "members": selectors.ledger_members(),
            "minimum_payout": settings.MINIMUM_PAYOUT,
            "default_currency": settings.DEFAULT_CURRENCY,
            "four_eyes": settings.SETTLEMENT_SECOND_APPROVER,
        },
        status=status,
    )


@login_required
def settlement_page(request, settlement_id: int):
    _finance_only(request)
    settlement = _settlement_or_404(settlement_id)
    return _settlement_render(request, settlement)


def _settlement_or_404(settlement_id: int) -> Settlement:
    settlement = selectors.settlement_get(settlement_id=settlement_id)
    if settlement is None:
        raise Http404("No such settlement.")
    return settlement


def _settlement_render(request, settlement: Settlement, *, forms=None, status: int = 200):
    ready = settlement.status in (
        SettlementStatus.PREVIEW,
        SettlementStatus.POSTED,
        SettlementStatus.REVERSED,
    )
    lines = selectors.settlement_lines(settlement=settlement)
    page = Paginator(lines if ready else lines.none(), 50).get_page(request.GET.get("page"))
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
            "segments": _segments(settlement) if ready else [],
            "can_approve": settlement.status == SettlementStatus.PREVIEW
            and settlement.approved_by_id is None
            and not four_eyes_blocked,
            "four_eyes_blocked": four_eyes_blocked,
            "roles": LineRole,
            **_correction_context(request, settlement),
            **(forms or {}),
        },
        status=status,
    )


def _segments(settlement: Settlement) -> list[dict]:
    contributors = selectors.settlement_top_lines(settlement=settlement)
    for i, part in enumerate(contributors):
        part["color"] = charts.CONTRIBUTOR_SHADES[i % len(charts.CONTRIBUTOR_SHADES)]
    parts = [
        {"label": gettext("Creator"), "amount": settlement.creator_amount, "color": charts.CREATOR},
        *contributors,
        {
            "label": gettext("Platform"),
            "amount": settlement.platform_amount,
            "color": charts.PLATFORM,
        },
    ]
    return charts.donut(parts)


def _correction_context(request, settlement: Settlement) -> dict:
    """Which of Discard, Request reversal and Approve reversal this reader may use (the rules
    the services check), with their forms."""
    requested = settlement.reversal_requested_by_id is not None
    approve_refusal = rules.may_approve_reversal(
        actor_id=request.user.pk,
        requested_by_id=settlement.reversal_requested_by_id,
        status=settlement.status,
    )
    return {
        "can_discard": rules.may_discard_settlement(
            status=settlement.status, approved=settlement.approved_by_id is not None
        )
        is None,
        "can_request_reversal": rules.may_request_reversal(
            status=settlement.status, requested=requested
        )
        is None,
        "can_approve_reversal": approve_refusal is None,
        "reversal_waiting": requested and settlement.status == SettlementStatus.POSTED,
        "discard_form": ReasonForm(prefix="discard"),
        "reverse_form": ReasonForm(prefix="reverse"),
    }


def _settlement_action(request, settlement_id: int, action, *, prefix: str | None, done: str):
    """Run one settlement service from a page form; back to the page with the message, or the
    page again with the error on the form."""
    _finance_only(request)
    settlement = _settlement_or_404(settlement_id)
    form = ReasonForm(request.POST, prefix=prefix) if prefix else None
    if form is None or form.is_valid():
        extra = {"reason": form.cleaned_data["reason"]} if form else {}
        try:
            action(settlement=settlement, actor=request.user, **extra)
        except ApplicationError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("payouts:settlement", settlement.pk)
            add_application_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("payouts:settlement", settlement.pk)
    settlement = _settlement_or_404(settlement_id)
    return _settlement_render(request, settlement, forms={f"{prefix}_form": form}, status=400)


@login_required
@require_POST
@once_per_submission
def settlement_discard_page(request, settlement_id: int):
    return _settlement_action(
        request,
        settlement_id,
        services.settlement_discard,
        prefix="discard",
        done=gettext("Preview discarded: the period can be settled again."),
    )


@login_required
@require_POST
@once_per_submission
def settlement_reverse_page(request, settlement_id: int):
    return _settlement_action(
        request,
        settlement_id,
        services.settlement_reversal_request,
        prefix="reverse",
        done=gettext("Reversal requested: a second finance member approves it."),
    )


@login_required
@require_POST
@once_per_submission
def settlement_reverse_approve_page(request, settlement_id: int):
    return _settlement_action(
        request,
        settlement_id,
        services.settlement_reversal_approve,
        prefix=None,
        done=gettext("Reversal posted: the settlement nets to zero."),
    )


@login_required
@once_per_submission
def period_page(request, period_id: int):
    """Correct a period (GET shows the form, POST saves it) while it has no live settlement."""
    _finance_only(request)
    period = selectors.period_get(period_id=period_id)
    if period is None:
        raise Http404("No such period.")
    form = PeriodCorrectForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_correct(period=period, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, gettext("Period corrected."))
            return redirect(reverse("payouts:finance") + "#periods-h")
    live = period.settlement
    refusal = rules.may_change_period(settlement_status=live.status if live else None)
    return render(
        request,
        "payouts/period.html",
        {"period": period, "form": form, "refusal": refusal, "settlement": live},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
@once_per_submission
def period_delete_page(request, period_id: int):
    _finance_only(request)
    period = selectors.period_get(period_id=period_id)
    if period is None:
        raise Http404("No such period.")
    try:
        services.period_delete(period=period, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("payouts:period", period.pk)
    messages.success(request, gettext("Period deleted."))
    return redirect(reverse("payouts:finance") + "#periods-h")


@login_required
def earnings_page(request, destination_form=None, status: int = 200):
    member_id = request.user.pk
    shares = selectors.member_shares(member_id=member_id)
    balances = sorted(selectors.member_balances(member_id=member_id).items())
    earnings = selectors.member_earnings(member_id=member_id)
    destination = destinations.destination_of(request.user)
    return render(
        request,
        "payouts/earnings.html",
        {
            "balances": balances,
            "earnings": earnings,
            "totals": [
                (
                    currency,
                    earnings.lifetime.get(currency, 0),
                    earnings.pending.get(currency, 0),
                    earnings.paid.get(currency, 0),
                    dict(balances).get(currency, 0),
                )
                for currency in sorted(set(earnings.currencies) | {c for c, _ in balances})
            ],
            "shares": Paginator(shares, 50).get_page(request.GET.get("page")),
            "payouts": selectors.member_payouts(member_id=member_id)[:100],
            "minimum_payout": settings.MINIMUM_PAYOUT,
            "destination": destination,
            "destination_form": destination_form
            or DestinationForm(initial={"kind": destination.kind if destination else "iban"}),
            # Owed a payout but nowhere to send it: say so, and what to do.
            "held_back": destination is None
            and any(amount >= settings.MINIMUM_PAYOUT for _, amount in balances),
        },
        status=status,
    )


@login_required
@require_POST
@once_per_submission
def destination_page(request):
    form = DestinationForm(request.POST)
    if form.is_valid():
        try:
            destinations.destination_set(
                member=request.user,
                actor=request.user,
                address=client_ip(request),
                **form.cleaned_data,
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, gettext("Saved: payouts go to your new destination from now on.")
            )
            return redirect(reverse("payouts:earnings") + "#destination")
    return earnings_page(request, destination_form=form, status=400)


def _with_bank_files(batches) -> list:
    """The batches, each with ``bank_file`` (its made SEPA file and the payees it left out)."""
    batches = list(batches)
    summaries = bank_files.bank_file_summaries(batches)
    for batch in batches:
        batch.bank_file_summary = summaries.get(batch.pk)
    return batches


@login_required
def earnings_statement(request):
    return statement_response(request.user.pk)
