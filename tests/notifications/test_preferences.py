"""Notification choices per group (in the site / e-mail now / daily digest / off) and the
daily digest job."""

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from notifications.kinds import Channel, group_of, known_kinds
from notifications.models import DigestSent, Notification
from notifications.services import (
    digests_send,
    notification_settings_of,
    notification_settings_save,
    notify,
)
from notifications.tasks import notification_digests_task
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _kinds_in_code() -> set[str]:
    kinds = set()
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {".venv", ".venv-load", "tests", "bench"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg == "kind":
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    kinds.add(node.value.value)
    return kinds


def test_every_kind_the_platform_sends_is_a_choice_or_always_emailed():
    sent = {k for k in _kinds_in_code() if "_" in k}  # notify(kind=…); not model "kind" fields
    notices = {k for k in sent if k.startswith(("comment_", "idea_", "payment_", "payout_"))}
    assert notices, "found no notification kinds: the scan is broken"
    assert notices - known_kinds() == set()
    assert group_of("payout_destination_changed") is None  # security: not a choice


def _tell(member, kind="comment_on_idea", text="Ana commented on your idea."):
    return notify(recipients=[member], kind=kind, message=text, url="/ideas/1/")


def test_defaults_comments_go_to_the_digest_the_rest_by_email(
    make_user, django_capture_on_commit_callbacks
):
    mo = make_user("mo")
    assert notification_settings_of(member=mo)["discussion"] == Channel.DIGEST
    with django_capture_on_commit_callbacks(execute=True):
        _tell(mo)
        _tell(mo, kind="contribution_approved", text="Your contribution was approved.")
    assert Notification.objects.filter(recipient=mo).count() == 2  # both in the site
    assert [m.subject for m in mail.outbox] == ["AHHHA: Your contribution was approved."]


@pytest.mark.parametrize(
    ("channel", "in_site", "emailed"),
    [("email", 1, 1), ("site", 1, 0), ("off", 0, 0), ("digest", 1, 0)],
)
def test_each_channel_does_what_it_says(
    make_user, django_capture_on_commit_callbacks, channel, in_site, emailed
):
    mo = make_user("mo")
    notification_settings_save(member=mo, channels={"discussion": channel})
    with django_capture_on_commit_callbacks(execute=True):
        _tell(mo)
    assert Notification.objects.filter(recipient=mo).count() == in_site
    assert len(mail.outbox) == emailed


def test_money_notices_cannot_be_turned_off(make_user):
    mo = make_user("mo")
    with pytest.raises(Exception, match="Choose one of the offered options"):
        notification_settings_save(member=mo, channels={"money": "off"})
    assert notification_settings_of(member=mo)["money"] == Channel.EMAIL


def test_the_digest_goes_once_a_day_with_what_is_unread(
    make_user, django_capture_on_commit_callbacks
):
    mo, nia = make_user("mo"), make_user("nia")
    _tell(mo, text="First comment.")
    _tell(mo, text="Second comment.")
    read = _tell(mo, text="Already seen.")[0]
    read.read_at = timezone.now()
    read.save()
    _tell(nia, text="A comment for Nia.")
    today = date(2026, 12, 3)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(day=today) == 2
    to_mo = next(m for m in mail.outbox if m.to == ["mo@example.org"])
    assert "First comment." in to_mo.body and "Second comment." in to_mo.body
    assert "Already seen." not in to_mo.body
    assert "/ideas/1/" in to_mo.body and "/notifications/settings/" in to_mo.body
    assert to_mo.subject == "AHHHA: 2 things you have not seen yet"

    # The job runs again the same day (a second beat, a retry): nothing more goes out, and
    # news that came in meanwhile waits for tomorrow's digest.
    _tell(mo, text="Third comment.")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(day=today) == 0
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(day=today + timedelta(days=1)) == 1
    assert "Third comment." in mail.outbox[-1].body
    assert "First comment." not in mail.outbox[-1].body
    assert DigestSent.objects.filter(member=mo).count() == 2


def test_the_beat_schedule_runs_the_digest_task_daily(settings, make_user):
    entry = settings.CELERY_BEAT_SCHEDULE["notification-digests"]
    assert entry["task"] == "notifications.tasks.notification_digests_task"
    assert entry["schedule"].hour == {settings.NOTIFICATION_DIGEST_HOUR}
    mo = make_user("mo")
    _tell(mo)
    assert notification_digests_task.delay().get() == 1
    assert notification_digests_task.delay().get() == 0


def test_the_digest_is_written_in_the_members_language(
    make_user, django_capture_on_commit_callbacks
):
    mo = make_user("mo", language="zh-hans")
    _tell(mo)
    with django_capture_on_commit_callbacks(execute=True):
        digests_send(day=date(2026, 12, 3))
    assert "你" in mail.outbox[0].subject


def test_the_choices_page_saves_what_the_member_picked(client, make_user):
    mo = make_user("mo")
    assert client.get("/notifications/settings/").status_code == 302  # sign in first
    client.login(username="mo", password=PASSWORD)
    page = client.get("/notifications/settings/").content.decode()
    assert "Comments and replies" in page
    assert re.search(r'name="discussion" value="digest"[^>]*checked', page)  # the default
    assert not re.search(r'name="money" value="off"', page)  # not offered
    response = client.post(
        "/notifications/settings/",
        {
            "discussion": "off",
            "following": "digest",
            "ideas": "site",
            "contributions": "email",
            "money": "site",
        },
    )
    assert response.status_code == 302
    chosen = notification_settings_of(member=mo)
    assert chosen["discussion"] == Channel.OFF and chosen["following"] == Channel.DIGEST
    assert chosen["money"] == Channel.SITE
    bad = client.post("/notifications/settings/", {"money": "off"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    assert notification_settings_of(member=mo)["money"] == Channel.SITE  # nothing changed


def test_the_digest_job_visits_each_member_once(make_user):
    mo = make_user("mo")
    for n in range(5):
        _tell(mo, text=f"Comment {n}.")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert digests_send(day=date(2026, 12, 3)) == 1
    inserts = [q for q in queries.captured_queries if "notifications_digestsent" in q["sql"]
               and q["sql"].startswith("INSERT")]  # fmt: skip
    assert len(inserts) == 1  # one attempt for the one member, not one per notification
