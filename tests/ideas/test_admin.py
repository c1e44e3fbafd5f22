import pytest

from ideas.models import ModerationEvent
from ideas.services import comment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user("ada", is_staff=True, is_superuser=True)


def test_staff_see_ideas_and_comments_in_the_admin(client, staff, idea, member):
    comment_create(idea=idea, author=member, body="Nice")
    client.force_login(staff)
    for url in (
        "/admin/ideas/idea/",
        f"/admin/ideas/idea/{idea.pk}/change/",
        "/admin/ideas/comment/",
        "/admin/ideas/flag/",
        "/admin/ideas/moderationevent/",
    ):
        assert client.get(url).status_code == 200, url  # fmt: skip


def test_hiding_from_the_admin_asks_for_a_reason_first(client, staff, idea, member):
    comment = comment_create(idea=idea, author=member, body="Spam spam")
    client.force_login(staff)
    url = "/admin/ideas/comment/"
    action = {"action": "hide_selected_comments", "_selected_action": [comment.pk]}
    response = client.post(url, action)
    assert response.status_code == 200
    assert "reason" in response.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None
    client.post(url, {**action, "apply": "Hide", "reason": "Advertising"})
    comment.refresh_from_db()
    assert comment.hidden_reason == "Advertising"
    assert ModerationEvent.objects.get(comment=comment).actor == staff
