from django.db.models import Q, QuerySet

from accounts.models import User
from contributions.selectors import contributions_approved_of
from funding.selectors import backer_ids
from ideas.models import Idea
from ideas.selectors import ideas_public
from payouts.selectors import member_earnings

from .models import IdeaFollow, IdeaUpdate, MemberFollow


def idea_audience(*, idea: Idea, exclude=None) -> QuerySet[User]:
    """Who hears of the idea's updates: its backers (a pledge that stands or was collected)
    and its followers, each once."""
    qs = User.objects.filter(
        Q(pk__in=backer_ids(idea_id=idea.pk))
        | Q(pk__in=IdeaFollow.objects.filter(idea=idea).values("member_id")),
        is_active=True,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def member_followers(*, member) -> QuerySet[User]:
    return User.objects.filter(following__followed=member, is_active=True)


def idea_updates(*, idea: Idea) -> QuerySet[IdeaUpdate]:
    return IdeaUpdate.objects.filter(idea=idea).select_related("author")


def follows_idea(*, idea: Idea, member) -> bool:
    return member.is_authenticated and IdeaFollow.objects.filter(idea=idea, member=member).exists()


def idea_follower_count(*, idea: Idea) -> int:
    return IdeaFollow.objects.filter(idea=idea).count()


def follows_member(*, followed, follower) -> bool:
    return (
        follower.is_authenticated
        and MemberFollow.objects.filter(followed=followed, follower=follower).exists()
    )


def member_by_username(username: str) -> User | None:
    """The active member with this username; None for a name no username can be (a NUL
    character made PostgreSQL refuse the query: a 500 on /members/%00/)."""
    if not username or len(username) > 150 or not username.isprintable():
        return None
    return User.objects.filter(username=username, is_active=True).first()


def member_ideas(*, member) -> QuerySet[Idea]:
    return ideas_public().filter(creator=member).order_by("-published_at", "-id")


PROFILE_CONTRIBUTIONS = 50


def member_profile(*, member, viewer) -> dict:
    """What a profile shows besides the member's ideas, for the page and the API: followers,
    whether ``viewer`` follows them, their latest approved contributions, and their lifetime
    earnings (currency → minor units) only when they chose to show them (else None)."""
    return {
        "followers": member_followers(member=member).count(),
        "following": follows_member(followed=member, follower=viewer),
        "contributions": list(contributions_approved_of(member=member)[:PROFILE_CONTRIBUTIONS]),
        "earned": member_earnings(member_id=member.pk).lifetime
        if member.profile_shows_earnings
        else None,
    }
