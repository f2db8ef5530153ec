#!/usr/bin/env python3
"""Take the README's screenshots from a running demo (`make screenshots` starts one).

Each role of the demo signs in (password ``sambang-demo``) on a 360 × 740 phone and on a
1366 × 900 desktop, in Bahasa Indonesia, and the pages that show its daily work are saved
under docs/screenshots/ as ``<role>-<page>-<phone|desktop>.png``. Debian's Chromium is
driven by Playwright (``SAMBANG_CHROMIUM`` to use another executable).

    tools/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "sambang-demo"  # noqa: S105 - the demo's published password
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}
# role's demo login → the pages to show (name, path)
PAGES: dict[str, list[tuple[str, str]]] = {
    "bhabin": [("home", "/"), ("today", "/field/"), ("new-report", "/field/reports/new/")],
    "kapolsek": [("home", "/"), ("reports-to-review", "/field/reports/?state=sent&order=oldest")],
    "kapolres": [("home", "/"), ("residents-reports", "/citizen-reports/?unanswered=1")],
    "dirbinmas": [("home", "/")],
    "korbinmas": [("home", "/")],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    chromium = os.environ.get("SAMBANG_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("Chromium not found: install Debian's chromium (make browser-deps).", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for login, pages in PAGES.items():
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, locale="id-ID")
                page = context.new_page()
                page.goto(f"{args.url}/accounts/login/")
                page.fill("#id_username", login)
                page.fill("#id_password", PASSWORD)
                page.press("#id_password", "Enter")
                page.wait_for_url(f"{args.url}/")
                for name, path in pages:
                    page.goto(f"{args.url}{path}")
                    page.wait_for_load_state("networkidle")
                    target = args.out / f"{login}-{name}-{size}.png"
                    page.screenshot(path=str(target))  # what the screen shows first
                    print(target)
                context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
