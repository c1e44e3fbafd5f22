"""Pages: the product list, the product page (mostly its contribution table) and the reviewer
queue of pending claims. The buttons work without JavaScript; site.js-based code on the pages
calls the API instead so that endorsing and deciding do not reload the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import email_verified_or_not_required
from accounts.roles import is_reviewer
from core.errors import ApplicationError
from payouts.rules import BP, CREATOR_SHARE_BP

from .forms import ApproveForm, ClaimForm, RejectForm, add_service_errors
from .models import Contribution, ContributionStatus
from .selectors import (
    contribution_list_for_idea,
    contribution_pending_queue,
    contribution_table,
    product_get,
    product_list,
)
from .services import (
    contribution_approve,
    contribution_endorse,
    contribution_reject,
    contribution_submit,
)

TABLE_PAGE_SIZE = 100


def products(request):
    page = Paginator(product_list(viewer=request.user), 24).get_page(request.GET.get("page"))
    return render(request, "contributions/product_list.html", {"page": page})


def _product_context(request, product, form=None) -> dict:
    user = request.user
    idea = product.idea
    table = contribution_table(idea=idea)
    viewer = user if user.is_authenticated else None
    open_claims = contribution_list_for_idea(idea=idea, viewer=viewer).exclude(
        status=ContributionStatus.APPROVED
    )[:200]
    can_claim = user.is_authenticated and email_verified_or_not_required(user)
    pool_bp = BP - CREATOR_SHARE_BP - product.platform_fee_bp
    return {
        "product": product,
        "idea": idea,
        "table": table,
        # A product with many thousands of contributors shows its table a page at a time.
        "table_page": Paginator(table, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
        "total_points": sum(r.points for r in table),
        "open_claims": open_claims,
        "is_creator": user.is_authenticated and user.pk == idea.creator_id,
        "is_reviewer": is_reviewer(user),
        "can_claim": can_claim,
        "form": form or (ClaimForm() if can_claim else None),
        "fee_percent": f"{product.platform_fee_bp / 100:g}",
        "pool_percent": f"{pool_bp / 100:g}",
    }


def product_detail(request, product_id: int):
    product = product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise Http404("No such product.")
    return render(request, "contributions/product_detail.html", _product_context(request, product))


@login_required
@require_POST
def product_claim(request, product_id: int):
    product = product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise Http404("No such product.")
    form = ClaimForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            contribution_submit(product=product, member=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you! Your claim is waiting for a reviewer.")
            return redirect("contributions:product", product_id=product.pk)
    context = _product_context(request, product, form=form)
    return render(request, "contributions/product_detail.html", context, status=400)


@login_required
@require_POST
def contribution_endorse_view(request, contribution_id: int):
    contribution = get_object_or_404(
        Contribution.objects.select_related("idea"), pk=contribution_id
    )
    try:
        contribution_endorse(contribution=contribution, actor=request.user)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, "You endorsed the claim.")
    product = getattr(contribution.idea, "product", None)
    return redirect("contributions:product", product_id=product.pk) if product else redirect("/")


@login_required
def review_queue(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers may see the contribution queue.")
    page = Paginator(contribution_pending_queue(), 30).get_page(request.GET.get("page"))
    return render(request, "contributions/review_queue.html", {"page": page})


def _decide_view(request, contribution_id: int, *, approve: bool):
    if not is_reviewer(request.user):
        raise PermissionDenied("Only reviewers decide contribution claims.")
    contribution = get_object_or_404(
        Contribution.objects.select_related("idea"), pk=contribution_id
    )
    form = (ApproveForm if approve else RejectForm)(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        messages.error(request, f"{field}: {errors[0]}")
        return redirect("contributions:review_queue")
    try:
        if approve:
            contribution_approve(
                contribution=contribution, reviewer=request.user, points=form.cleaned_data["points"]
            )
        else:
            contribution_reject(
                contribution=contribution, reviewer=request.user, reason=form.cleaned_data["reason"]
            )
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, "Claim approved." if approve else "Claim rejected.")
    return redirect("contributions:review_queue")


@login_required
@require_POST
def review_approve(request, contribution_id: int):
    return _decide_view(request, contribution_id, approve=True)


@login_required
@require_POST
def review_reject(request, contribution_id: int):
    return _decide_view(request, contribution_id, approve=False)
