from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from ideas.models import Category, Idea, IdeaStatus, IdeaTransition
from notifications.models import Notification
from tests.factories import idea_in_voting
from voting.services import vote_cast, voting_windows_close
from voting.tasks import voting_windows_close_task

pytestmark = pytest.mark.django_db


def test_the_beat_job_runs_every_few_minutes():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["voting-windows-close"]
    assert schedule["task"] == "voting.tasks.voting_windows_close_task"
    assert schedule["schedule"] <= 300


def test_an_idea_below_the_threshold_expires_when_its_window_ends(make_user):
    idea = idea_in_voting(make_user("carla"))
    vote_cast(idea=idea, member=make_user("alice"))
    later = idea.voting_deadline + timedelta(minutes=1)
    assert voting_windows_close(now=later) == {"expired": 1, "review": 0}
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.EXPIRED
    move = IdeaTransition.objects.get(idea=idea, to_status=IdeaStatus.EXPIRED)
    assert move.actor is None and "1 of 100 votes" in move.reason_text
    assert Notification.objects.filter(recipient=idea.creator, kind="idea_expired").exists()


def test_the_window_job_leaves_open_ideas_alone_and_is_safe_to_run_twice(make_user):
    open_idea = idea_in_voting(make_user("carla"))
    ended = idea_in_voting(make_user("dara"), days_left=-1)
    voting_windows_close_task()
    voting_windows_close_task()
    open_idea.refresh_from_db()
    ended.refresh_from_db()
    assert open_idea.status == IdeaStatus.VOTING
    assert ended.status == IdeaStatus.EXPIRED
    assert IdeaTransition.objects.filter(idea=ended, to_status="expired").count() == 1


def test_an_idea_over_a_lowered_threshold_goes_to_review(make_user):
    home = Category.objects.create(name="Home", slug="home")
    idea = idea_in_voting(make_user("carla"), category=home)
    for name in ("alice", "bob"):
        vote_cast(idea=idea, member=make_user(name))
    Category.objects.filter(pk=home.pk).update(vote_threshold=2)  # an admin lowers it
    assert voting_windows_close() == {"expired": 0, "review": 1}
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.REVIEW


def test_no_vote_is_counted_after_the_window_ended(make_user):
    idea = idea_in_voting(make_user("carla"))
    Idea.objects.filter(pk=idea.pk).update(voting_deadline=timezone.now() - timedelta(seconds=1))
    idea.voting_deadline = None  # a stale copy read before the deadline passed
    with pytest.raises(Exception, match="closed"):
        vote_cast(idea=idea, member=make_user("alice"))
    assert Idea.objects.get(pk=idea.pk).vote_count == 0
