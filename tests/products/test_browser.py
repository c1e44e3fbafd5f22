"""In Chromium, at a desktop's and a phone's width: a funded product moves to prototype with a
milestone from its creator's workspace; the milestone slips, beat's job runs twice, and a backer
is told once; the product page, the idea page and the workspace pass axe."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from products.life_models import Milestone
from products.tasks import milestones_tell_slipped_task
from tests.a11y import assert_accessible
from tests.factories import make_product, make_user
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_a_product_moves_on_and_a_slipped_milestone_is_told_once(browser, live_server, width):
    carla = make_user("carla", display_name="Carla Q")
    bob = make_user("bob")
    reviewer = make_user("rita", role="reviewer")
    product = make_product(
        creator=carla, reviewer=reviewer, title="A solar kettle", pledges={bob: 30_000}
    )

    def signed_in(username):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 800}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        browser_login(page, username)
        return page

    creator = signed_in("carla")
    creator.goto(f"/products/{product.pk}/")
    creator.click("text=Open the product workspace")
    expect(creator.locator("h1")).to_contain_text("Workspace")
    assert_accessible(creator, f"the product workspace, at {width} px")

    creator.select_option("#id_stage-stage", "prototype")
    creator.fill("#id_stage-note", "The first prototype boils a litre in 20 minutes.")
    creator.click("#stage-form button[type=submit]")
    expect(creator.locator(".msg.success")).to_contain_text("The product moved on")
    expect(creator.locator(".stage-current")).to_contain_text("Prototype")

    due = timezone.localdate() + timedelta(days=7)
    creator.fill("#id_ms-title", "Ten testers use it")
    creator.fill("#id_ms-due_date", due.isoformat())
    creator.fill("#id_ms-description", "Each for a week, at home.")
    creator.click("#milestone-form button[type=submit]")
    expect(creator.locator(".msg.success")).to_contain_text("Milestone added")
    expect(creator.locator("#strip-next")).to_contain_text("Ten testers use it")
    assert_accessible(creator, f"the workspace with a milestone, at {width} px")

    creator.goto(f"/products/{product.pk}/")
    expect(creator.locator("#timeline")).to_contain_text("Moved from Design to Prototype.")
    expect(creator.locator("#timeline")).to_contain_text("boils a litre")
    assert_accessible(creator, f"the product page, at {width} px")

    # A week and a day later the milestone is not met: beat's job tells its audience, once.
    Milestone.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    mail.outbox.clear()
    assert milestones_tell_slipped_task.delay().get() == 1
    assert milestones_tell_slipped_task.delay().get() == 0
    to_bob = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    assert len(to_bob) == 1 and "missed its milestone “Ten testers use it”" in to_bob[0].body

    backer = signed_in("bob")
    backer.goto("/notifications/")
    note = backer.locator(".list li a", has_text="missed its milestone")
    expect(note).to_have_count(1)
    note.click()
    expect(backer.locator(f"#milestone-{Milestone.objects.get().pk}")).to_contain_text("overdue")
    expect(backer.locator("#strip-next .status-overdue")).to_have_text("overdue")
    assert_accessible(backer, f"the product page with an overdue milestone, at {width} px")

    backer.goto(f"/ideas/{product.idea_id}/")
    expect(backer.locator("#progress-strip")).to_contain_text("Ten testers use it")
    expect(backer.locator("#progress-strip .stage-current")).to_contain_text("Prototype")
    assert_accessible(backer, f"the idea page's progress strip, at {width} px")
    backer.context.close()
    creator.context.close()
