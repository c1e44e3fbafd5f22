"""Notifications are stored as a phrase code with parameters (core.phrases), never as text: the
recipient reads them in the language they read the site in, their e-mails in their own
(``User.language``), amounts in their notation; older rows written as text are read back by the
data migration when they fit a phrase, else shown as written."""

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail

from funding.services import funding_round_close, pledge_create
from notifications.models import Notification
from tests.factories import idea_in_funding, make_user

pytestmark = pytest.mark.django_db

data = importlib.import_module("notifications.migrations.0006_phrases_data_hlang")
HAN = re.compile(r"[\u4e00-\u9fff]")


def listed(client, member, language: str) -> str:
    client.force_login(member)
    page = client.get("/notifications/", headers={"accept-language": language})
    assert page.status_code == 200
    return page.content.decode()


def test_a_funded_round_tells_each_backer_in_their_language_and_notation(
    client, django_capture_on_commit_callbacks
):
    creator, reviewer = make_user("carla"), make_user("rita", role="reviewer")
    wang = make_user("wang", language="zh-hans")
    ann = make_user("ann", language="en")
    idea = idea_in_funding(creator, reviewer, goal=300_000, currency="CNY", title="太阳能水壶")
    pledge_create(idea=idea, member=wang, amount=210_025)
    pledge_create(idea=idea, member=ann, amount=210_025)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        funding_round_close(idea=idea, actor=reviewer)

    told = Notification.objects.get(recipient=wang, kind="funding_closed")
    assert (told.message, told.code) == ("", "funded_backed_notice")
    assert told.params["amount"] == {"money": [420_050, "CNY"]}
    to_wang = next(m for m in mail.outbox if m.to == [wang.email] and "太阳能水壶" in m.subject)
    assert "¥4,200.50" in to_wang.body and "众筹成功" in to_wang.body
    to_ann = next(m for m in mail.outbox if m.to == [ann.email] and "is funded" in m.body)
    assert "4,200.50 CNY" in to_ann.body
    assert not HAN.search(to_ann.body.replace("太阳能水壶", ""))
    assert "¥4,200.50" in listed(client, wang, "zh-Hans")
    # The same row, once wang reads the site in English, is English.
    wang.language = "en"
    wang.save()
    assert "An idea you backed, “太阳能水壶”, is funded with 4,200.50 CNY" in listed(
        client, wang, "en"
    )


def test_old_notifications_written_as_text_are_read_back_into_phrases(client):
    member = make_user("wang")
    old = Notification.objects.create(
        recipient=member, kind="comment_on_idea", message="bob 评论了你的创意“露营灯”。"
    )
    odd = Notification.objects.create(recipient=member, kind="x", message="Something else.")
    data.notifications_to_phrases(apps, None)
    old.refresh_from_db()
    odd.refresh_from_db()
    assert (old.code, old.params, old.message) == (
        "comment_made_notice",
        {"name": "bob", "title": "露营灯"},
        "",
    )
    assert "bob commented on your idea “露营灯”." in listed(client, member, "en")
    assert (odd.code, odd.message, odd.text) == ("", "Something else.", "Something else.")
