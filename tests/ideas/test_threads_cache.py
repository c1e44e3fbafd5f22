"""The idea page's threads are rendered once per kind of reader (ideas.listcache.cached_threads):
what a reader sees of their own comments, the creator's buttons, a write, a language, a time
zone and a changed name always show as if rendered for them."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.services.comments import comment_accept, comment_create
from ideas.services.moderation import comment_hide


def discussion(client, idea, **headers) -> tuple[str, int]:
    """The idea page's threads as this client's reader sees them, and the page's queries."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/ideas/{idea.pk}/", **headers).content.decode()
    start = page.index('<ol class="comments" id="comments"')
    return page[start : page.index("<template", start)], len(queries.captured_queries)


def comment_of(page: str, comment) -> str:
    start = page.index(f'id="comment-{comment.pk}"')
    end = page.find('<li class="comment', start)
    return page[start : end if end > 0 else len(page)]


def test_members_share_a_rendering_with_their_own_buttons(
    client, make_idea, member, other_member, make_user
):
    idea = make_idea("Solar kettle")
    question = comment_create(idea=idea, author=member, body="Would it work in the rain?")
    reader = make_user("rui")
    client.force_login(other_member)
    first, first_queries = discussion(client, idea)
    client.force_login(reader)
    again, again_queries = discussion(client, idea)
    assert again == first and again_queries < first_queries  # the threads: not asked again
    assert 'data-action="flag"' in comment_of(again, question)
    assert 'data-action="reply"' in comment_of(again, question)
    # The comment's author flags nothing of their own: theirs is rendered for them.
    client.force_login(member)
    own, _ = discussion(client, idea)
    assert 'data-action="reply"' in comment_of(own, question)
    assert 'data-action="flag"' not in comment_of(own, question)


def test_a_new_comment_shows_at_once_to_the_writer_and_to_everyone(
    client, make_idea, member, other_member
):
    idea = make_idea("Solar kettle")
    comment_create(idea=idea, author=member, body="Would it work in the rain?")
    client.force_login(other_member)
    discussion(client, idea)
    client.logout()
    discussion(client, idea)
    comment_create(idea=idea, author=other_member, body="It is sealed, I asked.")
    assert "It is sealed, I asked." in discussion(client, idea)[0]  # a visitor
    client.force_login(other_member)
    assert "It is sealed, I asked." in discussion(client, idea)[0]  # the writer
    client.force_login(member)
    assert "It is sealed, I asked." in discussion(client, idea)[0]  # another member


def test_a_hidden_comment_shows_its_text_to_its_author_and_reviewers_only(
    client, make_idea, member, other_member, reviewer
):
    idea = make_idea("Solar kettle")
    spam = comment_create(idea=idea, author=member, body="Buy cheap watches")
    comment_create(idea=idea, author=other_member, body="A fair question.")
    comment_hide(comment=spam, actor=reviewer, reason="Spam.")
    for reader in (other_member, reviewer, member, other_member):
        client.force_login(reader)
        page, _ = discussion(client, idea)
        assert ("Buy cheap watches" in page) == (reader != other_member), reader
        assert ('data-action="hide"' in page) == (reader == reviewer), reader


def test_only_the_creator_sees_accept_buttons_and_an_accepted_one_shows_at_once(
    client, make_idea, creator, member, other_member
):
    idea = make_idea("Solar kettle")
    tip = comment_create(idea=idea, author=member, body="Make it fold.", is_suggestion=True)
    client.force_login(other_member)
    assert 'data-action="accept"' not in discussion(client, idea)[0]
    client.force_login(creator)
    assert 'data-action="accept"' in discussion(client, idea)[0]
    comment_accept(comment=tip, actor=creator)
    client.force_login(other_member)
    page, _ = discussion(client, idea)
    assert "pill-accepted" in page and 'data-action="accept"' not in page


def test_each_language_and_time_zone_has_its_own_threads(client, make_idea, member):
    idea = make_idea("Solar kettle")
    comment_create(idea=idea, author=member, body="Would it work in the rain?")
    english, _ = discussion(client, idea, HTTP_ACCEPT_LANGUAGE="en")
    chinese, _ = discussion(client, idea, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "just now" in english and "刚刚" in chinese
    client.cookies["tz"] = "Asia/Shanghai"
    shanghai, _ = discussion(client, idea, HTTP_ACCEPT_LANGUAGE="en")
    assert re.search(r'datetime="[^"]+\+08:00"', shanghai)
    assert not re.search(r'datetime="[^"]+\+08:00"', english)


def test_relative_times_are_written_for_each_reader_and_a_new_name_shows_at_once(
    client, make_idea, member
):
    idea = make_idea("Solar kettle")
    question = comment_create(idea=idea, author=member, body="Would it work in the rain?")
    discussion(client, idea)
    question.__class__.objects.filter(pk=question.pk).update(
        created_at=question.created_at.replace(year=question.created_at.year - 1)
    )  # as if written a year ago: the page is cached; its time is written now
    from ideas.listcache import threads_changed

    threads_changed(idea.pk)  # (the update above bypasses the services: retire by hand)
    discussion(client, idea)
    assert "1 year ago" in discussion(client, idea)[0]
    member.display_name = "Mo the Maker"
    member.save()
    assert "Mo the Maker" in discussion(client, idea)[0]


def test_a_discussion_of_one_page_and_of_two(client, make_idea, member):
    idea = make_idea("Solar kettle")
    for n in range(20):
        comment_create(idea=idea, author=member, body=f"Question {n:02}")
    one, _ = discussion(client, idea)
    assert "Question 19" in one and "Page 1 of" not in one
    comment_create(idea=idea, author=member, body="Question 20")
    first, _ = discussion(client, idea)
    assert "Question 00" in first and "Question 20" not in first and "Page 1 of 2" in first
    second = client.get(f"/ideas/{idea.pk}/?page=2").content.decode()
    assert "Question 20" in second and "Question 00" not in second
