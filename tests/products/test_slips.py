"""A milestone past its due date: its backers and followers are told once, by beat's job."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from community.services import idea_follow
from notifications.models import Notification
from products.life_models import Milestone, ProductEvent
from products.services import milestone_add, milestone_change, milestones_tell_slipped

pytestmark = pytest.mark.django_db


def test_a_slipped_milestone_is_told_once_to_backers_and_followers(cast, product):
    idea_follow(idea=product.idea, member=cast.mo)
    today = timezone.localdate()
    late = milestone_add(
        product=product, actor=cast.creator, title="Moulds", due_date=today - timedelta(days=1)
    )
    met = milestone_add(
        product=product, actor=cast.creator, title="Met", due_date=today - timedelta(days=1)
    )
    milestone_change(milestone=met, actor=cast.creator, done=True, note="Done early.")
    milestone_add(product=product, actor=cast.creator, title="Later", due_date=today)

    assert milestones_tell_slipped() == 1
    assert milestones_tell_slipped() == 0
    told = Notification.objects.filter(kind="milestone_slipped")
    assert sorted(n.recipient.username for n in told) == ["bob", "mo"]
    assert "missed its milestone “Moulds”" in told.first().text
    assert ProductEvent.objects.filter(code="milestone_slipped").count() == 1
    late.refresh_from_db()
    assert late.slip_told_at is not None

    # Rescheduled and slipping again: still told only once.
    milestone_change(milestone=late, actor=cast.creator, due_date=today - timedelta(days=0))
    Milestone.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=3))
    assert milestones_tell_slipped() == 0
    assert told.count() == 2


def test_a_chinese_backer_reads_it_in_chinese(cast, product):
    cast.bob.language = "zh-hans"
    cast.bob.save(update_fields=["language"])
    milestone_add(
        product=product,
        actor=cast.creator,
        title="模具",
        due_date=timezone.localdate() - timedelta(days=2),
    )
    milestones_tell_slipped()
    note = Notification.objects.get(recipient=cast.bob)
    with translation.override("zh-hans"):
        assert "错过了里程碑“模具”" in note.text
