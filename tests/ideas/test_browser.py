"""Real Chromium against a live server: post, preview, publish, discuss, stay safe."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from ideas.models import Comment, Idea, IdeaStatus
from tests.a11y import assert_accessible
from tests.helpers import PASSWORD, browser_login

from .conftest import MP4_BYTES


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_member_posts_previews_and_publishes_an_idea_with_a_video(page):
    # Sign up through the real form.
    page.goto("/accounts/signup/")
    page.fill("input[name=username]", "newcarla")
    page.fill("input[name=display_name]", "Carla Newcomer")
    page.fill("input[name=email]", "carla@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)
    # Sign-up answers "check your e-mail" (issue 10): confirm through the link, then sign in.
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/verify/" in line)
    page.goto(link[link.index("/accounts/verify/") :])
    browser_login(page, "newcarla")

    page.goto("/ideas/new/")
    page.fill("input[name=title]", "Folding solar kettle")
    page.fill("textarea[name=summary]", "Boil water with sunlight, fold it into a backpack.")
    page.fill(
        "textarea[name=body]",
        "## Why\n\nGas canisters are **heavy** and *wasteful*.\n\n- folds flat\n- 1 litre",
    )
    page.set_input_files(
        "input[name=video_file]",
        files=[{"name": "demo.mp4", "mimeType": "video/mp4", "buffer": MP4_BYTES}],
    )
    page.click("button[data-action=preview]")
    preview = page.locator("#preview")
    expect(preview.locator("strong")).to_have_text("heavy")
    expect(preview.locator("h2")).to_have_text("Why")
    assert_accessible(page, "the new idea form with its preview")

    page.click("button[name=publish]")
    page.wait_for_url("**/ideas/*/")
    expect(page.locator("h1")).to_have_text("Folding solar kettle")
    expect(page.locator(".idea-body strong")).to_have_text("heavy")
    expect(page.locator(".idea-body li")).to_have_count(2)
    expect(page.locator(".status")).to_contain_text("Voting")
    assert_accessible(page, "a new idea's page with its video")
    video = page.locator("video")
    expect(video).to_have_count(1)
    idea = Idea.objects.get(title="Folding solar kettle")
    assert idea.status == IdeaStatus.VOTING
    assert video.get_attribute("src") == idea.video_file.url

    page.goto("/?tab=new")
    expect(page.locator("#idea-list")).to_contain_text("Folding solar kettle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_members_reply_in_a_thread_and_a_hostile_script_does_not_run(page, make_user):
    from ideas.services import comment_create, idea_create, idea_publish

    creator = make_user("carla")
    bob = make_user("bob")
    make_user("mo")
    idea = idea_create(creator=creator, title="Bike lock", summary="Smart lock", body="It beeps.")
    idea_publish(idea=idea, actor=creator)
    first = comment_create(idea=idea, author=bob, body="Does it work in the rain?")

    browser_login(page, "mo")
    page.goto(f"/ideas/{idea.pk}/")
    count = page.locator("#comment-count")
    expect(count).to_have_text("1")
    page.fill("#comment-body", "   ")  # only spaces: the server's sentence, not "body: …"
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-form .error")).to_be_visible()
    error = page.locator("#comment-form .error").inner_text()
    assert error == "Enter your comment."  # the sentence alone, never "body: Enter …"
    thread = page.locator(f"#comment-{first.pk}")
    thread.get_by_role("button", name="Reply").click()
    thread.locator(".reply-form textarea").fill("Mine survived a **storm**.")
    thread.locator(".reply-form button[type=submit]").click()
    reply = thread.locator("ol.replies > li.comment")
    expect(reply).to_have_count(1)
    expect(reply.locator("strong").first).to_have_text("mo")
    expect(reply.locator(".comment-body strong")).to_have_text("storm")
    expect(count).to_have_text("2")  # the heading counts the new reply without a reload
    saved = Comment.objects.get(parent=first)
    assert (saved.author.username, saved.root_id) == ("mo", first.pk)

    hostile = (
        '<script>window.pwned = "script"</script>'
        '<img src="x" onerror="window.pwned = \'onerror\'">'
        "[click me](javascript:window.pwned='link')"
    )
    page.fill("#comment-body", hostile)
    page.click("#comment-form button[type=submit]")
    threads = page.locator("#comments > li.comment")
    expect(threads).to_have_count(2)
    expect(threads.nth(1).locator(":scope > .comment-body")).to_contain_text("click me")
    assert page.evaluate("window.pwned") is None
    page.reload()
    # The link lost its href: clicking it does nothing.
    threads.nth(1).locator(":scope > .comment-body a").click()
    assert page.evaluate("window.pwned") is None
    assert "<script" not in Comment.objects.latest("id").body_html
