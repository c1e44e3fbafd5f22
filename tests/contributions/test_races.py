"""Two reviewers deciding the same claim at the same moment, on real PostgreSQL connections."""

import threading

import pytest
from django.db import connection

from contributions.models import Contribution, ContributionStatus
from contributions.services import (
    contribution_approve,
    contribution_reject,
    contribution_submit,
)
from core.errors import Conflict
from notifications.models import Notification
from tests.factories import make_product


def _race(actions):
    """Run the callables in threads released together; → list of results or exceptions."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait(timeout=10)
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_two_reviewers_approving_at_once_make_one_decision(make_user, attempt):
    creator = make_user("carla")
    alice = make_user("alice")
    reviewers = [make_user(f"rev{i}", role="reviewer") for i in range(2)]
    product = make_product(creator=creator)
    claim = contribution_submit(
        product=product, member=alice, kind="design", description="Hinge", proposed_points=10
    )

    results = _race(
        [
            lambda r=r, p=p: contribution_approve(
                contribution=Contribution.objects.get(pk=claim.pk), reviewer=r, points=p
            )
            for r, p in zip(reviewers, (11, 22), strict=True)
        ]
    )

    winners = [r for r in results if isinstance(r, Contribution)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    claim.refresh_from_db()
    assert claim.status == ContributionStatus.APPROVED
    assert claim.points == winners[0].points
    assert claim.decided_by_id == winners[0].decided_by_id
    assert Notification.objects.filter(recipient=alice, kind="contribution_approved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_rejection_at_once_make_one_decision(make_user):
    creator = make_user("carla")
    alice = make_user("alice")
    approver = make_user("rev-a", role="reviewer")
    rejecter = make_user("rev-r", role="reviewer")
    product = make_product(creator=creator)
    claim = contribution_submit(
        product=product, member=alice, kind="design", description="Hinge", proposed_points=10
    )

    results = _race(
        [
            lambda: contribution_approve(
                contribution=Contribution.objects.get(pk=claim.pk), reviewer=approver, points=10
            ),
            lambda: contribution_reject(
                contribution=Contribution.objects.get(pk=claim.pk), reviewer=rejecter, reason="No"
            ),
        ]
    )

    assert sum(isinstance(r, Contribution) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    claim.refresh_from_db()
    decided = Notification.objects.filter(recipient=alice, kind__startswith="contribution_")
    assert decided.count() == 1
    assert claim.status in (ContributionStatus.APPROVED, ContributionStatus.REJECTED)
