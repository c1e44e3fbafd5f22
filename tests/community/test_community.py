"""Profiles, following ideas and members, creator updates, share links: who may do what, and
what reaches whom."""

import pytest
from django.core import mail

from community.models import IdeaFollow, IdeaUpdate, MemberFollow
from funding.models import Pledge
from notifications.models import Notification
from notifications.services import notification_settings_save
from tests.factories import (
    approve_contribution,
    idea_in_funding,
    make_idea,
    make_product,
    make_user,
)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla():
    return make_user("carla", display_name="Carla Q")


@pytest.fixture
def mo():
    return make_user("mo")


def _as(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_a_creator_update_reaches_followers_and_backers_in_the_site_and_by_email(
    client, carla, mo, django_capture_on_commit_callbacks
):
    rita = make_user("rita", role="reviewer")
    idea = idea_in_funding(carla, rita)
    backer, stranger = make_user("bea"), make_user("sam")
    Pledge.objects.create(idea=idea, member=backer, amount=500, currency="EUR")
    _as(client, mo).post(f"/ideas/{idea.pk}/follow/", {"follow": "1"})
    assert IdeaFollow.objects.filter(idea=idea, member=mo).exists()

    client.logout()
    _as(client, carla)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ideas/{idea.pk}/updates/", {"body": "The **first batch** ships in May."}
        )
    update = IdeaUpdate.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/ideas/{idea.pk}/#update-{update.pk}"
    )
    told = set(
        Notification.objects.filter(kind="creator_update").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"mo", "bea"}  # not the creator, not a stranger
    assert sorted(m.to[0] for m in mail.outbox) == ["bea@example.org", "mo@example.org"]
    assert "Carla Q posted an update on" in mail.outbox[0].body
    assert f"/ideas/{idea.pk}/#update-{update.pk}" in mail.outbox[0].body
    assert stranger.notifications.count() == 0

    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "<strong>first batch</strong>" in page  # rendered Markdown, sanitised
    assert f'id="update-{update.pk}"' in page


def test_a_follower_who_chose_the_digest_gets_the_update_in_it(
    carla, mo, django_capture_on_commit_callbacks
):
    from community.services import idea_follow, idea_update_post
    from notifications.services import digests_send

    idea = make_idea(creator=carla)
    idea_follow(idea=idea, member=mo)
    notification_settings_save(member=mo, channels={"following": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        idea_update_post(idea=idea, author=carla, body="Prototype two works.")
    assert mail.outbox == []
    assert mo.notifications.get().kind == "creator_update"
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    assert "Carla Q posted an update" in mail.outbox[0].body


def test_only_the_creator_posts_updates_and_mistakes_keep_the_text(client, carla, mo):
    idea = make_idea(creator=carla)
    assert client.post(f"/ideas/{idea.pk}/updates/", {"body": "x"}).status_code == 302  # sign in
    _as(client, mo)
    response = client.post(f"/ideas/{idea.pk}/updates/", {"body": "I am not the creator."})
    assert response.status_code == 400
    assert "Only the idea&#x27;s creator posts its updates." in response.content.decode()
    assert IdeaUpdate.objects.count() == 0
    client.logout()
    _as(client, carla)
    too_long = "y" * 5001
    response = client.post(f"/ideas/{idea.pk}/updates/", {"body": too_long})
    assert response.status_code == 400
    assert too_long in response.content.decode()  # nothing lost
    draft = make_idea(creator=carla, title="Draft", publish=False)
    response = client.post(f"/ideas/{draft.pk}/updates/", {"body": "Too early."})
    assert "Publish the idea before posting updates" in response.content.decode()
    assert IdeaUpdate.objects.count() == 0


def test_following_an_idea_toggles_and_shows_on_its_page(client, carla, mo):
    idea = make_idea(creator=carla)
    anonymous = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Sign in to follow" in anonymous and "0 followers" in anonymous
    assert client.post(f"/ideas/{idea.pk}/follow/", {"follow": "1"}).status_code == 302
    assert IdeaFollow.objects.count() == 0  # anonymous: sent to sign in
    _as(client, mo)
    client.post(f"/ideas/{idea.pk}/follow/", {"follow": "1"})
    client.post(f"/ideas/{idea.pk}/follow/", {"follow": "1"})  # twice: still one
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert "Following ✓" in page and "1 follower" in page
    client.post(f"/ideas/{idea.pk}/follow/", {"follow": "0"})
    assert IdeaFollow.objects.count() == 0
    draft = make_idea(creator=carla, title="Draft", publish=False)
    assert client.post(f"/ideas/{draft.pk}/follow/", {"follow": "1"}).status_code == 404
    assert client.get(f"/ideas/{draft.pk}/follow/").status_code == 405


def test_share_links_carry_the_ideas_address_and_load_nothing_until_clicked(client, carla):
    idea = make_idea(creator=carla, title="Solar kettle & more")
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert 'data-action="copy-link"' in page
    assert "https://twitter.com/intent/tweet?url=http" in page
    assert f"%2Fideas%2F{idea.pk}%2F" in page
    assert "mailto:?subject=Solar%20kettle%20%26%20more" in page
    assert '<script src="https://' not in page  # no third-party scripts


def test_following_a_member_tells_of_their_next_idea(
    client, carla, mo, django_capture_on_commit_callbacks
):
    _as(client, mo)
    response = client.post("/members/carla/follow/", {"follow": "1"})
    assert response.status_code == 302 and response["Location"] == "/members/carla/"
    assert MemberFollow.objects.filter(follower=mo, followed=carla).exists()
    assert client.post("/members/mo/follow/", {"follow": "1"}).status_code == 302
    assert not MemberFollow.objects.filter(follower=mo, followed=mo).exists()  # not oneself
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(creator=carla, title="Wind lamp")
    note = mo.notifications.get(kind="followed_member_idea")
    assert note.text == "Carla Q published a new idea: “Wind lamp”."
    assert note.url == f"/ideas/{idea.pk}/"
    client.post("/members/carla/follow/", {"follow": "0"})
    assert not MemberFollow.objects.exists()


def test_a_profile_shows_public_ideas_contributions_and_earnings_only_when_chosen(
    client, carla, mo
):
    make_idea(creator=carla, title="Wind lamp")
    make_idea(creator=carla, title="Secret draft", publish=False)
    product = make_product(mo, title="Tide clock")
    approve_contribution(product, carla, 30)
    page = client.get("/members/carla/").content.decode()
    assert "Carla Q" in page and "@carla" in page
    assert "Wind lamp" in page and "Secret draft" not in page
    assert "Tide clock" in page and "30 points" in page
    assert 'id="profile-earnings"' not in page
    assert "carla@example.org" not in page  # the e-mail stays private
    carla.profile_shows_earnings = True
    carla.save()
    assert 'id="profile-earnings"' in client.get("/members/carla/").content.decode()
    assert client.get("/members/nobody/").status_code == 404
    mo.is_active = False
    mo.save()
    assert client.get("/members/mo/").status_code == 404


def test_the_idea_page_links_the_creator_to_their_profile(client, carla):
    idea = make_idea(creator=carla)
    assert 'href="/members/carla/"' in client.get(f"/ideas/{idea.pk}/").content.decode()


def test_the_idea_page_reads_its_community_once(client, carla, mo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    idea = make_idea(creator=carla)
    client.force_login(mo)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ideas/{idea.pk}/").status_code == 200
    follows = [q for q in queries.captured_queries if "community_ideafollow" in q["sql"]]
    assert len(follows) == 2  # "do I follow it" and "how many do", not twice each


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/members/%00/", "/members/a%00b/", "/api/v1/members/%00/"])
def test_a_profile_with_a_nul_in_the_name_is_not_found(client, path):
    """Issue 26: 500 on /members/%00/."""
    assert client.get(path).status_code == 404


def test_the_follower_count_and_the_updates_show_at_once_on_a_cached_idea_page(client, carla, mo):
    from community.services import idea_follow, idea_unfollow, idea_update_post

    idea = make_idea(creator=carla)

    def page() -> str:
        return client.get(f"/ideas/{idea.pk}/").content.decode()

    assert "0 followers" in page() and "0 followers" in page()
    idea_follow(idea=idea, member=mo)
    assert "1 follower" in page()
    idea_update_post(idea=idea, author=carla, body="The prototype is **ready**.")
    assert "<strong>ready</strong>" in page()
    IdeaUpdate.objects.all().delete()  # as the admin would
    assert "<strong>ready</strong>" not in page()
    idea_unfollow(idea=idea, member=mo)
    assert "0 followers" in page()
