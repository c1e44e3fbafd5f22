"""Beat's slipped-milestone job on two real Celery workers at once (Redis, PostgreSQL): each
backer and follower is told exactly once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from community.services import idea_follow
from notifications.models import Notification
from products.life_models import Milestone
from products.services import milestone_add
from products.tasks import milestones_tell_slipped_task
from tests.payouts.test_worker import _wait_for, broker, start_worker  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_two_workers_running_the_job_at_once_tell_each_member_once(
    cast,
    product,
    start_worker,  # noqa: F811 (the fixture imported above)
):
    idea_follow(idea=product.idea, member=cast.mo)
    today = timezone.localdate()
    for title in ("Moulds", "Testers"):
        milestone_add(
            product=product, actor=cast.creator, title=title, due_date=today - timedelta(days=1)
        )
    start_worker()
    start_worker()
    for _ in range(4):
        milestones_tell_slipped_task.delay()
    _wait_for(
        lambda: not Milestone.objects.filter(slip_told_at__isnull=True).exists(),
        what="the milestones told",
    )
    # Each telling is committed with its claim (one transaction): once both milestones are
    # told, every notification there will ever be is there.
    told = Notification.objects.filter(kind="milestone_slipped")
    assert Counter(n.recipient.username for n in told) == {"bob": 2, "mo": 2}
