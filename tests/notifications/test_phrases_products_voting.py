"""The notifications of products (a slipped milestone, expenses, refunds after an abandonment)
and of voting (held and voided votes) are phrases (core.phrases): each member reads them in
their language, on the page and in the e-mail, amounts and dates in their notation; rows written
as text before are read back into phrases by the data migration, their text kept."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core import mail

from core.phrases import day, money, said
from notifications.models import Notification
from notifications.services import notify
from tests.factories import make_user

pytestmark = pytest.mark.django_db

data = importlib.import_module("notifications.migrations.0007_phrases_data_hmend")
AMOUNT = money(133_050, "CNY")
SLIPPED = date(2026, 12, 3)

# kind, phrase code, its parameters, what an English reader reads, what a Chinese reader reads.
KINDS = [
    (
        "milestone_slipped",
        "milestone_slipped_notice",
        {"title": "露营灯", "milestone": "Moulds", "due": day(SLIPPED)},
        "“露营灯” missed its milestone “Moulds”, due December 3, 2026.",
        "“露营灯”错过了里程碑“Moulds”（截止 2026年12月3日）。",
    ),
    (
        "expense_decided",
        "expense_approved_notice",
        {"description": "Moulds", "amount": AMOUNT},
        "Your expense “Moulds” (1,330.50 CNY) is approved.",
        "你的支出“Moulds”（¥1,330.50）已批准。",
    ),
    (
        "expense_decided",
        "expense_rejected_notice",
        {"description": "Moulds", "amount": AMOUNT, "reason": "No receipt"},
        "Your expense “Moulds” (1,330.50 CNY) is rejected: No receipt",
        "你的支出“Moulds”（¥1,330.50）被拒绝：No receipt",
    ),
    (
        "expense_paid",
        "expense_paid_notice",
        {"description": "Moulds", "amount": AMOUNT},
        "The expense “Moulds” (1,330.50 CNY) is paid.",
        "支出“Moulds”（¥1,330.50）已支付。",
    ),
    (
        "backer_refund",
        "refund_promised_notice",
        {"title": "露营灯", "amount": AMOUNT},
        "“露营灯” was abandoned: finance will pay you back 1,330.50 CNY, your share",
        "“露营灯”已被放弃：财务将退还你 ¥1,330.50，即你在剩余资金中的份额。",
    ),
    (
        "backer_refund",
        "refund_done_notice",
        {"title": "露营灯", "amount": AMOUNT},
        "“露营灯” was abandoned: 1,330.50 CNY of your pledge is refunded to you.",
        "“露营灯”已被放弃：你的认筹中有 ¥1,330.50 已退款给你。",
    ),
    (
        "idea_votes_held",
        "votes_held_notice",
        {"title": "露营灯"},
        "“露营灯” reached its vote threshold with flagged votes",
        "“露营灯”凭被标记的投票达到了投票门槛",
    ),
    (
        "vote_voided",
        "vote_voided_notice",
        {"title": "露营灯", "reason": "Sock puppets"},
        "Your vote on “露营灯” was voided by a reviewer: Sock puppets",
        "你对“露营灯”的投票已被审核员作废：Sock puppets",
    ),
    (
        "idea_votes_voided",
        "idea_votes_voided_notice",
        {"title": "露营灯", "reason": "Sock puppets", "count": 12},
        "A reviewer voided 12 votes on your idea “露营灯”: Sock puppets",
        "审核员作废了你的创意“露营灯”的 12 票：Sock puppets",
    ),
]


def listed(client, member, language: str) -> str:
    client.force_login(member)
    page = client.get("/notifications/", headers={"accept-language": language})
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize(("kind", "code", "params", "english", "chinese"), KINDS)
def test_each_new_kind_is_read_in_the_readers_language(
    client, django_capture_on_commit_callbacks, kind, code, params, english, chinese
):
    wang = make_user("wang", language="zh-hans")
    ann = make_user("ann", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[wang, ann], kind=kind, message=said(code, **params), url="/products/")

    stored = Notification.objects.filter(kind=kind)
    assert {(n.code, n.message) for n in stored} == {(code, "")}
    to_wang = next(m for m in mail.outbox if m.to == [wang.email])
    to_ann = next(m for m in mail.outbox if m.to == [ann.email])
    assert chinese in to_wang.body
    assert english in to_ann.body
    assert chinese in listed(client, wang, "zh-Hans")
    assert english in listed(client, ann, "en")


def test_old_text_rows_of_the_new_kinds_are_read_back_into_phrases(client):
    member = make_user("wang")
    english = Notification.objects.create(
        recipient=member,
        kind="expense_decided",
        message="Your expense “Moulds” (1,330.50 EUR) is rejected: No receipt",
    )
    chinese = Notification.objects.create(
        recipient=member,
        kind="milestone_slipped",
        message="“露营灯”错过了里程碑“模具”（截止 2026-12-03）。",
    )
    dollars = Notification.objects.create(
        recipient=member, kind="backer_refund", message="“Kettle” was abandoned: $20.00 of your "
        "pledge is refunded to you.",
    )  # fmt: skip
    odd = Notification.objects.create(recipient=member, kind="expense_paid", message="Paid.")
    data.notifications_to_phrases(apps, None)
    for row in (english, chinese, dollars, odd):
        row.refresh_from_db()
    assert (english.code, english.params) == (
        "expense_rejected_notice",
        {"description": "Moulds", "amount": money(133_050, "EUR"), "reason": "No receipt"},
    )
    assert english.message.startswith("Your expense")  # the text stays beside the code
    assert (chinese.code, chinese.params) == (
        "milestone_slipped_notice",
        {"title": "露营灯", "milestone": "模具", "due": day(SLIPPED)},
    )
    assert dollars.params["amount"] == money(2_000, "USD")
    assert (odd.code, odd.text) == ("", "Paid.")
    page = listed(client, member, "en")
    assert "“露营灯” missed its milestone “模具”, due December 3, 2026." in page
