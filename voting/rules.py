"""Who may vote, and when (SPEC section 2). Plain functions that read and never write: each
returns a refusal (``core.rules.Refusal``) or None. ``voting.services`` checks them before
writing; the vote box (``voting_tags``) and the vote API show their answer."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from accounts.permissions import email_verified_or_not_required
from core.errors import Conflict, NotAllowed
from core.rules import Refusal
from ideas.models import IdeaStatus
from ideas.rules import may_back_idea

if TYPE_CHECKING:  # annotations only: ideas' data is read through ideas.selectors
    from ideas.models import Idea


def voting_open(*, idea: Idea, now: datetime) -> Refusal | None:
    """Votes count while the idea is in voting and inside its voting window."""
    if idea.status != IdeaStatus.VOTING:
        return Conflict(
            gettext("Voting is closed: the idea is %(lower)s.")
            % {"lower": idea.get_status_display().lower()},
            code="not_in_voting",
        )
    if idea.voting_deadline and idea.voting_deadline <= now:
        return Conflict(gettext("The voting window of this idea has ended."), code="voting_ended")
    return None


def may_vote(*, idea: Idea, member, now: datetime) -> Refusal | None:
    """A signed-in member with a verified e-mail (when verification is mandatory), not the
    idea's creator, while voting is open (in voting and inside the window)."""
    refusal = may_back_idea(
        idea=idea,
        member=member,
        sign_in=gettext("Sign in to vote."),
        own_idea=gettext("You cannot vote on your own idea: the others vote on it."),
    )
    return refusal or voting_open(idea=idea, now=now)


def member_may_vote(member) -> bool:
    """may_vote's member side alone (signed in, e-mail verified when mandatory): asked before
    the one-statement vote, which checks the idea's side in SQL; any refusal is then explained
    by may_vote itself on the full path."""
    return bool(member is not None and member.is_authenticated) and email_verified_or_not_required(
        member
    )


def may_withdraw_vote(*, idea: Idea, member, now: datetime) -> Refusal | None:
    """A signed-in member takes back their vote while voting is open (no e-mail check: taking
    a vote back is always allowed while it can still change the count)."""
    if member is None or not member.is_authenticated:
        return NotAllowed(gettext("Sign in to withdraw your vote."), code="not_authenticated")
    if idea.status != IdeaStatus.VOTING:
        return Conflict(
            gettext("Votes can only be withdrawn while the idea is in voting."),
            code="not_in_voting",
        )
    return voting_open(idea=idea, now=now)
