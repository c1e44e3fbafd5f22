"""Pages: verify.py for anyone; a product's profit and loss for its people; finance's sales
page (files with a progress bar, adjustments and their approval)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import is_finance
from core.errors import ApplicationError
from core.idempotency import once_per_submission

from . import forms, pages, rules, selectors, services
from .messages import import_error_text
from .verifier import verify_source


@require_GET
def verify_py(request):
    """The verifier anyone can download and run: ``python3 -I verify.py report.json``."""
    response = HttpResponse(verify_source(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify.py"'
    return response


def _product_or_404(product_id: int):
    product = selectors.product_get(product_id=product_id)
    if product is None:
        raise Http404("No such product.")
    return product


@login_required
@require_GET
def product_profit(request, product_id: int):
    """The product's profit and loss: for its creator, backers, contributors and finance."""
    product = _product_or_404(product_id)
    if not selectors.may_see_profit(product=product, viewer=request.user):
        raise PermissionDenied(
            gettext("Only the product's creator, backers, contributors and finance see this.")
        )
    context = pages.profit_context(product=product, viewer=request.user)
    return render(request, "sales/profit.html", context)


def _finance_only(request) -> None:
    refusal = rules.may_record_sales(is_finance=is_finance(request.user))
    if refusal is not None:
        raise PermissionDenied(refusal.message)


@login_required
def product_sales(request, product_id: int):
    """Finance's sales page: upload a file (progress bar), propose and approve adjustments."""
    _finance_only(request)
    product = _product_or_404(product_id)
    jobs = [
        {"job": job, "error": import_error_text(code=job.error_code, row=job.error_row,
                                                params=job.error_params) if job.error_code else ""}
        for job in selectors.import_jobs(product_id=product.pk)
    ]  # fmt: skip
    context = {
        "product": product,
        "jobs": jobs,
        "upload_form": forms.ImportForm(),
        "adjustment_form": forms.AdjustmentForm(),
        "pending": selectors.pending_adjustments(product_id=product.pk),
    }
    return render(request, "sales/sales.html", context)


@login_required
@require_POST
@once_per_submission
def product_sales_upload(request, product_id: int):
    _finance_only(request)
    product = _product_or_404(product_id)
    form = forms.ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.sales_import_start(
                product=product, format=form.cleaned_data["format"],
                upload=form.cleaned_data["file"], actor=request.user,
            )  # fmt: skip
            messages.success(request, gettext("The file is being imported."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, gettext("Choose a format and a file."))
    return redirect("sales:product-sales", product_id=product.pk)


@login_required
@require_POST
@once_per_submission
def product_adjustment_propose(request, product_id: int):
    _finance_only(request)
    product = _product_or_404(product_id)
    form = forms.AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.adjustment_propose(
                product=product, day=form.cleaned_data["date"], side=form.cleaned_data["side"],
                amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"],
                actor=request.user,
            )  # fmt: skip
            messages.success(
                request, gettext("Adjustment proposed: another finance member approves it.")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, gettext("Fill in the date, side, amount and reason."))
    return redirect("sales:product-sales", product_id=product.pk)


@login_required
@require_POST
@once_per_submission
def adjustment_approve_view(request, adjustment_id: int):
    _finance_only(request)
    adjustment = selectors.adjustment_get(adjustment_id=adjustment_id)
    if adjustment is None:
        raise Http404("No such adjustment.")
    try:
        services.adjustment_approve(adjustment=adjustment, actor=request.user)
        messages.success(request, gettext("Adjustment approved."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("sales:product-sales", product_id=adjustment.product_id)
