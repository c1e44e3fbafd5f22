"""Pages: finance's payments to collect (``/finance/payments/``: filters, pages, confirm or
refuse, a CSV of what is outstanding), and the backer's trips through Stripe Checkout (save a
card at pledge time, pay again after a failed charge)."""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.roles import is_finance
from core import outages
from core.errors import ApplicationError
from core.idempotency import once_per_submission
from core.net import safe_next
from funding.models import PaymentStatus, PledgeStatus
from funding.payments import payment_code
from funding.services import payment_confirm, payment_refuse
from payouts.exports.cells import Money, csv_stream

from . import selectors, stripe_adapter

if TYPE_CHECKING:  # annotations only: funding's rows are read through payments.selectors
    from funding.models import Payment, Pledge

OUTSTANDING_COLUMNS = [
    "payment_id",
    "pledge_id",
    "reference_code",
    "backer",
    "idea",
    "currency",
    "amount",
    "due_at",
    "status",
]


def _finance_only(request) -> None:
    if not is_finance(request.user):
        raise PermissionDenied(gettext("Only finance staff may see payments."))


@login_required
def payments_page(request):
    _finance_only(request)
    filters = selectors.PaymentFilters.from_query(request.GET)
    page = Paginator(selectors.payments_to_collect(filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/finance_payments.html",
        {
            "page": page,
            "filters": filters,
            "statuses": PaymentStatus.choices,
            "ideas": selectors.funded_ideas(),
            "currencies": selectors.payment_currencies(),
            "counts": selectors.open_counts(),
        },
    )


@login_required
def outstanding_csv(request):
    _finance_only(request)
    rows = (
        [
            p.pk,
            p.pledge_id,
            payment_code(p.pledge_id),
            p.pledge.member.public_name,
            p.pledge.idea.title,
            p.currency,
            Money(p.amount, p.currency),
            p.due_at,
            p.status,
        ]
        for p in selectors.payments_to_collect(selectors.PaymentFilters(status="open")).iterator()
    )
    response = StreamingHttpResponse(csv_stream(OUTSTANDING_COLUMNS, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="payments-outstanding.csv"'
    return response


def _decide(request, payment_id: int, act, field: str, done: str):
    _finance_only(request)
    payment = selectors.payment_find(payment_id=payment_id)
    if payment is None:
        raise Http404("No such payment.")
    try:
        act(payment=payment, actor=request.user, **{field: request.POST.get(field, "")})
    except ApplicationError as exc:
        messages.error(
            request, gettext("Payment %(id)s: %(why)s") % {"id": payment.pk, "why": exc.message}
        )
    else:
        messages.success(
            request, done % {"id": payment.pk, "code": payment_code(payment.pledge_id)}
        )
    return redirect(safe_next(request, "/finance/payments/"))


@login_required
@require_POST
@once_per_submission
def payment_confirm_page(request, payment_id: int):
    return _decide(
        request,
        payment_id,
        payment_confirm,
        "reference",
        gettext("Payment %(id)s (%(code)s) confirmed as received."),
    )


@login_required
@require_POST
@once_per_submission
def payment_refuse_page(request, payment_id: int):
    return _decide(
        request,
        payment_id,
        payment_refuse,
        "reason",
        gettext("Payment %(id)s (%(code)s) refused; the backer is told."),
    )


# --- The backer and Stripe Checkout -------------------------------------------------------------


def stripe_route(view):
    """A trip through Stripe: 404 unless the Stripe adapter is on; 503 (try again) when Stripe
    cannot be reached; 404 for a Checkout session Stripe does not know."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.PAYMENT_ADAPTER != "stripe":
            raise Http404("Payments by card are not in use.")
        try:
            return view(request, *args, **kwargs)
        except stripe.APIConnectionError:
            return outages.unavailable_response(request)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                raise Http404("No such Checkout session.") from None
            raise

    return wrapped


def _own_pledge(request, pledge_id: int) -> Pledge:
    pledge = selectors.pledge_find(pledge_id=pledge_id, member=request.user)
    if pledge is None:
        raise Http404("No such pledge.")
    return pledge


@login_required
@stripe_route
def save_method(request, pledge_id: int):
    """After pledging (Stripe): off to Checkout to save a card; nothing is charged."""
    pledge = _own_pledge(request, pledge_id)
    if pledge.status != PledgeStatus.ACTIVE:
        return redirect(pledge.idea.get_absolute_url() + "#funding-area")
    return redirect(stripe_adapter.checkout_for_setup(pledge))


@login_required
@stripe_route
def method_saved(request, pledge_id: int):
    pledge = _own_pledge(request, pledge_id)
    try:
        stripe_adapter.method_saved(pledge, request.GET.get("session_id", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("Your card is saved. Nothing is charged unless the goal is met."),
        )
    return redirect(pledge.idea.get_absolute_url() + "#funding-area")


def _own_payment(request, payment_id: int) -> Payment:
    payment = selectors.payment_find(payment_id=payment_id, member=request.user)
    if payment is None:
        raise Http404("No such payment.")
    return payment


@login_required
@stripe_route
def pay(request, payment_id: int):
    """After a failed charge: pay again through Checkout, until the due date."""
    payment = _own_payment(request, payment_id)
    if payment.status != PaymentStatus.FAILED or payment.provider != "stripe":
        return redirect(payment.pledge.idea.get_absolute_url() + "#funding-area")
    return redirect(stripe_adapter.checkout_to_pay(payment))


@login_required
@stripe_route
def paid(request, payment_id: int):
    payment = _own_payment(request, payment_id)
    if stripe_adapter.paid_by_checkout(payment, request.GET.get("session_id", "")):
        messages.success(request, gettext("Thank you: your payment arrived."))
    return redirect(payment.pledge.idea.get_absolute_url() + "#funding-area")
