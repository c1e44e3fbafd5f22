"""Who may vote, and when (SPEC section 2). Plain functions that read and never write: each
returns a refusal (``core.rules.Refusal``) or None. ``voting.services`` checks them before
writing; the vote box (``voting_tags``) and the vote API show their answer.

The rules read an idea through ``VoteTarget``: an ``ideas.Idea`` satisfies it, and so does the
ballot's narrow ``voting.selectors.BallotTarget`` (the vote path never builds an ``Idea``). The
vote's one statement (``voting.services.ballot``) states ``may_vote`` again in SQL;
``tests/voting/test_ballot_rule.py`` checks that the two agree on every combination.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext

from accounts.roles import is_reviewer
from core.errors import Conflict, NotAllowed, NotFound
from core.rules import Refusal
from ideas.models import IdeaStatus
from ideas.rules import may_back_idea


class VoteTarget(Protocol):
    """What the vote rules read of an idea."""

    creator_id: int
    status: str
    voting_deadline: datetime | None
    hidden_at: datetime | None


def voting_open(*, idea: VoteTarget, now: datetime) -> Refusal | None:
    """Votes count while the idea is in voting and inside its voting window."""
    if idea.status != IdeaStatus.VOTING:
        return Conflict(
            gettext("Voting is closed: the idea is %(lower)s.")
            % {"lower": str(IdeaStatus(idea.status).label).lower()},
            code="not_in_voting",
        )
    if idea.voting_deadline and idea.voting_deadline <= now:
        return Conflict(gettext("The voting window of this idea has ended."), code="voting_ended")
    return None


def may_vote(*, idea: VoteTarget, member, now: datetime) -> Refusal | None:
    """A signed-in, active member with a verified e-mail (when verification is mandatory),
    not the idea's creator, on an idea the moderators have not hidden, while voting is open
    (in voting and inside the window)."""
    if member is not None and member.is_authenticated and not member.is_active:
        return NotAllowed(gettext("Sign in to vote."), code="not_authenticated")
    refusal = may_back_idea(
        idea=idea,
        member=member,
        sign_in=gettext("Sign in to vote."),
        own_idea=gettext("You cannot vote on your own idea: the others vote on it."),
    )
    if refusal is None and idea.hidden_at is not None:
        # As the API says of a hidden idea to a voter: there is no such idea.
        refusal = NotFound(gettext("No such idea."), code="hidden")
    return refusal or voting_open(idea=idea, now=now)


def may_withdraw_vote(*, idea: VoteTarget, member, now: datetime) -> Refusal | None:
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


def vote_counts_from(*, member, now: datetime) -> datetime | None:
    """When a vote by ``member`` cast at ``now`` starts counting toward the threshold: None if
    it counts at once (the account joined at least VOTE_MIN_ACCOUNT_AGE ago), else the time it
    will. (Only members who may vote get here: e-mail verified when verification is on.) The
    vote's one statement states this again in SQL (``voting.services.statement``)."""
    counts_from = member.date_joined + settings.VOTE_MIN_ACCOUNT_AGE
    return None if counts_from <= now else counts_from


def may_review_votes(*, member) -> Refusal | None:
    """Reviewers (and staff) see flagged vote clusters, void them and send held ideas on."""
    if member is None or not member.is_authenticated:
        return NotAllowed(gettext("Sign in to review votes."), code="not_authenticated")
    if not is_reviewer(member):
        return NotAllowed(gettext("Only reviewers may review votes."), code="not_reviewer")
    return None
