"""Screenshots of the main pages at a desktop's and a phone's width, for the README.

    .venv/bin/python bench/screenshots.py        # or: make screenshots

Writes docs/screenshots/*.png from the demo (bench/demo_site.py), driving Debian's Chromium
through Playwright as each role, in English (``role-page-width-en.png``) and in Simplified
Chinese (``role-page-width-zh.png``: the browser asks for zh-Hans; Chinese glyphs need a CJK font,
``apt-get install fonts-wqy-microhei``).
"""

import os

from demo_site import PASSWORD, ROOT, demo_site
from playwright.sync_api import sync_playwright

OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROLES = [("visitor", None), ("member", "alice"), ("reviewer", "reviewer"), ("finance", "finance")]
# The browser's locale and Accept-Language, and the files' suffix, per language.
LANGUAGES = {"en": ("en-GB", "en-GB,en;q=0.9", "-en"), "zh": ("zh-CN", "zh-Hans,zh;q=0.9", "-zh")}


def _first_idea(page, state: str) -> str:
    page.goto(f"/?tab=top&state={state}")
    return page.locator("#idea-list h3 a").first.get_attribute("href")


def _urls(page, role: str) -> dict[str, str]:
    if role == "visitor":
        return {
            "home": "/",
            "idea-voting": _first_idea(page, "voting"),
            "idea-funding": _first_idea(page, "funding"),
            "products": "/products/",
            "profile": "/members/creator/",
        }
    return {
        "member": {"earnings": "/me/earnings/", "notification-choices": "/notifications/settings/"},
        "reviewer": {"review-queue": "/review/"},
        "finance": {"console": "/finance/"},
    }[role]


def main() -> None:
    written = []
    with demo_site() as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for (width, (w, h)), (locale, accept, suffix) in (
            (size, language) for size in WIDTHS.items() for language in LANGUAGES.values()
        ):
            for role, user in ROLES:
                context = browser.new_context(
                    base_url=base,
                    viewport={"width": w, "height": h},
                    locale=locale,
                    extra_http_headers={"Accept-Language": accept},
                )
                page = context.new_page()
                if user:
                    page.goto("/accounts/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("form button[type=submit]")
                    page.wait_for_load_state("load")
                for name, url in _urls(page, role).items():
                    page.goto(url)
                    page.wait_for_load_state("load")
                    path = OUT / f"{role}-{name}-{width}{suffix}.png"
                    page.screenshot(path=str(path))
                    written.append(path.name)
                context.close()
        browser.close()
    print("\n".join(written))
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
