"""Helpers for the real-browser tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery staple"  # every user of the test world


def log_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/")


ARTIFACTS = Path(os.environ.get("SAMBANG_ARTIFACTS", "var/artifacts"))


def keep_screenshot(page: Any, name: str) -> Path:
    """Save a journey's end state as a test artifact (var/artifacts/<name>.png by default;
    the README's screenshots are copied from there)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
