"""A posted settlement's members are told in chunks: one task per chunk of member ids, each
chunk idempotent (run twice, nobody hears twice), each member in their own language."""

from django.core import mail

from accounts.languages import speaking_to
from notifications.models import Notification
from payouts import services
from payouts.services import posting


def test_members_are_told_in_chunks_once_each_even_when_a_chunk_runs_again(
    team, record, settle_and_post, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(posting, "NOTIFY_CHUNK", 2)  # three members: two chunks
    settlement = settle_and_post(record())
    Notification.objects.filter(kind="settlement_posted").delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.settlement_notify(settlement_id=settlement.pk) == 2
    told = list(
        Notification.objects.filter(kind="settlement_posted").values_list("recipient", flat=True)
    )
    assert sorted(told) == sorted([team.creator.pk, team.alice.pk, team.bob.pk])
    assert len(mail.outbox) == 3

    first, last = min(told), max(told)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.settlement_notify_chunk(
            settlement_id=settlement.pk, first_member=first, last_member=last
        )
    assert again == 0  # a retried chunk: nobody twice, no second e-mail
    assert Notification.objects.filter(kind="settlement_posted").count() == 3
    assert len(mail.outbox) == 3


def test_each_member_is_told_in_their_language(team, record, settle_and_post):
    team.alice.language = "zh-hans"
    team.alice.save(update_fields=["language"])
    settlement = settle_and_post(record())
    Notification.objects.filter(kind="settlement_posted").delete()
    services.settlement_notify(settlement_id=settlement.pk)
    texts = {}
    for note in Notification.objects.filter(kind="settlement_posted").select_related("recipient"):
        assert note.message == ""  # a phrase and its dates, said when read
        with speaking_to(note.recipient):
            texts[note.recipient_id] = note.text
    assert texts[team.alice.pk].startswith("你在“Lamp”")
    assert texts[team.bob.pk].startswith("Your share of “Lamp”")
