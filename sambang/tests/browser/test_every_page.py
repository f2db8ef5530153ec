"""Every page of every role, on a 360 px phone, in Indonesian: nothing wider than the
screen, and no English left where the catalogue has the Indonesian (issue 19, edges 3
and 5).

The pages are those of the scope table (``scope_table.PAGES``) that answer GET with a
page, each as every role that may open it, with a record of the role's own unit (the
specimens of the scope checks), and the public pages anonymously. A page fails when the
document is wider than the screen (a table scrolls inside its own box; the page does not)
or when its visible text holds:

- a sentence of the Indonesian catalogue in English (a message id of two words or more
  whose translation differs): a string shown without being translated;
- a raw value such as ``in_progress`` (lower-case words joined by ``_``): a code shown
  where its label should be.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

import sambang
from sambang.personnel.models import Role
from sambang.testing.browser import log_in
from sambang.testing.world import ROLE_UNITS, World, build_world
from sambang.tests.scope_specimens import Specimens, build_specimens
from sambang.tests.scope_table import PAGES, Scope, sees
from sambang.tests.test_route_coverage import DEFAULTS, _page_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# Routes that answer with something other than a page, or that act rather than show.
NOT_PAGES = re.compile(
    r"^(healthz|readyz|media|openapi|set_language|logout|exports:download|"
    r"public:village_qr|public:schedule_board_json|fieldwork:sticker|core:manifest|"
    r"core:service_worker)$"
)
# Words joined by "_" that are meant to be read as they are (none yet).
RAW_ALLOWED: set[str] = set()
RAW_VALUE = re.compile(r"\b[a-z]{2,}(?:_[a-z]{2,})+\b")


def _catalogue() -> list[str]:
    """English message ids of the Indonesian catalogue worth looking for on a page."""
    mo = Path(sambang.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as file:
        catalog: dict[Any, str] = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    found = set()
    for key, translated in catalog.items():
        english = key[0] if isinstance(key, tuple) else key
        if (
            isinstance(english, str)
            and english != translated
            and len(english.split()) >= 2
            and len(english) >= 12
            and not re.search(r"[%{}<\n]", english)
        ):
            found.add(english)
    return sorted(found, key=len, reverse=True)


def _visits(specimens: Specimens, role: str | None) -> Iterator[str]:
    """The URL of every page ``role`` (None: anonymous) may open."""
    own = ROLE_UNITS.get(Role(role)) if role else None
    for key, entry in PAGES.items():
        if NOT_PAGES.match(key) or not entry.get or entry.ok != 200:
            continue
        if role is None and entry.scope != Scope.PUBLIC:
            continue
        if role is not None and (entry.scope == Scope.PUBLIC or role not in entry.allowed()):
            continue
        if entry.sample is None:
            yield _page_url(key, dict(DEFAULTS))
            continue
        owners = specimens.values[entry.sample]
        choices = [own, *owners] if own in owners else list(owners)
        owner = next((o for o in choices if role is None or sees(entry, role, o)), None)
        if owner is not None:
            yield _page_url(key, DEFAULTS | owners[owner])


@pytest.fixture
def specimens_live(live_server: Any) -> tuple[World, Specimens]:
    world = build_world()
    return world, build_specimens(world)


@pytest.mark.parametrize("role", [*Role, None], ids=[*Role, "anonymous"])
def test_every_page_fits_the_phone_and_speaks_indonesian(
    browser: Any, live_server: Any, specimens_live: tuple[World, Specimens], role: str | None
) -> None:
    world, specimens = specimens_live
    english = _catalogue()
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    # The language a user chooses with the selector (the tests' default is English).
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}]
    )
    page = context.new_page()
    problems: list[str] = []
    try:
        if role is not None:
            log_in(page, live_server.url, world.users[role].username)
        urls = list(_visits(specimens, role))
        assert len(urls) > 5
        for url in urls:
            answer = page.goto(f"{live_server.url}{url}")
            if answer is None or answer.status != 200:
                problems.append(f"{url}: {answer.status if answer else 'no answer'}")
                continue
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wider > 0:
                problems.append(f"{url}: {wider} px wider than the phone")
            text = page.locator("body").inner_text()
            left = [m for m in english if m in text]
            if left:
                problems.append(f"{url}: English: {left[:5]}")
            # Column names of an import file are typed as shown (in <code>): not labels.
            shown = page.evaluate(
                "() => { const b = document.body.cloneNode(true);"
                " b.querySelectorAll('code').forEach(c => c.remove()); return b.innerText; }"
            )
            raw = sorted(set(RAW_VALUE.findall(shown)) - RAW_ALLOWED)
            if raw:
                problems.append(f"{url}: raw values: {raw[:5]}")
    finally:
        context.close()
    assert not problems, f"as {role or 'anonymous'}:\n" + "\n".join(problems)


def test_a_refused_position_is_said_in_the_pages_language(
    browser: Any, live_server: Any, specimens_live: tuple[World, Specimens]
) -> None:
    """Issue 19, edge 5: the browser's own geolocation message (in the phone's language)
    is never shown; the report form says what happened in the page's language."""
    world, _specimens = specimens_live
    context = browser.new_context(viewport=PHONE, locale="en-US")  # no position allowed
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}]
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url, world.users[Role.OFFICER].username)
        page.goto(f"{live_server.url}/field/reports/new/")
        status = page.locator("#gps-status")
        page.locator("#gps-button").click()
        page.wait_for_function(
            "() => !document.querySelector('#gps-status').textContent.includes('…')"
        )
        assert "izinkan" in status.inner_text(), status.inner_text()
    finally:
        context.close()
