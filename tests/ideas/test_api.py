import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contributions.models import Contribution
from ideas.models import Category, Idea, IdeaStatus
from ideas.services import comment_create, idea_hide
from ideas.transitions import idea_transition

from .conftest import video_upload

pytestmark = pytest.mark.django_db
DENIED = (401, 403)


def _field(response) -> dict:
    return response.json()["error"]["fields"]


# --- Listing --------------------------------------------------------------------------------


def test_visitors_list_published_ideas_but_not_drafts_or_hidden_ones(
    client_for, make_idea, reviewer
):
    shown = make_idea("Shown")
    make_idea("Draft", publish=False)
    hidden = make_idea("Hidden")
    idea_hide(idea=hidden, actor=reviewer, reason="Spam")
    response = client_for(None).get("/api/v1/ideas/")
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["results"]] == [shown.pk]


def test_an_idea_in_the_list_has_the_fields_other_tools_rely_on(client_for, idea):
    item = client_for(None).get("/api/v1/ideas/").json()["results"][0]
    assert item["id"] == idea.pk
    assert item["status"] == "voting"
    assert item["vote_count"] == 0
    assert item["product"] is None


def test_list_filters_by_status_category_and_words(client_for, make_idea, creator):
    gadgets = Category.objects.create(name="Gadgets", slug="gadgets")
    kettle = make_idea("Solar kettle", category=gadgets)
    make_idea("Bike lock", body="A lock that knows its bike.")
    draft_filter = client_for(None).get("/api/v1/ideas/?status=draft").json()
    assert draft_filter["count"] == 0
    by_category = client_for(None).get("/api/v1/ideas/?category=gadgets").json()
    assert [i["id"] for i in by_category["results"]] == [kettle.pk]
    by_words = client_for(None).get("/api/v1/ideas/?q=kettle").json()
    assert [i["id"] for i in by_words["results"]] == [kettle.pk]


def test_top_ordering_puts_most_voted_first(client_for, make_idea):
    few = make_idea("Few votes")
    many = make_idea("Many votes")
    Idea.objects.filter(pk=many.pk).update(votes_folded=50)  # the voting app keeps this count
    Idea.objects.filter(pk=few.pk).update(votes_folded=2)
    ids = [i["id"] for i in client_for(None).get("/api/v1/ideas/?ordering=top").json()["results"]]
    assert ids == [many.pk, few.pk]


def test_hot_ordering_lets_a_fresh_idea_beat_an_older_one_with_a_few_more_votes(
    client_for, make_idea
):
    from datetime import timedelta

    from django.utils import timezone

    old = make_idea("Old idea")
    fresh = make_idea("Fresh idea")
    Idea.objects.filter(pk=old.pk).update(
        votes_folded=30, published_at=timezone.now() - timedelta(days=6)
    )
    Idea.objects.filter(pk=fresh.pk).update(votes_folded=5)
    ids = [i["id"] for i in client_for(None).get("/api/v1/ideas/?ordering=hot").json()["results"]]
    assert ids == [fresh.pk, old.pk]
    Idea.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(hours=1))
    ids = [i["id"] for i in client_for(None).get("/api/v1/ideas/?ordering=hot").json()["results"]]
    assert ids == [old.pk, fresh.pk]


def test_unknown_ordering_or_status_is_a_400_naming_the_field(client_for):
    response = client_for(None).get("/api/v1/ideas/?ordering=random")
    assert response.status_code == 400
    assert "ordering" in _field(response)
    response = client_for(None).get("/api/v1/ideas/?status=pending")
    assert response.status_code == 400
    assert "status" in _field(response)


def _count_list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_takes_the_same_number_of_queries_for_2_or_20_ideas(
    client_for, make_idea, make_user
):
    client = client_for(None)
    gadgets = Category.objects.create(name="Gadgets", slug="gadgets")
    for n in range(2):
        make_idea(f"Idea {n}", category=gadgets, tags=["a", f"t{n}"])
    few = _count_list_queries(client, "/api/v1/ideas/?ordering=hot")
    for n in range(2, 20):
        make_idea(f"Idea {n}", by=make_user(f"u{n}"), category=gadgets, tags=["b", f"t{n}"])
    many = _count_list_queries(client, "/api/v1/ideas/?ordering=hot")
    assert few == many


# --- Creating and editing -------------------------------------------------------------------


def test_visitors_cannot_post_ideas(client_for):
    response = client_for(None).post("/api/v1/ideas/", {"title": "t", "summary": "s", "body": "b"})
    assert response.status_code in DENIED


def test_a_member_posts_a_draft_and_publishes_it(client_for, member):
    client = client_for(member)
    response = client.post(
        "/api/v1/ideas/",
        {"title": "Bee hotel", "summary": "Homes for bees", "body": "Made of **wood**."},
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "draft"
    assert "<strong>wood</strong>" in data["body_html"]
    response = client.post(f"/api/v1/ideas/{data['id']}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "voting"


def test_posting_with_publish_true_opens_voting_at_once(client_for, member):
    response = client_for(member).post(
        "/api/v1/ideas/", {"title": "T", "summary": "S", "body": "B", "publish": True}
    )
    assert response.json()["status"] == "voting"
    assert response.json()["published_at"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x" * 121, "summary": "s", "body": "b"}, "title"),
        ({"title": "t", "summary": "s", "body": ""}, "body"),
        ({"summary": "s", "body": "b"}, "title"),
        ({"title": "t", "summary": "s", "body": "b", "category": "nope"}, "category"),
        ({"title": "t", "summary": "s", "body": "b", "tags": 5}, "tags"),
        ({"title": "t", "summary": "s", "body": "b", "tags": ["x" * 41]}, "tags"),
        ({"title": "t", "summary": "s", "body": "b", "tags": ["a\x00b"]}, "tags"),
        ({"title": "t", "summary": "s", "body": "b", "video_url": "https://v.io/1"}, "video_url"),
        ({"title": ["t"], "summary": "s", "body": "b"}, "title"),
    ],
)  # fmt: skip
def test_bad_idea_input_is_a_400_naming_the_field(client_for, member, payload, field):
    response = client_for(member).post("/api/v1/ideas/", payload, format="json")
    assert response.status_code == 400
    assert field in _field(response)
    assert not Idea.objects.exists()


def test_malformed_json_is_a_400(client_for, member):
    response = client_for(member).post(
        "/api/v1/ideas/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_an_mp4_that_is_really_text_is_a_400_on_video_file(client_for, member):
    fake = video_upload(b"I am a text file pretending" * 40, name="clip.mp4")
    response = client_for(member).post(
        "/api/v1/ideas/",
        {"title": "t", "summary": "s", "body": "b", "video_file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert "video_file" in _field(response)


def test_a_video_upload_is_stored_and_shown(client_for, member):
    response = client_for(member).post(
        "/api/v1/ideas/",
        {"title": "t", "summary": "s", "body": "b", "video_file": video_upload()},
        format="multipart",
    )
    assert response.status_code == 201
    video = response.json()["video"]
    assert video["kind"] == "file"
    assert video["mime"] == "video/mp4"
    assert video["url"].startswith("/media/videos/")


def test_an_oversized_upload_is_a_400_on_video_file_and_is_not_stored(
    client, member, settings, tmp_path
):
    settings.VIDEO_MAX_UPLOAD_BYTES = 1024  # stands in for the 2 GB upload
    client.force_login(member)
    big = video_upload(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 5000)
    response = client.post(
        "/api/v1/ideas/", {"title": "t", "summary": "s", "body": "b", "video_file": big}
    )
    assert response.status_code == 400
    assert "video_file" in response.json()["error"]["fields"]
    assert not (settings.MEDIA_ROOT / "videos").exists()


def test_the_creator_patches_while_voting(client_for, idea, creator):
    response = client_for(creator).patch(f"/api/v1/ideas/{idea.pk}/", {"title": "Better"})
    assert response.status_code == 200
    assert response.json()["title"] == "Better"


def test_patching_in_review_is_a_conflict(client_for, idea, creator):
    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="threshold")
    response = client_for(creator).patch(f"/api/v1/ideas/{idea.pk}/", {"title": "Better"})
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["anonymous", "member", "reviewer", "finance"])
def test_only_the_creator_may_patch(client_for, idea, member, reviewer, finance, who):
    user = {"anonymous": None, "member": member, "reviewer": reviewer, "finance": finance}[who]
    response = client_for(user).patch(f"/api/v1/ideas/{idea.pk}/", {"title": "Mine"})
    assert response.status_code in DENIED
    idea.refresh_from_db()
    assert idea.title != "Mine"


def test_someone_elses_draft_is_not_found(client_for, make_idea, member):
    draft = make_idea(publish=False)
    assert client_for(member).get(f"/api/v1/ideas/{draft.pk}/").status_code == 404
    assert client_for(member).patch(f"/api/v1/ideas/{draft.pk}/", {"title": "x"}).status_code == 404
    assert client_for(None).get(f"/api/v1/ideas/{draft.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_only_the_creator_may_publish(client_for, make_idea, member, who):
    draft = make_idea(publish=False)
    Idea.objects.filter(pk=draft.pk).update(published_at=None)
    user = None if who == "anonymous" else member
    assert client_for(user).post(f"/api/v1/ideas/{draft.pk}/publish/").status_code in (
        *DENIED,
        404,
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_product_field_is_the_product_id_once_funded(client_for, idea, creator):
    from funding.models import FundingRound, Product

    for status in (IdeaStatus.REVIEW, IdeaStatus.FUNDING, IdeaStatus.FUNDED):
        idea_transition(idea=idea, to_status=status, reason="test")
    terms = FundingRound.objects.create(
        idea=idea, goal=1000, currency="EUR", deadline=timezone.now(), platform_fee_bp=1500,
        points_per_unit=1,
    )  # fmt: skip
    product = Product.objects.create(idea=idea, funding_round=terms, amount_raised=1000)
    assert client_for(None).get(f"/api/v1/ideas/{idea.pk}/").json()["product"] == product.pk
    listed = client_for(None).get("/api/v1/ideas/").json()["results"][0]
    assert listed["product"] == product.pk


# --- Comments -------------------------------------------------------------------------------


def test_visitors_read_comments_in_thread_order(client_for, idea, member, other_member):
    first = comment_create(idea=idea, author=member, body="first")
    second = comment_create(idea=idea, author=other_member, body="second")
    reply = comment_create(idea=idea, author=other_member, body="reply", parent=first)
    response = client_for(None).get(f"/api/v1/ideas/{idea.pk}/comments/")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [first.pk, reply.pk, second.pk]


def test_visitors_cannot_comment(client_for, idea):
    response = client_for(None).post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": "hi"})
    assert response.status_code in DENIED


def test_a_member_comments_and_replies(client_for, idea, member):
    client = client_for(member)
    top = client.post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": "Love it"})
    assert top.status_code == 201
    reply = client.post(
        f"/api/v1/ideas/{idea.pk}/comments/",
        {"body": "Me too", "parent": top.json()["id"], "is_suggestion": True},
    )
    assert reply.status_code == 201
    assert reply.json()["parent"] == top.json()["id"]
    assert reply.json()["is_suggestion"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"body": ""}, "body"), ({"body": "x", "parent": 999999}, "parent"), ({}, "body"),
     ({"body": "x" * 10_001}, "body"), ({"body": "x", "parent": "abc"}, "parent")],
)  # fmt: skip
def test_bad_comments_are_a_400_naming_the_field(client_for, idea, member, payload, field):
    response = client_for(member).post(f"/api/v1/ideas/{idea.pk}/comments/", payload)
    assert response.status_code == 400
    assert field in _field(response)


def test_a_comment_on_a_hidden_idea_is_a_400_naming_the_idea(client_for, idea, member, reviewer):
    idea_hide(idea=idea, actor=reviewer, reason="Off-topic")
    response = client_for(member).post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": "hi"})
    assert response.status_code == 400
    assert "idea" in _field(response)


def test_commenting_is_rate_limited(client_for, idea, member, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "comment_user": "3/min",
        },
    }
    client = client_for(member)
    codes = [
        client.post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": f"c{n}"}).status_code
        for n in range(4)
    ]
    assert codes == [201, 201, 201, 429]


def _suggestion(idea, member):
    return comment_create(idea=idea, author=member, body="Add a lid", is_suggestion=True)


@pytest.mark.parametrize("who", ["anonymous", "member", "reviewer", "finance", "suggester"])
def test_only_the_creator_accepts_a_suggestion(
    client_for, idea, member, other_member, reviewer, finance, who
):
    comment = _suggestion(idea, member)
    user = {
        "anonymous": None, "member": other_member, "reviewer": reviewer,
        "finance": finance, "suggester": member,
    }[who]  # fmt: skip
    response = client_for(user).post(f"/api/v1/comments/{comment.pk}/accept/")
    assert response.status_code in DENIED
    assert not Contribution.objects.exists()


def test_the_creator_accepts_a_suggestion(client_for, idea, creator, member):
    comment = _suggestion(idea, member)
    response = client_for(creator).post(f"/api/v1/comments/{comment.pk}/accept/", {"points": 25})
    assert response.status_code == 200
    assert response.json()["accepted"] is True
    claim = Contribution.objects.get(pk=response.json()["contribution"])
    assert (claim.member, claim.kind, claim.proposed_points) == (member, "suggestion", 25)
    again = client_for(creator).post(f"/api/v1/comments/{comment.pk}/accept/")
    assert again.status_code == 409


def test_accepting_with_bad_points_is_a_400(client_for, idea, creator, member):
    comment = _suggestion(idea, member)
    response = client_for(creator).post(f"/api/v1/comments/{comment.pk}/accept/", {"points": 0})
    assert response.status_code == 400
    assert "points" in _field(response)


# --- Flags and moderation -------------------------------------------------------------------


def test_members_flag_and_visitors_cannot(client_for, idea, member):
    comment = comment_create(idea=idea, author=member, body="hmm")
    assert (
        client_for(None).post(f"/api/v1/ideas/{idea.pk}/flag/", {"reason": "spam"}).status_code
        in DENIED
    )
    assert (
        client_for(member).post(f"/api/v1/ideas/{idea.pk}/flag/", {"reason": "spam"}).status_code
        == 201
    )
    response = client_for(member).post(f"/api/v1/comments/{comment.pk}/flag/", {"reason": "x"})
    assert response.status_code == 400  # one's own comment


@pytest.mark.parametrize("who", ["anonymous", "member", "creator", "finance"])
def test_only_reviewers_hide(client_for, idea, member, creator, finance, who):
    comment = comment_create(idea=idea, author=member, body="hmm")
    user = {"anonymous": None, "member": member, "creator": creator, "finance": finance}[who]
    client = client_for(user)
    assert (
        client.post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": "x"}).status_code in DENIED
    )
    assert client.post(f"/api/v1/ideas/{idea.pk}/hide/", {"reason": "x"}).status_code in DENIED


def test_a_reviewer_hides_with_a_reason_and_visitors_see_only_the_reason(
    client_for, idea, member, reviewer
):
    comment = comment_create(idea=idea, author=member, body="secret spam")
    response = client_for(reviewer).post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in _field(response)
    response = client_for(reviewer).post(
        f"/api/v1/comments/{comment.pk}/hide/", {"reason": "Advertising"}
    )
    assert response.status_code == 200
    shown = client_for(None).get(f"/api/v1/ideas/{idea.pk}/comments/").json()["results"][0]
    assert shown["hidden"] is True
    assert shown["hidden_reason"] == "Advertising"
    assert "spam" not in shown["body_html"]
    response = client_for(reviewer).post(f"/api/v1/ideas/{idea.pk}/hide/", {"reason": "Dupe"})
    assert response.status_code == 200
    detail = client_for(None).get(f"/api/v1/ideas/{idea.pk}/").json()
    assert detail["hidden"] is True
    assert detail["body_html"] == ""


def test_markdown_preview_needs_a_member_and_sanitises(client_for, member):
    assert client_for(None).post("/api/v1/markdown/preview/", {"body": "x"}).status_code in DENIED
    response = client_for(member).post(
        "/api/v1/markdown/preview/", {"body": "**hi** <script>alert(1)</script>"}
    )
    assert response.json()["html"] == "<p><strong>hi</strong> </p>"


def _preview_rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def test_markdown_preview_is_rate_limited_per_member(client_for, member, settings):
    _preview_rates(settings, preview_user="3/min", preview_ip="100/min")
    client = client_for(member)
    codes = [
        client.post("/api/v1/markdown/preview/", {"body": f"try {n}"}).status_code for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert client.post("/api/v1/markdown/preview/", {"body": "x"}).has_header("Retry-After")


def test_markdown_preview_is_rate_limited_per_address(client_for, make_user, settings):
    _preview_rates(settings, preview_user="100/min", preview_ip="2/min")
    codes = [
        client_for(make_user(f"previewer{n}"))
        .post("/api/v1/markdown/preview/", {"body": "x"}, REMOTE_ADDR="203.0.113.7")
        .status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_closing_soon_lists_open_rounds_by_deadline(client, client_for, make_idea):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    later = make_idea("Closes in ten days")
    soon = make_idea("Closes tomorrow")
    past = make_idea("Window already over")
    Idea.objects.filter(pk=later.pk).update(voting_deadline=now + timedelta(days=10))
    Idea.objects.filter(pk=soon.pk).update(voting_deadline=now + timedelta(days=1))
    Idea.objects.filter(pk=past.pk).update(voting_deadline=now - timedelta(hours=1))
    ids = [
        i["id"] for i in client_for(None).get("/api/v1/ideas/?ordering=closing").json()["results"]
    ]
    assert ids == [past.pk, soon.pk, later.pk]
    page = client.get("/?tab=closing").content.decode()
    assert page.index("Closes tomorrow") < page.index("Closes in ten days")
    assert "Window already over" not in page
