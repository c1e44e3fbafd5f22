"""The Django admin in a real Chromium, under the site's Content-Security-Policy: its pages
(sign-in, index, a list with filters and actions, an add form with related-object widgets and a
date picker) run without a single policy violation, and their scripts work."""

import pytest

from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_run_without_a_policy_violation(page, live_server, make_user):
    make_user("ada", is_staff=True, is_superuser=True)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/admin/login/")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: url.endswith("/admin/"))
    for path in (
        "/admin/",
        "/admin/ideas/idea/",
        "/admin/ideas/idea/add/",
        "/admin/accounts/user/",
    ):
        page.goto(path)
        page.wait_for_load_state("load")
    # The admin's own scripts ran: the list's select-all checkbox ticks every row.
    page.goto("/admin/accounts/user/")
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() >= 1
    assert violations == []
