"""Without a tile server (a fresh clone, an offline deployment) every map still shows where
it is: the official borders, from the outlines shipped inside the package, drawn on the
residents' map, a village's page and the Anev map."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import numpy as np
import pytest
from PIL import Image

from sambang.personnel.models import Role
from sambang.territory.services import bundled_boundaries_import
from sambang.testing.browser import keep_screenshot, log_in
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The colours map.js draws with (borders by level) and the village's own outline.
VILLAGE_BORDER = (0xB9, 0xA3, 0xC9)
DISTRICT_BORDER = (0x8A, 0x6A, 0xA8)
REGENCY_BORDER = (0x5B, 0x3F, 0x7A)
THE_VILLAGE = (0x1F, 0x3A, 0x68)


@pytest.fixture
def world_live(live_server: Any) -> World:
    world = build_world()
    bundled_boundaries_import(regency="32.16")  # what `make demo` loads, from the package
    return world


def pixels_of(page: Any, selector: str, colour: tuple[int, int, int]) -> int:
    """How many pixels of the element are (nearly) ``colour``: lines drawn on the map's
    canvas are not elements, so the picture itself is checked. The borders' purple arises
    nowhere else on these maps (without them, none of these pixels are found)."""
    page.wait_for_timeout(500)  # the last frame of Leaflet's drawing
    picture = Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("RGB")
    distance = np.abs(np.asarray(picture, dtype=np.int16) - np.array(colour)).sum(axis=2)
    return int((distance <= 30).sum())


def test_the_maps_show_the_borders_around_them_without_tiles(
    browser: Any, live_server: Any, world_live: World, settings: Any
) -> None:
    settings.SAMBANG_MAP_TILES = ""
    village = world_live.villages["polsek_a1a"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        # The residents' map: the village and its neighbours of the district.
        page.goto(f"{live_server.url}/lapor/{village.code}/")
        page.wait_for_selector("#pick-map canvas")
        assert pixels_of(page, "#pick-map", THE_VILLAGE) > 300
        assert pixels_of(page, "#pick-map", VILLAGE_BORDER) > 100
        keep_screenshot(page, "map-residents-without-tiles")

        # A village's page, as its officer opens it.
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        page.goto(f"{live_server.url}/villages/{village.code}/")
        page.wait_for_selector("#village-map canvas")
        assert pixels_of(page, "#village-map", THE_VILLAGE) > 300
        assert pixels_of(page, "#village-map", VILLAGE_BORDER) > 100
        keep_screenshot(page, "map-village-without-tiles")
        page.context.clear_cookies()

        # The Anev map of the Polres: its villages over the districts' and regency's borders.
        log_in(page, live_server.url, world_live.users[Role.POLRES].username)
        month = dt.date.today().replace(day=1)
        page.goto(f"{live_server.url}/anev/map/POLRES-A1/{month:%Y-%m}/")
        page.wait_for_selector("#unit-map canvas")
        page.wait_for_selector("#map-note:not(:empty)", timeout=10_000)
        assert pixels_of(page, "#unit-map", REGENCY_BORDER) > 100
        assert pixels_of(page, "#unit-map", DISTRICT_BORDER) > 100
        keep_screenshot(page, "map-anev-without-tiles")
        assert problems == []
    finally:
        context.close()
