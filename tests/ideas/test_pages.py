import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Flag, Idea, IdeaStatus
from ideas.services import comment_create, flag_create, idea_hide
from ideas.transitions import idea_transition

from .conftest import video_upload

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_published_ideas_with_tabs(client, make_idea):
    make_idea("Solar kettle")
    make_idea("Secret draft", publish=False)
    for tab in ("hot", "top", "new", "closing"):
        response = client.get(f"/?tab={tab}")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Solar kettle" in page
        assert "Secret draft" not in page


def test_the_home_page_takes_the_same_number_of_queries_for_2_or_20_ideas(
    client, make_idea, make_user
):
    for n in range(2):
        make_idea(f"Idea {n}", tags=["x"])
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(2, 20):
        make_idea(f"Idea {n}", by=make_user(f"u{n}"), tags=["y", f"t{n}"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert response.content.decode().count('class="card idea-card"') == 20
    assert len(few.captured_queries) == len(many.captured_queries)


def test_search_finds_by_words_and_filters(client, make_idea):
    make_idea("Solar kettle")
    make_idea("Bike lock")
    page = client.get("/search/?q=kettle").content.decode()
    assert "Solar kettle" in page and "Bike lock" not in page
    page = client.get("/search/?status=review").content.decode()
    assert "Solar kettle" not in page


def test_search_with_bad_filters_says_so(client):
    response = client.get("/search/?status=bogus&ordering=random")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_idea_page_shows_body_vote_area_and_funding_area(client, make_idea):
    idea = make_idea(body="Made of **bamboo**.")
    response = client.get(f"/ideas/{idea.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>bamboo</strong>" in page
    assert 'id="vote-area"' in page


def test_the_idea_page_plays_an_uploaded_video(client, make_idea):
    idea = make_idea(video_file=video_upload())
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert f'src="{idea.video_file.url}"' in page
    video = client.get(idea.video_file.url, HTTP_RANGE="bytes=0-9")
    assert video.status_code == 206
    assert video["Content-Range"].startswith("bytes 0-9/")


def test_the_idea_page_embeds_a_linked_video_without_tracking(client, make_idea):
    idea = make_idea(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert 'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "<iframe" not in page  # nothing loads from YouTube until the visitor presses play


def test_a_draft_is_only_for_its_creator(client, make_idea, creator, member):
    draft = make_idea(publish=False)
    assert client.get(f"/ideas/{draft.pk}/").status_code == 404
    client.force_login(member)
    assert client.get(f"/ideas/{draft.pk}/").status_code == 404
    client.force_login(creator)
    assert client.get(f"/ideas/{draft.pk}/").status_code == 200


def test_a_hidden_idea_shows_the_reason_not_the_body(client, make_idea, reviewer):
    idea = make_idea(body="Buy cheap watches")
    idea_hide(idea=idea, actor=reviewer, reason="Advertising")
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Advertising" in page
    assert "cheap watches" not in page


def test_threads_show_replies_under_their_parent(client, idea, member, other_member):
    first = comment_create(idea=idea, author=member, body="Top comment")
    comment_create(idea=idea, author=other_member, body="A reply", parent=first)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert page.index("Top comment") < page.index("A reply")
    assert 'class="comment depth-1' in page


def test_posting_an_idea_needs_signing_in(client):
    response = client.get("/ideas/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_posts_and_publishes_an_idea_through_the_form(client, member):
    client.force_login(member)
    response = client.post(
        "/ideas/new/",
        {
            "title": "Bee hotel",
            "summary": "Homes for bees",
            "body": "Made of *wood*",
            "tags": "garden, bees",
            "video_file": video_upload(),
            "publish": "1",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/{idea.pk}/"
    assert idea.status == IdeaStatus.VOTING
    assert idea.video_mime == "video/mp4"
    assert {t.slug for t in idea.tags.all()} == {"garden", "bees"}


def test_a_bad_form_keeps_what_was_typed_and_names_the_field(client, member):
    client.force_login(member)
    response = client.post(
        "/ideas/new/",
        {"title": "x" * 121, "summary": "My summary stays", "body": "My body stays"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 120 characters" in page
    assert "My summary stays" in page and "My body stays" in page
    assert not Idea.objects.exists()


def test_a_fake_video_in_the_form_is_refused_on_its_field(client, member):
    client.force_login(member)
    response = client.post(
        "/ideas/new/",
        {
            "title": "T",
            "summary": "S",
            "body": "B",
            "video_file": video_upload(b"plain text " * 100, name="clip.mp4"),
        },
    )
    assert response.status_code == 200
    assert "Not an MP4, WebM or QuickTime video." in response.content.decode()
    assert not Idea.objects.exists()


def test_an_oversized_video_in_the_form_is_refused_and_the_text_kept(client, member, settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 1024
    client.force_login(member)
    response = client.post(
        "/ideas/new/",
        {"title": "Kept title", "summary": "S", "body": "B", "video_file": video_upload()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "larger than" in page
    assert "Kept title" in page
    assert not Idea.objects.exists()


def test_only_the_creator_edits_and_only_while_editable(client, idea, creator, member):
    client.force_login(member)
    assert client.get(f"/ideas/{idea.pk}/edit/").status_code == 404
    assert client.post(f"/ideas/{idea.pk}/edit/", {"title": "Mine"}).status_code == 404
    client.force_login(creator)
    assert client.get(f"/ideas/{idea.pk}/edit/").status_code == 200
    response = client.post(
        f"/ideas/{idea.pk}/edit/",
        {"title": "Sharper title", "summary": idea.summary, "body": idea.body},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Sharper title"
    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="threshold")
    assert client.get(f"/ideas/{idea.pk}/edit/").status_code == 302


def test_publishing_and_withdrawing_from_the_pages(client, make_idea, creator, member):
    draft = make_idea(publish=False)
    client.force_login(member)
    client.post(f"/ideas/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == IdeaStatus.DRAFT
    client.force_login(creator)
    client.post(f"/ideas/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == IdeaStatus.VOTING
    client.post(f"/ideas/{draft.pk}/withdraw/")
    draft.refresh_from_db()
    assert draft.status == IdeaStatus.WITHDRAWN


def test_my_ideas_lists_only_mine_in_every_state(client, make_idea, creator, member):
    make_idea("My draft", publish=False)
    make_idea("Their idea", by=member)
    assert client.get("/me/ideas/").status_code == 302
    client.force_login(creator)
    page = client.get("/me/ideas/").content.decode()
    assert "My draft" in page and "Their idea" not in page


def test_the_moderation_queue_is_for_reviewers(client, idea, member, reviewer, finance):
    comment = comment_create(idea=idea, author=member, body="Buy my stuff")
    flag_create(reporter=reviewer, comment=comment, reason="spam")
    assert client.get("/review/moderation/").status_code == 302
    for user in (member, finance):
        client.force_login(user)
        assert client.get("/review/moderation/").status_code == 404
    client.force_login(reviewer)
    page = client.get("/review/moderation/").content.decode()
    assert "Buy my stuff" in page and "spam" in page
    client.post(
        "/review/moderation/",
        {"action": "hide", "kind": "comment", "target": comment.pk, "reason": "Advertising"},
    )
    comment.refresh_from_db()
    assert comment.hidden_reason == "Advertising"
    assert Flag.objects.get().status == "hidden"


def test_moderation_without_a_reason_changes_nothing(client, idea, member, reviewer):
    comment = comment_create(idea=idea, author=member, body="meh")
    client.force_login(reviewer)
    response = client.post(
        "/review/moderation/",
        {"action": "hide", "kind": "comment", "target": comment.pk, "reason": ""},
        follow=True,
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_the_idea_page_takes_the_same_number_of_queries_for_few_or_many_comments(
    client, idea, make_user
):
    def count() -> int:
        cache.clear()  # each visit the first (nothing of the page cached): like for like
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/ideas/{idea.pk}/").status_code == 200
        return len(ctx.captured_queries)

    first = comment_create(idea=idea, author=make_user("a0"), body="first")
    comment_create(idea=idea, author=make_user("b0"), body="reply", parent=first)
    few = count()
    for n in range(1, 12):
        top = comment_create(idea=idea, author=make_user(f"a{n}"), body=f"top {n}")
        reply = comment_create(idea=idea, author=make_user(f"b{n}"), body="re", parent=top)
        comment_create(idea=idea, author=make_user(f"c{n}"), body="re re", parent=reply)
    assert count() == few


def test_other_pages_can_show_an_ideas_discussion_composed_by_its_selector(rf, idea, member):
    from django.template import Context, Template

    from ideas.selectors import discussion_preview

    comment_create(idea=idea, author=member, body="Shown **elsewhere** too")
    request = rf.get("/products/1/")
    request.user = member
    html = Template('{% include "ideas/_discussion.html" %}').render(
        Context({**discussion_preview(idea=idea), "user": member, "request": request})
    )
    assert "<strong>elsewhere</strong>" in html
    assert f'data-idea="{idea.pk}"' in html
    assert 'id="comment-form"' in html


def test_publishing_never_redirects_to_another_site(client, make_idea, creator):
    draft = make_idea(publish=False)
    client.force_login(creator)
    response = client.post(f"/ideas/{draft.pk}/publish/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/ideas/{draft.pk}/"
    response = client.post(f"/ideas/{draft.pk}/withdraw/", {"next": "/me/ideas/"})
    assert response["Location"] == "/me/ideas/"


def test_the_moderation_queue_is_paged_and_filtered_by_kind(client, make_idea, make_user, reviewer):
    from ideas.services import comment_create, flag_create

    reporter = make_user("rep")
    for n in range(22):
        flag_create(reporter=reporter, idea=make_idea(f"Flagged {n:02d}"), reason="Spam?")
    commented = make_idea("Discussed")
    comment = comment_create(idea=commented, author=make_user("cam"), body="Buy my watches")
    flag_create(reporter=reporter, comment=comment, reason="Advert")
    client.force_login(reviewer)
    first = client.get("/review/moderation/").content.decode()
    assert first.count('class="panel flagged"') == 20 and "Page 1 of 2" in first
    assert "23 flagged items wait." in first
    comments = client.get("/review/moderation/?kind=comment").content.decode()
    assert comments.count('class="panel flagged"') == 1 and "Buy my watches" in comments
    ideas = client.get("/review/moderation/?kind=idea&page=2").content.decode()
    assert ideas.count('class="panel flagged"') == 2
