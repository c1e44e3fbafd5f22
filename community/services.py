"""Following, creator updates and the notices they send."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.phrases import said
from core.rules import check
from ideas.models import Idea
from ideas.rendering import render_markdown
from ideas.services.validation import check_text, fail
from notifications.services import notify

from . import (
    phrases,
    rules,
    selectors,
)
from .models import IdeaFollow, IdeaUpdate, MemberFollow

UPDATE_MAX_LENGTH = 5000


def _create_once(model, **fields) -> bool:
    """A follow row, unless it is already there (then False; races included)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def idea_follow(*, idea: Idea, member) -> bool:
    """``member`` follows the public ``idea``; True if they did not already."""
    check(rules.may_follow_idea(idea=idea))
    return _create_once(IdeaFollow, idea=idea, member=member)


def idea_unfollow(*, idea: Idea, member) -> bool:
    return IdeaFollow.objects.filter(idea=idea, member=member).delete()[0] > 0


def member_follow(*, followed, follower) -> bool:
    check(rules.may_follow_member(followed=followed, follower=follower))
    return _create_once(MemberFollow, followed=followed, follower=follower)


def member_unfollow(*, followed, follower) -> bool:
    return MemberFollow.objects.filter(followed=followed, follower=follower).delete()[0] > 0


@transaction.atomic
def idea_update_post(*, idea: Idea, author, body: str) -> IdeaUpdate:
    """The creator's news on their public idea, told to its backers and followers (in the
    site, and by e-mail as each of them chose)."""
    check(rules.may_post_update(idea=idea, member=author))
    fields: dict[str, list[str]] = {}
    body = check_text(
        fields, "body", body, max_length=UPDATE_MAX_LENGTH, label=gettext("the update")
    )
    fail(fields)
    update = IdeaUpdate.objects.create(
        idea=idea, author=author, body=body, body_html=render_markdown(body, comment=True)
    )
    notify(
        recipients=selectors.idea_audience(idea=idea, exclude=author),
        kind="creator_update",
        message=said(
            phrases.UPDATE_POSTED,
            name=author.public_name,
            title=idea.title,
        ),
        url=update.get_absolute_url(),
    )
    return update


def followers_tell_of_new_idea(*, idea: Idea) -> None:
    """``ideas.hooks.idea_published``: the creator's followers hear of the new idea."""
    notify(
        recipients=selectors.member_followers(member=idea.creator),
        kind="followed_member_idea",
        message=said(
            phrases.FOLLOWED_MEMBER_PUBLISHED,
            name=idea.creator.public_name,
            title=idea.title,
        ),
        url=idea.get_absolute_url(),
    )
