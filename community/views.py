"""Profiles, following, creator updates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.limits import wait_sentence
from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission
from core.net import client_ip
from core.throttles import limit_wait
from funding.pages import cards_with_funding
from ideas.selectors import idea_get

from . import selectors, services
from .forms import IdeaUpdateForm


def _idea(request, idea_id: int):
    idea = idea_get(idea_id=idea_id, user=request.user)
    if idea is None:
        raise Http404("No such idea.")
    return idea


def _limited(request, scope: str) -> HttpResponse | None:
    """A 429 page when the member or their address went past ``<scope>_user|ip`` (creator
    updates e-mail every backer and follower; follows tell the followed), else None."""
    wait = limit_wait(scope, [("user", str(request.user.pk)), ("ip", client_ip(request))])
    if wait is None:
        return None
    message = gettext("You are doing this too often: try again in %(wait)s.") % {
        "wait": wait_sentence(wait)
    }
    response = render(request, "core/limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _member(username: str):
    member = selectors.member_by_username(username)
    if member is None:
        raise Http404("No such member.")
    return member


@login_required
@require_POST
@once_per_submission
def idea_follow(request, idea_id: int):
    idea = _idea(request, idea_id)
    if (limited := _limited(request, "follow")) is not None:
        return limited
    try:
        if request.POST.get("follow") == "0":
            services.idea_unfollow(idea=idea, member=request.user)
            messages.success(request, gettext("You no longer follow this idea."))
        else:
            services.idea_follow(idea=idea, member=request.user)
            messages.success(
                request, gettext("You follow this idea: its creator's updates will reach you.")
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(idea.get_absolute_url())


@login_required
@once_per_submission
def idea_update_new(request, idea_id: int):
    """The creator's update: posted from the form on the idea page; shown again here, with
    what was typed, when it needs correcting."""
    idea = _idea(request, idea_id)
    form = IdeaUpdateForm(request.POST or None)
    if request.method == "POST" and (limited := _limited(request, "update")) is not None:
        return limited
    if request.method == "POST" and form.is_valid():
        try:
            update = services.idea_update_post(
                idea=idea, author=request.user, body=form.cleaned_data["body"]
            )
        except ApplicationError as exc:
            add_application_error(form, exc)
        else:
            messages.success(
                request, gettext("Your update is posted; your backers and followers are told.")
            )
            return redirect(update.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "community/update_form.html", {"form": form, "idea": idea}, status=status
    )


def profile(request, username: str):
    member = _member(username)
    ideas = Paginator(selectors.member_ideas(member=member), 12).get_page(request.GET.get("page"))
    shown = selectors.member_profile(member=member, viewer=request.user)
    return render(
        request,
        "community/profile.html",
        {
            "member": member,
            "ideas": ideas,
            "cards": cards_with_funding(ideas=ideas.object_list),
            "contributions": shown["contributions"],
            "earned": None if shown["earned"] is None else sorted(shown["earned"].items()),
            "is_self": request.user.pk == member.pk,
            "follows": shown["following"],
            "follower_count": shown["followers"],
        },
    )


@login_required
@require_POST
@once_per_submission
def member_follow(request, username: str):
    member = _member(username)
    if (limited := _limited(request, "follow")) is not None:
        return limited
    try:
        if request.POST.get("follow") == "0":
            services.member_unfollow(followed=member, follower=request.user)
            messages.success(
                request, gettext("You no longer follow %(name)s.") % {"name": member.public_name}
            )
        else:
            services.member_follow(followed=member, follower=request.user)
            messages.success(
                request,
                gettext("You follow %(name)s: you will hear when they publish an idea.")
                % {"name": member.public_name},
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("community:profile", username=member.username)
