"""The creator's product workspace: move the stage, plan and meet milestones, add team members,
ask for (or, as a reviewer, confirm) an abandonment. Plain forms; the services check the rules."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.roles import is_reviewer
from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission

from . import rules, selectors, services
from .forms import AbandonForm, MilestoneDoneForm, MilestoneForm, StageForm, TeamForm
from .life_models import Stage
from .pages import product_box


def _product(request, product_id: int):
    product = selectors.product_get(product_id=product_id, viewer=request.user)
    if product is None:
        raise Http404("No such product.")
    refusal = rules.may_manage_product(product=product, member=request.user)
    if refusal is not None and not is_reviewer(request.user):
        raise PermissionDenied(refusal.message)
    return product


def _context(request, product, bound: dict) -> dict:
    user = request.user
    box = product_box(product=product, member=user)
    life = box["strip"]["life"]
    updates = selectors.recent_updates(idea=product.idea)
    open_ones = [m for m in box["milestones"] if m.done_at is None]
    ended = life.stage == Stage.ENDED
    abandonment = box["abandonment"]
    silent = selectors.silent_since(product=product)
    may_ask = rules.may_ask_abandonment(
        product=product, life=life, actor=user, silent_since=silent, now=timezone.now()
    )
    return {
        "product": product,
        "idea": product.idea,
        "box": box,
        "team": selectors.product_team(product=product),
        "may_move": not ended
        and rules.may_move_stage(product=product, life=life, actor=user, to_stage=Stage.ENDED)
        is None,
        "may_plan": rules.may_plan(product=product, life=life, member=user) is None,
        "may_add_team": rules.may_manage_team(product=product, actor=user) is None,
        "may_ask": abandonment is None and may_ask is None,
        "may_confirm": abandonment is not None
        and rules.may_confirm_abandonment(abandonment=abandonment, actor=user) is None,
        "stage_form": bound.get("stage") or StageForm(prefix="stage", after=life.stage),
        "milestone_form": bound.get("milestone") or MilestoneForm(prefix="ms"),
        "done_forms": [
            (
                m,
                bound.get(f"done{m.pk}")
                or MilestoneDoneForm(prefix=f"done{m.pk}", updates=updates),
            )
            for m in open_ones
        ],
        "team_form": bound.get("team") or TeamForm(prefix="team"),
        "abandon_form": bound.get("abandon") or AbandonForm(prefix="abandon"),
    }


@login_required
def workspace(request, product_id: int):
    product = _product(request, product_id)
    return render(request, "products/workspace.html", _context(request, product, {}))


def _again(request, product, key: str, form):
    """The workspace again, with ``form`` bound and its errors."""
    context = _context(request, product, {key: form})
    return render(request, "products/workspace.html", context, status=400)


def _run(request, product, action, success: str, *, key: str = "", form=None):
    """Run ``action`` (with the valid ``form``'s data, or ``{}`` without a form) and go back to
    the workspace with ``success``; a refusal shows the page again with the form (without one:
    as a message)."""
    if form is not None and not form.is_valid():
        return _again(request, product, key, form)
    try:
        action(form.cleaned_data if form is not None else {})
    except ApplicationError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("products:workspace", product_id=product.pk)
        add_application_error(form, exc)
        return _again(request, product, key, form)
    messages.success(request, success)
    return redirect("products:workspace", product_id=product.pk)


def workspace_post(view):
    """A workspace form's POST: signed in, once per submission, for a product the member may
    manage (``view(request, product, **kwargs)``)."""

    @login_required
    @require_POST
    @once_per_submission
    @functools.wraps(view)
    def post(request, product_id: int, **kwargs):
        return view(request, _product(request, product_id), **kwargs)

    return post


@workspace_post
def stage_move(request, product):
    life = selectors.life_of(product)
    form = StageForm(request.POST, prefix="stage", after=life.stage)
    return _run(
        request,
        product,
        lambda d: services.product_stage_move(product=product, actor=request.user, **d),
        gettext("The product moved on."),
        key="stage",
        form=form,
    )


@workspace_post
def milestone_new(request, product):
    return _run(
        request,
        product,
        lambda d: services.milestone_add(product=product, actor=request.user, **d),
        gettext("Milestone added."),
        key="milestone",
        form=MilestoneForm(request.POST, prefix="ms"),
    )


@workspace_post
def milestone_done(request, product, milestone_id: int):
    milestone = selectors.milestone_get(product=product, milestone_id=milestone_id)
    if milestone is None:
        raise Http404("No such milestone.")
    updates = selectors.recent_updates(idea=product.idea)
    key = f"done{milestone.pk}"
    form = MilestoneDoneForm(request.POST, prefix=key, updates=updates)

    def done(d):
        update = (
            selectors.update_of_idea(idea=product.idea, update_id=d["update"])
            if d["update"]
            else None
        )
        services.milestone_change(
            milestone=milestone, actor=request.user, done=True, note=d["note"], update=update
        )

    return _run(request, product, done, gettext("Milestone met."), key=key, form=form)


@workspace_post
def team_add(request, product):
    def add(d):
        member = selectors.member_by_username(d["username"])
        if member is None:
            raise ApplicationError(
                gettext("No member has this username."),
                fields={"username": [gettext("No member has this username.")]},
            )
        services.product_team_add(product=product, actor=request.user, member=member)

    form = TeamForm(request.POST, prefix="team")
    return _run(request, product, add, gettext("Added to the team."), key="team", form=form)


@workspace_post
def abandon_ask(request, product):
    return _run(
        request,
        product,
        lambda d: services.abandonment_ask(product=product, actor=request.user, **d),
        gettext("Asked: a reviewer confirms the abandonment."),
        key="abandon",
        form=AbandonForm(request.POST, prefix="abandon"),
    )


@workspace_post
def abandon_confirm(request, product):
    return _run(
        request,
        product,
        lambda d: services.abandonment_confirm(product=product, actor=request.user),
        gettext("The product is abandoned; its backers are refunded."),
    )
