"""Plain forms happen once: a double click or Back-and-resubmit makes one row and lands on the
first result (core.idempotency.once_per_submission with {% once_token %})."""

import pytest
from playwright.sync_api import expect

from ideas import services
from ideas.models import Idea, IdeaStatus, IdeaTransition, ModerationEvent
from ideas.services import flag_create
from tests.helpers import SETTLE_MS, browser_login, double_click, slowed


def _fill_new_idea(page, title: str) -> None:
    page.goto("/ideas/new/")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=summary]", "Boil water with sunlight, fold it into a backpack.")
    page.fill("textarea[name=body]", "Gas canisters are heavy.")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_double_clicking_publish_for_voting_on_the_new_idea_form_publishes_one_idea(
    page, make_user, monkeypatch
):
    make_user("carla")
    browser_login(page, "carla")
    _fill_new_idea(page, "Folding solar kettle")
    slowed(monkeypatch, services, "idea_create")
    double_click(page, page.locator("button[name=publish]"))
    page.wait_for_url("**/ideas/*/")
    expect(page.locator("h1")).to_have_text("Folding solar kettle")
    page.wait_for_timeout(SETTLE_MS)
    idea = Idea.objects.get()
    assert idea.status == IdeaStatus.VOTING
    assert page.url.endswith(f"/ideas/{idea.pk}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_going_back_to_the_new_idea_form_and_sending_it_again_makes_no_second_idea(page, make_user):
    make_user("carla")
    browser_login(page, "carla")
    _fill_new_idea(page, "Folding solar kettle")
    page.click("button[name=publish]")
    page.wait_for_url("**/ideas/*/")
    first = Idea.objects.get()

    page.go_back()
    expect(page.locator("input[name=title]")).to_have_value("Folding solar kettle")
    page.click("button[name=publish]")
    page.wait_for_url(f"**/ideas/{first.pk}/")
    expect(page.locator("h1")).to_have_text("Folding solar kettle")
    page.wait_for_timeout(SETTLE_MS)
    assert list(Idea.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_double_clicking_publish_for_voting_on_the_idea_page_publishes_it_once(
    page, make_idea, monkeypatch
):
    draft = make_idea("Bike lock", publish=False)
    browser_login(page, "carla")
    page.goto(f"/ideas/{draft.pk}/")
    slowed(monkeypatch, services, "idea_publish")
    double_click(page, page.get_by_role("button", name="Publish for voting"))
    page.wait_for_url(f"**/ideas/{draft.pk}/")
    page.wait_for_timeout(SETTLE_MS)
    expect(page.locator(".idea-head .status")).to_contain_text("Voting")
    expect(page.locator(".msg.error")).to_have_count(0)  # no "Only a draft can be published."
    assert IdeaTransition.objects.filter(idea=draft, to_status=IdeaStatus.VOTING).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_double_clicking_hide_in_the_moderation_queue_hides_once_without_an_error(
    page, make_idea, member, reviewer, monkeypatch
):
    idea = make_idea("Spam kettle")
    flag_create(reporter=member, reason="It is an advert.", idea=idea)
    browser_login(page, "rita")
    page.goto("/review/moderation/")
    flagged = page.locator(f"#flagged-idea-{idea.pk}")
    flagged.locator("input[name=reason]").fill("Adverts are not ideas.")
    slowed(monkeypatch, services, "idea_hide")
    double_click(page, flagged.get_by_role("button", name="Hide"))
    page.wait_for_url("**/review/moderation/")
    page.wait_for_timeout(SETTLE_MS)
    expect(page.get_by_text("This idea is already hidden.")).to_have_count(0)
    expect(page.locator(f"#flagged-idea-{idea.pk}")).to_have_count(0)
    assert ModerationEvent.objects.filter(idea=idea).count() == 1
