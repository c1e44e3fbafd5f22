"""Helpers for tests that are not fixtures."""

PASSWORD = "a-Good-pass-991"


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in form and wait to leave it."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('Sign in')")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
