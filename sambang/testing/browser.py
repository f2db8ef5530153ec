"""Helpers for the real-browser tests."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

PASSWORD = "correct horse battery staple"  # every user of the test world


def log_in(page: Any, url: str, username: str) -> None:
    """Sign in through the form; where the role needs a second factor, enter the code of
    the user's authenticator (one is enrolled first where there is none, as an enrolment
    link would: the sign-in itself never enrols one)."""
    enrolled(username)
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    if "/accounts/login/code/" in page.url:
        key = device_key(username)
        page.locator("#id_code").fill(current_code(key, username))
        page.locator("#id_code").press("Enter")
    page.wait_for_url(f"{url}/")


def enrolled(username: str) -> None:
    """A confirmed authenticator for ``username`` where the role requires one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sambang.accounts import twofactor
    from sambang.personnel.models import User

    user = User.objects.get(username=username)
    if twofactor.requires_two_factor(user) and twofactor.confirmed_device(user) is None:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def device_key(username: str) -> bytes:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return bytes(device.bin_key)


def current_code(key: bytes, username: str) -> str:
    """The code an authenticator shows now, or the next one where now's was used already
    (a second sign-in within 30 seconds): a used code is refused."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    step = int(time.time() // 30)
    used = TOTPDevice.objects.filter(user__username=username).values_list("last_t", flat=True)
    drift = 1 if max(used, default=-1) >= step else 0
    return f"{totp(key, drift=drift):06d}"


def wait_until(page: Any, expression: str, timeout_ms: int = 10_000) -> None:
    """Wait until ``expression`` is true in the page. Playwright's wait_for_function would
    evaluate it with eval(), which the pages' Content-Security-Policy forbids, as it should;
    page.evaluate goes through the DevTools protocol instead."""
    for _ in range(max(timeout_ms // 100, 1)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"still false after {timeout_ms} ms: {expression}")


ARTIFACTS = Path(os.environ.get("SAMBANG_ARTIFACTS", "var/artifacts"))


def keep_screenshot(page: Any, name: str) -> Path:
    """Save a journey's end state as a test artifact (var/artifacts/<name>.png by default;
    the README's screenshots are copied from there)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
