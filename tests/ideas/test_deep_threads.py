"""A thread of any depth renders without recursion (issue 26): deep replies flatten at the
display depth, each saying whom it answers."""

import re

import pytest

from ideas import selectors, threads
from ideas.models import Comment
from ideas.services import comment_create


def _chain(idea, authors, length: int) -> list[Comment]:
    """A root comment and ``length`` replies, each answering the one before."""
    parent = None
    chain = []
    for n in range(length + 1):
        parent = comment_create(
            idea=idea, author=authors[n % len(authors)], body=f"reply {n}", parent=parent
        )
        chain.append(parent)
    return chain


@pytest.mark.django_db
def test_a_thread_of_300_nested_replies_does_not_break_the_idea_page(
    client, idea, member, other_member
):
    _chain(idea, [member, other_member], 300)
    response = client.get(f"/ideas/{idea.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="comment depth-') == 301
    assert "reply 300" in html
    assert html.count("in reply to @") == 300 - threads.THREAD_DISPLAY_DEPTH
    # Balanced markup: every list opened is closed.
    assert html.count("<ol") == html.count("</ol>")
    assert len(re.findall(r"<li[ >]", html)) == html.count("</li>")


@pytest.mark.django_db
def test_replies_flatten_at_the_display_depth_in_order(idea, member, other_member):
    chain = _chain(idea, [member, other_member], 9)
    sibling = comment_create(idea=idea, author=member, body="second answer", parent=chain[1])
    rows = selectors.comment_threads(roots=[chain[0]])
    assert [r.comment.pk for r in rows] == [c.pk for c in chain] + [sibling.pk]
    assert [r.depth for r in rows] == [0, 1, 2, 3, 4, 5, 6, 6, 6, 6, 2]
    assert rows[7].reply_to == chain[6].author.public_name
    assert rows[6].reply_to == ""
    assert [r.opens for r in rows[:7]] == [True] * 6 + [False]
    assert len(rows[-2].up) == 6 - 2  # back up to the sibling's level
    assert len(rows[-1].up) == 2  # and the thread closes


@pytest.mark.django_db
def test_a_reply_posted_deep_in_a_thread_renders_alone(idea, member, other_member, client_for):
    chain = _chain(idea, [member, other_member], 8)
    response = client_for(member).post(
        f"/api/v1/ideas/{idea.pk}/comments/?html=1",
        {"body": "deep answer", "parent": chain[-1].pk},
        format="json",
    )
    assert response.status_code == 201
    html = response.json()["html"]
    assert "depth-6" in html and "in reply to @" in html
    assert html.count("<li") == html.count("</li>") == 1
