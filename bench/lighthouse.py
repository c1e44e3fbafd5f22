"""Lighthouse scores of the public pages (accessibility, best practices, SEO; performance with
``--performance``), on the demo (bench/demo_site.py) with Debian's Chromium.

    .venv/bin/python bench/lighthouse.py [--performance]

Lighthouse comes from npm (pinned in bench/lighthouse/package.json, installed into
bench/lighthouse/node_modules on first use). Prints each page's scores and every audit that
did not pass; exits 1 if a page's accessibility score is under 98.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from demo_site import demo_site

HERE = Path(__file__).resolve().parent / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TARGET = 98
PAGES = ["/", "/?state=funding", "/products/", "/search/?q=lamp", "/accounts/login/",
         "/accounts/signup/", "/members/creator/"]  # fmt: skip


def _lighthouse() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return binary


def _idea_pages(base: str) -> list[str]:
    html = urllib.request.urlopen(f"{base}/?state=funding").read().decode()
    first = re.search(r'href="(/ideas/\d+/)"', html)
    return [first.group(1)] if first else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--performance", action="store_true", help="score performance too")
    args = parser.parse_args()
    categories = "accessibility,best-practices,seo" + (",performance" if args.performance else "")
    binary = _lighthouse()
    worst = 100
    with demo_site() as base, tempfile.TemporaryDirectory() as tmp:
        for path in PAGES + _idea_pages(base):
            out = Path(tmp) / "report.json"
            subprocess.run(
                [str(binary), base + path, f"--only-categories={categories}", "--quiet",
                 "--output=json", f"--output-path={out}",
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                 "--disable-background-networking"],
                check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            report = json.loads(out.read_text())
            scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
            worst = min(worst, scores["accessibility"])
            print(f"{path:28} " + "  ".join(f"{k} {v}" for k, v in scores.items()))
            for audit in report["audits"].values():
                if audit.get("scoreDisplayMode") == "binary" and (
                    audit.get("score") is not None and audit["score"] < 1
                ):
                    print(f"    {audit['id']}: {audit['title']}")
    print(f"lowest accessibility score: {worst} (target ≥ {TARGET})")
    sys.exit(0 if worst >= TARGET else 1)


if __name__ == "__main__":
    main()
