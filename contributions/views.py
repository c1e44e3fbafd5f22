"""Pages: the product list, the product page (mostly its contribution table) and the reviewer
queue of pending claims. The buttons work without JavaScript; site.js-based code on the pages
calls the API instead so that endorsing and deciding do not reload the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission
from core.media import serve_stored_file
from ideas.selectors import idea_product_id
from payouts.rules import BP, CREATOR_SHARE_BP

from . import rules
from .forms import ApproveForm, ClaimForm, RejectForm
from .hooks import product_life_box, product_money_links, product_settlements
from .models import ContributionKind
from .selectors import (
    contribution_get,
    contribution_open_claims,
    contribution_pending_queue,
    product_get,
    product_list,
)
from .services import (
    MAX_REASON,
    contribution_approve,
    contribution_endorse,
    contribution_reject,
    contribution_submit,
)
from .standings import standings, with_totals

TABLE_PAGE_SIZE = 100


def products(request):
    page = Paginator(product_list(viewer=request.user), 24).get_page(request.GET.get("page"))
    page.object_list = with_totals(list(page.object_list))
    return render(request, "contributions/product_list.html", {"page": page})


def _product_context(request, product, form=None) -> dict:
    user = request.user
    idea = product.idea
    table = standings(idea=idea)
    viewer = user if user.is_authenticated else None
    open_claims = contribution_open_claims(idea=idea, viewer=viewer)
    claim_refusal = rules.may_claim(member=user, product=product)
    pool_bp = BP - CREATOR_SHARE_BP - product.platform_fee_bp
    return {
        "product": product,
        "idea": idea,
        "table": table,
        # A product with many thousands of contributors shows its table a page at a time.
        "table_page": Paginator(table, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
        "total_points": table.total_points,
        "table_updating": table.updating,
        "open_claims": open_claims,
        "sees_all_claims": rules.may_see_all_claims(idea=idea, viewer=viewer) is None,
        "claim_refusal": claim_refusal,
        "form": form or (None if claim_refusal else ClaimForm()),
        "fee_percent": f"{product.platform_fee_bp / 100:g}",
        # payouts (to the right) composes the settlement history: contributions.hooks
        "settlements": product_settlements(product_id=product.pk),
        "pool_percent": f"{pool_bp / 100:g}",
        # products (to the right) composes the product's life and money panels
        "life_box": product_life_box(product=product, member=user),
        # sales (to the right) says which money pages the viewer may open
        "money_links": product_money_links(product=product, viewer=viewer),
    }


def product_detail(request, product_id: int):
    product = product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise Http404("No such product.")
    return render(request, "contributions/product_detail.html", _product_context(request, product))


@login_required
@require_POST
@once_per_submission
def product_claim(request, product_id: int):
    product = product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise Http404("No such product.")
    form = ClaimForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            contribution_submit(product=product, member=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(request, gettext("Thank you! Your claim is waiting for a reviewer."))
            return redirect("contributions:product", product_id=product.pk)
    context = _product_context(request, product, form=form)
    return render(request, "contributions/product_detail.html", context, status=400)


@login_required
@require_POST
@once_per_submission
def contribution_endorse_view(request, contribution_id: int):
    contribution = _contribution_or_404(contribution_id)
    try:
        contribution_endorse(contribution=contribution, actor=request.user)
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("You endorsed the claim."))
    product_id = idea_product_id(contribution.idea)
    return redirect("contributions:product", product_id=product_id) if product_id else redirect("/")


def _contribution_or_404(contribution_id: int):
    contribution = contribution_get(contribution_id=contribution_id)
    if contribution is None:
        raise Http404("No such contribution.")
    return contribution


def _check_reviewer(request) -> None:
    refusal = rules.may_review(member=request.user)
    if refusal is not None:
        raise PermissionDenied(refusal.message)


@login_required
def review_queue(request):
    _check_reviewer(request)
    kind = request.GET.get("kind", "")
    if kind not in ContributionKind.values:
        kind = ""
    endorsed = request.GET.get("endorsed") == "1"
    page = Paginator(contribution_pending_queue(kind=kind, endorsed=endorsed), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "max_reason": MAX_REASON,
        "kinds": ContributionKind.choices,
        "kind": kind,
        "endorsed": endorsed,
    }
    return render(request, "contributions/review_queue.html", context)


def _decide_view(request, contribution_id: int, *, approve: bool):
    _check_reviewer(request)
    contribution = _contribution_or_404(contribution_id)
    form = (ApproveForm if approve else RejectForm)(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
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
        messages.success(
            request, gettext("Claim approved.") if approve else gettext("Claim rejected.")
        )
    return redirect("contributions:review_queue")


@login_required
@require_POST
@once_per_submission
def review_approve(request, contribution_id: int):
    return _decide_view(request, contribution_id, approve=True)


@login_required
@require_POST
@once_per_submission
def review_reject(request, contribution_id: int):
    return _decide_view(request, contribution_id, approve=False)


@require_safe
def contribution_evidence(request, contribution_id: int):
    """A claim's evidence file: public once approved; until then only the claimant, the idea's
    creator and reviewers (``rules.may_see``). Anyone else gets 404, as if there were none."""
    contribution = contribution_get(contribution_id=contribution_id)
    if contribution is None or not contribution.evidence_file:
        raise Http404("No evidence file.")
    if rules.may_see(contribution=contribution, viewer=request.user) is not None:
        raise Http404("No evidence file.")
    return serve_stored_file(request, contribution.evidence_file)
