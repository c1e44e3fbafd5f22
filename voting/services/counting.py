"""Votes that start counting later, and votes a reviewer voids (SPEC section 2, "Votes that
fake accounts cannot buy"). Part of the ballot: each change takes the idea's lock
(``ballot._lock_open``) and folds the count exactly (``ballot._tally_settle``), as every vote
and withdrawal does."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.permissions import email_verification_required
from core.errors import Conflict, NotFound
from core.phrases import said
from core.rules import check
from ideas.models import Idea, IdeaStatus
from notifications.services import notify

from .. import phrases, rules
from ..clusters import vote_clusters
from ..models import Vote, VoteAction, VoteEvent, VoteHold, VoteVoid
from .ballot import _lock_open, _tallied, _tally_settle
from .holds import threshold_reached, to_review


def votes_due_count(*, now=None) -> int:
    """The beat job: votes whose account is now old enough start counting
    (``VOTE_MIN_ACCOUNT_AGE``), one idea per transaction under its lock; an idea whose count
    reaches its threshold goes to review, or waits for the reviewers if the crossing rests on
    flagged votes. Votes on ideas no longer in voting never count. Returns the votes counted."""
    now = now or timezone.now()
    due = Q(counted=False, voided__isnull=True, counts_from__lte=now)
    ideas = set(
        Vote.objects.filter(due, idea__status=IdeaStatus.VOTING)
        .order_by()
        .values_list("idea_id", flat=True)
    )
    eligible = Q(
        member__is_active=True, member__date_joined__lte=now - settings.VOTE_MIN_ACCOUNT_AGE
    )
    if email_verification_required():
        eligible &= Q(member__email_verified=True)
    counted = 0
    for idea_id in sorted(ideas):
        with transaction.atomic():
            try:
                folded, threshold = _lock_open(idea_id, now)
            except Conflict:
                continue  # left voting meanwhile
            ids = list(
                Vote.objects.filter(due, eligible, idea_id=idea_id).values_list("pk", flat=True)
            )
            n = Vote.objects.filter(pk__in=ids).update(counted=True, counts_from=None)
            count = _tally_settle(idea_id, folded, n, threshold)
            if n and count >= threshold:
                threshold_reached(idea_id, count, threshold)
        counted += n
    return counted


@transaction.atomic
def vote_cluster_void(*, idea_id: int, cluster: str, reviewer: User, reason: str) -> VoteVoid:
    """A reviewer voids one cluster's votes on an idea in voting, with a reason: the votes stay,
    uncounted, pointing to the decision (the audit record); the count drops by exactly the
    counted ones; the voters and the creator are told. The idea then goes to review if its
    count still reaches the threshold without flagged votes, else its hold closes."""
    check(rules.may_review_votes(member=reviewer))
    now = timezone.now()
    folded, threshold = _lock_open(idea_id, now)
    found = next((c for c in vote_clusters(idea_id=idea_id) if c.key == cluster), None)
    if found is None:
        raise NotFound(gettext("No such cluster of votes on this idea."), code="no_cluster")
    void = VoteVoid.objects.create(
        idea_id=idea_id, reviewer=reviewer, reason=reason[:500], cluster=cluster[:80],
        votes=len(found.votes), counted=found.counted, created_at=now,
    )  # fmt: skip
    Vote.objects.filter(pk__in=[v.pk for v in found.votes]).update(
        voided=void, counted=False, counts_from=None
    )
    VoteEvent.objects.bulk_create(
        VoteEvent(idea_id=idea_id, member_id=v.member_id, action=VoteAction.VOID,
                  network=v.network, created_at=now)
        for v in found.votes
    )  # fmt: skip
    count = _tally_settle(idea_id, folded, -found.counted, threshold)
    if count < threshold:  # below the threshold again: nothing waits for a review
        VoteHold.objects.filter(idea_id=idea_id, closed_at__isnull=True).update(
            closed_at=now, outcome=VoteHold.Outcome.VOIDED, closed_by=reviewer
        )
    else:  # to review if no flagged votes carry it any more, else still held
        threshold_reached(idea_id, count, threshold)
    _tell_voided(Idea.objects.select_related("creator").get(pk=idea_id), found.votes, reason)
    return void


def _tell_voided(idea: Idea, votes: list, reason: str) -> None:
    notify(
        recipients=[v.member for v in votes],
        kind="vote_voided",
        message=said(phrases.VOTE_VOIDED_NOTICE, title=idea.title, reason=reason),
        url="/votes/mine/",
    )
    notify(
        recipients=[idea.creator],
        kind="idea_votes_voided",
        message=said(
            phrases.IDEA_VOTES_VOIDED_NOTICE, count=len(votes), title=idea.title, reason=reason
        ),
        url=idea.get_absolute_url(),
    )


@transaction.atomic
def vote_hold_release(*, idea_id: int, reviewer: User) -> VoteHold:
    """A reviewer finds an idea's flagged votes sound: the hold closes and the idea goes to
    review (its count reached the threshold, flagged votes included)."""
    check(rules.may_review_votes(member=reviewer))
    now = timezone.now()
    folded, threshold = _lock_open(idea_id, now)
    hold = VoteHold.objects.filter(idea_id=idea_id, closed_at__isnull=True).first()
    if hold is None:
        raise Conflict(gettext("This idea does not wait for a vote review."), code="not_held")
    hold.closed_at, hold.outcome, hold.closed_by = now, VoteHold.Outcome.RELEASED, reviewer
    hold.save(update_fields=["closed_at", "outcome", "closed_by"])
    count = folded + _tallied(idea_id)
    if count >= threshold:
        to_review(idea_id, count, threshold)
    return hold
