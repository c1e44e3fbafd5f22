import pytest
from django.conf import settings

from contributions.models import Contribution
from core.errors import Conflict, NotAllowed, ValidationFailed
from ideas.models import Comment, Flag, IdeaStatus, IdeaTransition, ModerationEvent
from ideas.services import (
    comment_accept,
    comment_create,
    comment_hide,
    comment_unhide,
    flag_create,
    flags_dismiss,
    idea_create,
    idea_hide,
    idea_publish,
    idea_update,
    idea_withdraw,
)
from notifications.models import Notification

from .conftest import MP4_BYTES, video_upload

pytestmark = pytest.mark.django_db


def test_a_new_idea_is_a_draft_with_rendered_body(make_idea):
    idea = make_idea(publish=False)
    assert idea.status == IdeaStatus.DRAFT
    assert "<strong>gas</strong>" in idea.body_html
    assert idea.published_at is None


def test_publishing_opens_voting_for_the_window_and_records_who_and_why(make_idea, creator):
    idea = make_idea(publish=False)
    idea_publish(idea=idea, actor=creator)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.VOTING
    assert (idea.voting_deadline - idea.published_at).days == settings.VOTING_WINDOW_DAYS
    step = IdeaTransition.objects.get(idea=idea)
    assert (step.from_status, step.to_status, step.actor) == ("draft", "voting", creator)


def test_only_the_creator_may_publish(make_idea, member):
    idea = make_idea(publish=False)
    with pytest.raises(NotAllowed):
        idea_publish(idea=idea, actor=member)


def test_publishing_twice_is_a_conflict(idea, creator):
    with pytest.raises(Conflict):
        idea_publish(idea=idea, actor=creator)


def test_withdrawing_tells_the_voters(idea, creator, member):
    from voting.models import Vote

    Vote.objects.create(idea=idea, member=member)  # the voting app's own service is theirs
    idea_withdraw(idea=idea, actor=creator)
    assert idea.status == IdeaStatus.WITHDRAWN
    assert Notification.objects.filter(recipient=member, kind="idea_withdrawn").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "x" * 121), ("title", "   "), ("summary", "y" * 281), ("body", "")],
)
def test_bad_idea_fields_are_refused_naming_the_field(creator, field, value):
    values = {"title": "Fine", "summary": "Fine", "body": "Fine", field: value}
    with pytest.raises(ValidationFailed) as exc:
        idea_create(creator=creator, **values)
    assert field in exc.value.fields


def test_an_uploaded_video_is_stored_under_a_random_name(creator):
    idea = idea_create(
        creator=creator, title="T", summary="S", body="B", video_file=video_upload(name="me.mp4")
    )
    assert idea.video_file.name.startswith("videos/")
    assert "me" not in idea.video_file.name.rsplit("/", 1)[1][:-4]
    assert idea.video_file.name.endswith(".mp4")
    assert idea.video_mime == "video/mp4"
    assert idea.video_file.read().startswith(MP4_BYTES[:16])


def test_a_video_link_replaces_an_uploaded_video(creator):
    idea = idea_create(creator=creator, title="T", summary="S", body="B", video_file=video_upload())
    idea = idea_update(idea=idea, actor=creator, video_url="https://youtu.be/dQw4w9WgXcQ")
    assert not idea.video_file
    assert idea.video_embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_tags_are_created_once_and_shared(make_idea):
    first = make_idea(tags=["Solar", "camping"])
    second = make_idea("Another", tags=["solar "])
    assert {t.slug for t in first.tags.all()} == {"solar", "camping"}
    assert list(second.tags.all()) == [first.tags.get(slug="solar")]


def test_the_creator_edits_while_voting_but_not_after(idea, creator):
    idea_update(idea=idea, actor=creator, title="A better kettle")
    idea.refresh_from_db()
    assert idea.title == "A better kettle"
    from ideas.transitions import idea_transition

    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="threshold")
    with pytest.raises(Conflict):
        idea_update(idea=idea, actor=creator, title="Too late")


def test_nobody_else_edits_an_idea(idea, member):
    with pytest.raises(NotAllowed):
        idea_update(idea=idea, actor=member, title="Mine now")


def test_a_reply_notifies_the_parent_author_and_the_creator(idea, creator, member, other_member):
    first = comment_create(idea=idea, author=member, body="Great idea")
    reply = comment_create(idea=idea, author=other_member, body="Agreed", parent=first)
    assert (reply.root, reply.depth) == (first, 1)
    assert Notification.objects.filter(recipient=member, kind="comment_reply").count() == 1
    assert Notification.objects.filter(recipient=creator, kind="comment_on_idea").count() == 2
    idea.refresh_from_db()
    assert idea.comment_count == 2


def test_a_reply_to_a_reply_stays_in_the_thread(idea, member, other_member):
    first = comment_create(idea=idea, author=member, body="1")
    second = comment_create(idea=idea, author=other_member, body="2", parent=first)
    third = comment_create(idea=idea, author=member, body="3", parent=second)
    assert (third.root, third.depth) == (first, 2)


def test_a_hostile_comment_is_stored_sanitised(idea, member):
    comment = comment_create(idea=idea, author=member, body="<script>alert(1)</script>hi")
    assert "<script" not in comment.body_html
    assert comment.body == "<script>alert(1)</script>hi"  # the original stays for the record


def test_drafts_and_hidden_ideas_take_no_comments(make_idea, member, reviewer):
    draft = make_idea(publish=False)
    with pytest.raises(ValidationFailed) as exc:
        comment_create(idea=draft, author=member, body="hi")
    assert "idea" in exc.value.fields
    published = make_idea("Published")
    idea_hide(idea=published, actor=reviewer, reason="Spam")
    with pytest.raises(ValidationFailed) as exc:
        comment_create(idea=published, author=member, body="hi")
    assert "idea" in exc.value.fields


def test_accepting_a_suggestion_records_a_pending_suggestion_claim(idea, creator, member):
    suggestion = comment_create(idea=idea, author=member, body="Add a handle", is_suggestion=True)
    comment_accept(comment=suggestion, actor=creator)
    claim = Contribution.objects.get(member=member)
    assert (claim.kind, claim.status, claim.proposed_points) == ("suggestion", "pending", 10)
    suggestion.refresh_from_db()
    assert suggestion.contribution == claim
    assert Notification.objects.filter(recipient=member, kind="suggestion_accepted").exists()


def test_accepting_twice_makes_one_claim(idea, creator, member):
    suggestion = comment_create(idea=idea, author=member, body="Add a lid", is_suggestion=True)
    comment_accept(comment=suggestion, actor=creator)
    with pytest.raises(Conflict):
        comment_accept(comment=suggestion, actor=creator)
    assert Contribution.objects.filter(member=member).count() == 1


def test_only_the_creator_accepts_and_only_suggestions(idea, creator, member, other_member):
    plain = comment_create(idea=idea, author=member, body="Nice")
    suggestion = comment_create(idea=idea, author=member, body="Lid", is_suggestion=True)
    with pytest.raises(NotAllowed):
        comment_accept(comment=suggestion, actor=other_member)
    with pytest.raises(ValidationFailed):
        comment_accept(comment=plain, actor=creator)
    own = comment_create(idea=idea, author=creator, body="Mine", is_suggestion=True)
    with pytest.raises(ValidationFailed):
        comment_accept(comment=own, actor=creator)


def test_hiding_a_comment_keeps_it_and_logs_the_reason(idea, member, other_member, reviewer):
    comment = comment_create(idea=idea, author=member, body="Buy pills")
    flag_create(reporter=other_member, comment=comment, reason="spam")
    comment_hide(comment=comment, actor=reviewer, reason="Advertising")
    comment.refresh_from_db()
    assert comment.hidden_reason == "Advertising"
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert ModerationEvent.objects.get(comment=comment).reason == "Advertising"
    assert Flag.objects.get(comment=comment).status == "hidden"
    idea.refresh_from_db()
    assert idea.comment_count == 0
    comment_unhide(comment=comment, actor=reviewer, reason="Appeal upheld")
    idea.refresh_from_db()
    assert idea.comment_count == 1


def test_members_cannot_hide_and_reviewers_need_a_reason(idea, member, reviewer):
    comment = comment_create(idea=idea, author=member, body="x")
    with pytest.raises(NotAllowed):
        comment_hide(comment=comment, actor=member, reason="no")
    with pytest.raises(ValidationFailed) as exc:
        comment_hide(comment=comment, actor=reviewer, reason=" ")
    assert "reason" in exc.value.fields


def test_flagging_twice_is_one_flag_and_own_content_cannot_be_flagged(idea, member, creator):
    flag_create(reporter=member, idea=idea, reason="duplicate")
    with pytest.raises(Conflict):
        flag_create(reporter=member, idea=idea, reason="again")
    with pytest.raises(ValidationFailed):
        flag_create(reporter=creator, idea=idea, reason="me")


def test_dismissing_flags_closes_them(idea, member, reviewer):
    flag_create(reporter=member, idea=idea, reason="looks fake")
    assert flags_dismiss(actor=reviewer, idea=idea, reason="It is real") == 1
    assert not Flag.objects.filter(status="open").exists()
    with pytest.raises(Conflict):
        flags_dismiss(actor=reviewer, idea=idea, reason="again")


def test_a_reply_waits_for_the_digest_unless_the_member_wants_it_at_once(
    idea, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.services import digests_send, notification_settings_save

    first = comment_create(idea=idea, author=member, body="Great idea")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(idea=idea, author=other_member, body="Agreed", parent=first)
    assert mailoutbox == []  # comments no longer e-mail one by one by default
    with django_capture_on_commit_callbacks(execute=True):
        digests_send()
    to_member = [m for m in mailoutbox if m.to == [member.email]]
    assert len(to_member) == 1 and "replied to your comment" in to_member[0].body

    mailoutbox.clear()
    notification_settings_save(member=member, channels={"discussion": "email"})
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(idea=idea, author=other_member, body="Still agreed", parent=first)
    assert member.email in [m.to[0] for m in mailoutbox]
    assert any("replied to your comment" in m.body for m in mailoutbox)


def test_dismissing_flags_needs_no_reason(idea, member, reviewer):
    from ideas.models import ModerationEvent

    flag_create(idea=idea, reporter=member, reason="Spam?")
    assert flags_dismiss(actor=reviewer, idea=idea) == 1
    event = ModerationEvent.objects.get(action="dismiss")
    assert event.reason_text == "Flags dismissed: the content may stay."
