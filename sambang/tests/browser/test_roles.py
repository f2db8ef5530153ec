"""Each role logs in and sees its home page with the right scope, on desktop and phone."""

from __future__ import annotations

from typing import Any

import pytest

from sambang.personnel.models import Role
from sambang.testing.browser import log_in
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}

# What each role's home page must show, and must not show.
EXPECTED: dict[str, tuple[list[str], list[str]]] = {
    Role.OFFICER: (["My villages"], ["Polsek A1B", "Polres A1"]),
    Role.POLSEK: (["Polsek A1A"], ["Polsek A1B", "Polres A2", "Polda B"]),
    Role.POLRES: (["Polres A1", "Polsek A1A", "Polsek A1B"], ["Polres A2", "Polda B"]),
    Role.POLDA: (["Polda A", "Polres A1", "Polres A2"], ["Polda B"]),
    Role.NATIONAL: (["Mabes", "Polda A", "Polda B"], []),
    Role.ADMIN: (["Mabes", "Polda A", "Polda B", "Master data"], []),
}


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_logs_in_and_sees_its_scope(
    browser: Any, live_server: Any, world_live: World, role: str, viewport: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url
        log_in(page, live_server.url, world_live.users[role].username)
        text = page.locator("main").inner_text()
        shown, hidden = EXPECTED[role]
        for name in shown:
            assert name in page.content(), name
        for name in hidden:
            assert name not in text, name
        if role == Role.OFFICER:
            assert world_live.villages["polsek_a1a"].name in text
        # Usable at this width: nothing wider than the screen but scrollable tables.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the {viewport} screen"
        assert problems == []
    finally:
        context.close()


def test_the_language_selector_switches_to_indonesian(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Language").select_option("id")
        page.get_by_role("button", name="Change").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Masuk").is_visible()
        assert page.locator("html").get_attribute("lang") == "id"
    finally:
        context.close()


def test_a_browser_preferring_english_starts_in_indonesian_and_switches_to_english_and_back(
    browser: Any, live_server: Any, world_live: World, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "id"  # the site's own language (the tests' default is English)
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        log_in(page, live_server.url, world_live.users[Role.POLRES].username)
        page.goto(f"{live_server.url}/anev/")
        assert "Bulan sebelumnya" in page.locator("main").inner_text()  # Bahasa Indonesia first
        page.locator("#language").select_option("en")
        page.locator("form.lang button").click()
        page.wait_for_load_state()
        assert "Previous month" in page.locator("main").inner_text()
        assert "/anev/" in page.url  # the same page, now in English
        page.locator("#language").select_option("id")
        page.locator("form.lang button").click()
        page.wait_for_load_state()
        assert "Bulan sebelumnya" in page.locator("main").inner_text()
        assert problems == []
    finally:
        context.close()
