"""The money pages: submitting an expense (the product's team), and finance's expense queue
(paginated, filtered) where finance approves, rejects and marks expenses paid. Plain forms; the
services check every rule and their refusals are shown on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.roles import is_finance
from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission

from .. import selectors as product_selectors
from . import access, selectors
from .api import submit_from
from .forms import ExpenseForm, QueueFilterForm, ReasonForm, ReferenceForm
from .services import expenses as services

QUEUE_PAGE_SIZE = 25


def _product(request, product_id: int):
    product = product_selectors.product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise Http404("No such product.")
    return product


@login_required
@once_per_submission
def expense_new(request, product_id: int):
    product = _product(request, product_id)
    if not access.manages(product, request.user):
        raise PermissionDenied(gettext("Only the product's creator and team may submit expenses."))
    form = ExpenseForm(request.POST or None, request.FILES or None, currency=product.currency)
    if request.method == "POST" and form.is_valid():
        try:
            submit_from(form.cleaned_data, product=product, member=request.user)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, gettext("Your expense is waiting for finance."))
            return redirect(product_page(product))
    status = 400 if request.method == "POST" else 200
    context = {"product": product, "form": form, "idea": product.idea}
    return render(request, "products/expense_new.html", context, status=status)


def product_page(product) -> str:
    return f"/products/{product.pk}/#expenses"


def _finance_only(request) -> None:
    if not is_finance(request.user):
        raise PermissionDenied(gettext("Only finance staff may do this."))


@login_required
def finance_expenses(request):
    _finance_only(request)
    filters = QueueFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    queue = selectors.expense_queue(
        status=chosen.get("status") or "",
        charged_to=chosen.get("charged_to") or "",
        product_id=chosen.get("product"),
    )
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "reason_form": ReasonForm(),
        "reference_form": ReferenceForm(),
    }
    return render(request, "products/finance_expenses.html", context)


@login_required
@require_POST
@once_per_submission
def expense_act(request, expense_id: int, action: str):
    """Approve, reject (with a reason) or mark paid (with a reference), back to the queue."""
    _finance_only(request)
    expense = selectors.expense_get(expense_id=expense_id)
    if expense is None:
        raise Http404("No such expense.")
    try:
        if action == "approve":
            services.expense_approve(expense=expense, actor=request.user)
            messages.success(request, gettext("The expense is approved."))
        elif action == "reject":
            services.expense_reject(
                expense=expense, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, gettext("The expense is rejected."))
        elif action == "mark-paid":
            services.expense_mark_paid(
                expense=expense, actor=request.user, reference=request.POST.get("reference", "")
            )
            messages.success(request, gettext("The expense is marked paid."))
        else:
            raise Http404("No such action.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("products:finance-expenses")
