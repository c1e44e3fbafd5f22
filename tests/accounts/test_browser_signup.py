import pytest
from django.core import mail

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_confirms_and_signs_in_in_a_real_browser(page):
    # Changed for issue 10: sign-up no longer signs in; the answer is "check your e-mail"
    # whether or not the name or address had an account, and the e-mailed link confirms.
    page.goto("/")
    page.click("text=Sign up")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=display_name]", "New Comer")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password]", "a-Good-pass-991")
    page.click("button:has-text('Create my account')")
    page.wait_for_url("**/")
    assert page.locator(".msg.success").is_visible()
    assert "Check your e-mail" in page.inner_text("body")
    assert User.objects.filter(username="newcomer").exists()

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/verify/" in line)
    page.goto(link[link.index("/accounts/verify/") :])
    assert "confirmed" in page.inner_text(".msg.success")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=password]", "a-Good-pass-991")
    page.click("form button[type=submit]:has-text('Sign in')")
    assert page.locator("button:has-text('Sign out (New Comer)')").is_visible()
    page.click("button:has-text('Sign out')")
    assert page.locator("a:has-text('Sign in')").is_visible()


def test_navigation_folds_into_a_menu_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    assert not page.locator("nav.nav").is_visible()
    page.click("label.nav-burger")
    assert page.locator("nav.nav a:has-text('Sign in')").is_visible()
    # Nothing is wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
