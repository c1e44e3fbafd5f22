"""Screenshots of the main pages at a desktop's and a phone's width, for the README.

    .venv/bin/python docs/screenshots/take.py          # writes docs/screenshots/*.png

Builds a throwaway SQLite database with the demo data (``seed_demo``), serves it with
``runserver`` on a free port, and drives Debian's Chromium through Playwright as each role.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PASSWORD = "ahhha-demo-2026"  # accounts.demo.DEMO_PASSWORD
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, port: int) -> subprocess.Popen:
    python = sys.executable
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [python, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    server = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the demo server did not start")


def _first_idea(page, state: str) -> str:
    page.goto(f"/?tab=top&state={state}")
    return page.locator("#idea-list h3 a").first.get_attribute("href")


def _shots(page, prefix: str, urls: dict[str, str], width: str) -> list[str]:
    written = []
    for name, url in urls.items():
        page.goto(url)
        page.wait_for_load_state("load")
        path = OUT / f"{prefix}-{name}-{width}.png"
        page.screenshot(path=str(path))
        written.append(path.name)
    return written


def main() -> None:
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "DEBUG": "1",
        }
        env.pop("REDIS_URL", None)
        server = _serve(env, port)
        written = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                for width, (w, h) in WIDTHS.items():
                    for role, user in [
                        ("visitor", None),
                        ("member", "alice"),
                        ("reviewer", "reviewer"),
                        ("finance", "finance"),
                    ]:
                        context = browser.new_context(
                            base_url=f"http://127.0.0.1:{port}",
                            viewport={"width": w, "height": h},
                            locale="en-GB",
                        )
                        page = context.new_page()
                        if user:
                            page.goto("/accounts/login/")
                            page.fill("input[name=username]", user)
                            page.fill("input[name=password]", PASSWORD)
                            page.click("form button[type=submit]")
                            page.wait_for_load_state("load")
                        urls = {
                            "visitor": {
                                "home": "/",
                                "idea-voting": _first_idea(page, "voting"),
                                "idea-funding": _first_idea(page, "funding"),
                                "products": "/products/",
                                "profile": "/members/creator/",
                            },
                            "member": {
                                "earnings": "/me/earnings/",
                                "notification-choices": "/notifications/settings/",
                            },
                            "reviewer": {"review-queue": "/review/"},
                            "finance": {"console": "/finance/"},
                        }[role]
                        written += _shots(page, role, urls, width)
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("\n".join(written))
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
