"""A member claims on the product page, a reviewer approves from the queue, the table shows it."""

import re

import pytest
from playwright.sync_api import expect

from contributions.models import Contribution, ContributionStatus
from tests.a11y import assert_accessible
from tests.factories import make_product
from tests.helpers import browser_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_claim_goes_from_the_product_page_through_the_queue_into_the_table(page, make_user):
    creator = make_user("carla")
    backer = make_user("bob")
    alice = make_user("alice")
    make_user("rita", role="reviewer")
    product = make_product(creator=creator, title="Pocket helmet", pledges={backer: 30_000})

    # Alice claims a design contribution on the product page.
    browser_login(page, "alice")
    page.goto(f"/products/{product.pk}/")
    expect(page.get_by_role("heading", name="Pocket helmet")).to_be_visible()
    page.select_option("select[name=kind]", "design")
    page.fill("textarea[name=description]", "Designed the folding hinge, drawings attached.")
    page.fill("input[name=proposed_points]", "120")
    page.fill("input[name=evidence_url]", "https://example.org/hinge-drawings")
    page.click("#claim-form button[type=submit]")
    expect(page.get_by_text("Your claim is waiting for a reviewer")).to_be_visible()
    expect(page.locator(".claims")).to_contain_text("Designed the folding hinge")
    assert_accessible(page, "the product page with a claim waiting")

    # Rita approves it from the queue with 100 points, without leaving the page.
    page.context.clear_cookies()
    browser_login(page, "rita")
    page.goto("/review/contributions/")
    claim = Contribution.objects.get(member=alice)
    item = page.locator(f"#claim-{claim.pk}")
    expect(item).to_contain_text("Designed the folding hinge")
    assert_accessible(page, "the claims queue with a claim")
    item.locator("input[name=points]").fill("100")
    item.get_by_role("button", name="Approve").click()
    expect(page.locator("#queue-status")).to_contain_text(
        "Approved alice’s design claim with 100 points"
    )
    expect(item).to_have_count(0)
    assert page.url.endswith("/review/contributions/")
    claim.refresh_from_db()
    assert (claim.status, claim.points) == (ContributionStatus.APPROVED, 100)

    # Anyone now sees Alice's points and her share of the pool: 100 of 400 points.
    page.context.clear_cookies()
    page.goto(f"/products/{product.pk}/")
    row = page.locator("#contribution-table tbody tr", has_text="alice")
    expect(row).to_contain_text("100")
    expect(row).to_contain_text(re.compile(r"25\.00\s*%"))
    expect(page.locator("#contribution-table tbody tr", has_text="bob")).to_contain_text("75.00")
