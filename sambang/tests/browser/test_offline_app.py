"""The officer's app installs and opens the pages already visited without a connection, and
the library's documents kept from its list."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from sambang.fieldwork.models import ActivityReport
from sambang.personnel.models import Role
from sambang.testing.browser import keep_screenshot, log_in, wait_until
from sambang.testing.fieldwork import photo_bytes
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def controlled(page: Any) -> None:
    """Wait until the service worker is active and controls the page (a page loaded while
    the worker was still installing is controlled from its next load on)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout_ms=15_000)


def wait_until_kept(page: Any, kept: list[str]) -> None:
    """Wait until the service worker has kept these paths for offline use."""
    cached: list[str] = []
    for _ in range(150):  # evaluate awaits the promise; wait_for_function would not
        cached = page.evaluate(
            """() => caches.keys()
            .then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))
            .then(all => all.flat().map(r => new URL(r.url).pathname))"""
        )
        if all(path in cached for path in kept):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not kept for offline use: {set(kept) - set(cached)}")


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def test_the_officers_pages_open_offline_once_visited(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        controlled(page)
        manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
        assert manifest["display"] == "standalone" and manifest["short_name"] == "Sambang"
        for icon in manifest["icons"]:
            assert page.request.get(f"{live_server.url}{icon['src']}").ok
        village = world_live.villages["polsek_a1a"]
        page.goto(f"{live_server.url}/field/")  # today's page keeps the rest for the field
        profile = f"/villages/{village.code}/profile/"
        kept = [f"/villages/{village.code}/", profile, "/field/reports/new/", "/field/plans/"]
        wait_until_kept(page, kept)
        context.set_offline(True)
        page.goto(f"{live_server.url}/field/")
        assert "No connection" not in page.locator("h1").inner_text()
        assert "Today" in page.locator("main").inner_text()
        page.goto(f"{live_server.url}/villages/{village.code}/")
        assert village.name in page.locator("main").inner_text()
        page.goto(f"{live_server.url}{profile}")
        assert "No connection" not in page.locator("h1").inner_text()
        page.goto(f"{live_server.url}/field/reports/new/")
        assert page.get_by_label("Activity").count() == 1  # the catalogue is in the form
        page.goto(f"{live_server.url}/field/realization/")  # never opened: the offline page
        assert "No connection" in page.locator("h1").inner_text()
        assert problems == []
    finally:
        context.close()


def test_a_report_written_offline_with_a_photo_and_a_household_visit_arrives_once(
    browser: Any, live_server: Any, world_live: World, tmp_path: Any
) -> None:
    village = world_live.villages["polsek_a1a"]
    context = browser.new_context(
        viewport=PHONE,
        locale="en-US",
        geolocation={"latitude": village.centroid_lat, "longitude": village.centroid_lng},
        permissions=["geolocation"],
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    photo = tmp_path / "rumah.jpg"
    photo.write_bytes(photo_bytes(77))
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        controlled(page)
        page.goto(f"{live_server.url}/field/")
        page.goto(f"{live_server.url}/field/reports/new/")
        context.set_offline(True)
        page.goto(f"{live_server.url}/field/reports/new/")  # from the phone, not the server
        page.get_by_label("Activity").select_option("dds")
        page.get_by_label("What happened").fill(
            "Sambang ke rumah warga membahas ronda malam dan lampu jalan yang mati."
        )
        page.locator("#household-rt").fill("004")
        page.locator("#household-rw").fill("002")
        page.locator("#concern-0-description").fill("Lampu jalan mati sejak sebulan")
        page.locator("[name=concern-0-aspect]").select_option("security")
        page.locator("[name=concern-0-urgency]").select_option("medium")
        page.locator("[name=concern-0-frequency]").select_option("often")
        page.locator("#photos").set_input_files(str(photo))
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url("**/field/?kept=*")
        uuid = page.url.split("kept=")[1]
        page.locator("#outbox-list li").first.wait_for()  # read from the phone's storage
        assert "Waiting for a connection" in page.locator("#outbox").inner_text()
        # The app is closed and opened again, still without a connection.
        page.close()
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{live_server.url}/field/")
        page.locator("#outbox-list li").first.wait_for()  # read from the phone's storage
        assert "Waiting for a connection" in page.locator("#outbox").inner_text()
        assert not ActivityReport.objects.exists()
        context.set_offline(False)
        page.locator("#outbox .badge.ok").first.wait_for(timeout=20_000)
        report = ActivityReport.objects.get()
        assert str(report.uuid) == uuid
        assert report.photos.count() == 1 and report.household.rt == "004"
        # Sent a second time (an answer lost on the way): still one report, one photo.
        page.evaluate(
            "uuid => SambangOutbox.get(uuid).then(r => SambangOutbox.send(r,"
            " document.cookie.match(/csrftoken=([^;]+)/)[1]))",
            uuid,
        )
        assert ActivityReport.objects.count() == 1 and report.photos.count() == 1
        keep_screenshot(page, "officer-outbox-sent")
        assert problems == []
    finally:
        context.close()


def test_the_officers_first_visit_is_light(
    browser: Any, live_server: Any, world_live: World
) -> None:
    """Everything a first visit downloads — pages, styles, scripts, icons and the app shell
    the service worker keeps — compressed as the server sends it (gzip), under 300 KB."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    seen: set[str] = set()
    page.on("response", lambda r: seen.add(r.url))
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        for path in ("/field/", "/field/reports/new/"):
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (path, width)
        worker = page.request.get(f"{live_server.url}/sw.js").text()
        shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", worker).group(1))  # type: ignore[union-attr]
        seen |= {f"{live_server.url}{path}" for path in [*shell, "/sw.js", "/manifest.webmanifest"]}
        total = 0
        for url in sorted(seen):
            body = page.request.get(url).body()
            text = not url.endswith((".png", ".jpg", ".webp"))
            total += len(gzip.compress(body, 6)) if text else len(body)
        print(f"officer first visit: {len(seen)} files, {total / 1024:.0f} KB compressed")
        assert total < 300 * 1024
    finally:
        context.close()


# A cheap phone on a weak connection: Lighthouse's "slow 4G" (150 ms round trip,
# 1.6 Mbit/s down, 750 kbit/s up) and a CPU four times slower than this machine's.
SLOW_PHONE_NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
SLOW_PHONE_CPU = 4
# Long tasks (over 50 ms on the main thread), recorded from the very start of each page.
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.startTime + entry.duration);
}).observe({type: "longtask", buffered: true});
"""
# Time to interactive: the page has loaded, its scripts have run, and no long task is left
# on the main thread — the later of DOMContentLoaded and the end of the last long task.
INTERACTIVE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    interactive: Math.max(nav.domContentLoadedEventEnd, ...window.__longTasks),
    load: nav.loadEventEnd,
    bytes: performance.getEntriesByType("resource")
      .reduce((sum, r) => sum + r.transferSize, nav.transferSize),
  };
}"""


def test_the_officers_pages_become_interactive_on_a_slow_phone(
    browser: Any, live_server: Any, world_live: World
) -> None:
    """Measures (and prints) the time to interactive of the officer's pages on a first visit,
    on a slow connection and a slow CPU, against one round trip to the server under the
    same conditions. A measurement, not a timed test: it checks only that it measured."""
    pages = (("today", "/field/"), ("report form", "/field/reports/new/"))
    # A server that has answered before (a fresh process compiles templates on its first
    # request), then a phone that has never seen the app.
    warm = browser.new_context()
    warm_page = warm.new_page()
    log_in(warm_page, live_server.url, world_live.users[Role.OFFICER].username)
    for _, path in pages:
        warm_page.goto(f"{live_server.url}{path}")
    warm.close()
    # Without the service worker: its own fetches escape the emulated network, and a
    # first visit is the one it has not helped yet.
    context = browser.new_context(viewport=PHONE, locale="en-US", service_workers="block")
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_PHONE_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_PHONE_CPU})
    figures: dict[str, dict[str, float]] = {}
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.wait_for_timeout(1_000)  # long tasks after load would still count
        figures["login"] = page.evaluate(INTERACTIVE)
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        for name, path in pages:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_timeout(1_000)
            figures[name] = page.evaluate(INTERACTIVE)
        page.goto(f"{live_server.url}/healthz")  # on the connection already open
        round_trip = page.evaluate(
            "() => performance.getEntriesByType('navigation')[0].responseEnd"
        )
    finally:
        context.close()
    print(f"\nofficer app on a slow phone (slow 4G, {SLOW_PHONE_CPU}x CPU):")
    print(f"  baseline: /healthz, one round trip  {round_trip:6.0f} ms")
    for name, figure in figures.items():
        print(
            f"  {name:<12} interactive {figure['interactive']:6.0f} ms"
            f" ({figure['interactive'] / round_trip:4.1f}x)   load {figure['load']:6.0f} ms"
            f"   transferred {figure['bytes'] / 1024:5.0f} KB"
        )
    assert round_trip > SLOW_PHONE_NETWORK["latency"]
    for figure in figures.values():
        assert figure["interactive"] > round_trip and figure["load"] > round_trip


def test_a_new_version_installs_without_losing_queued_reports(
    browser: Any, live_server: Any, world_live: World, monkeypatch: Any
) -> None:
    from playwright.sync_api import Error as PlaywrightError

    from sambang.core import app

    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        controlled(page)
        page.goto(f"{live_server.url}/field/")
        # A report waits on the phone (kept while offline).
        page.evaluate(
            """() => SambangOutbox.put({uuid: "00000000-0000-4000-8000-00000000c0de",
                url: "/field/reports/new/", created: new Date().toISOString(),
                fields: [], state: "waiting", message: "", label: "Kept report"})"""
        )
        before = page.evaluate("caches.keys()")
        # A new release: the service worker's content, and so its version, changes.
        monkeypatch.setattr(app, "OFFLINE_PAGES", [*app.OFFLINE_PAGES, "/directives/"])
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        page.locator("#app-update").wait_for(state="visible", timeout=15_000)
        page.get_by_role("button", name="Update now").click()
        page.wait_for_load_state()
        after: list[str] = []
        for _ in range(100):  # the new worker replaces the old version's caches
            try:
                after = page.evaluate("caches.keys()")
            except PlaywrightError:  # the page is reloading into the new version
                after = []
            if after and not set(before) & set(after):
                break
            page.wait_for_timeout(100)
        else:
            raise AssertionError(f"still the old version: {before} → {after}")
        page.locator("#outbox-list li").first.wait_for()
        assert "Kept report" in page.locator("#outbox").inner_text()
        assert problems == []
    finally:
        context.close()


def test_a_report_the_server_refuses_is_corrected_and_sent_again(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        controlled(page)
        page.goto(f"{live_server.url}/field/")
        page.goto(f"{live_server.url}/field/reports/new/")
        context.set_offline(True)
        page.get_by_label("Activity").select_option("kegiatan-desa")
        page.get_by_label("What happened").fill(
            "Musyawarah warga di balai desa tentang jadwal ronda malam dan kebersihan."
        )
        page.get_by_label("Date and time").fill("2099-01-01T10:00")  # a slip of the finger
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url("**/field/?kept=*")
        context.set_offline(False)
        page.locator("#outbox .badge.bad").wait_for(timeout=20_000)
        reasons = page.locator("#outbox").inner_text()
        assert "This time is in the future." in reasons
        assert "Participants: " in reasons and "participants:" not in reasons  # as the form says
        assert not ActivityReport.objects.exists()
        page.get_by_role("link", name="Correct").click()
        page.locator("#outbox-message:not([hidden])").wait_for()
        assert page.get_by_label("What happened").input_value().startswith("Musyawarah warga")
        page.get_by_label("Date and time").fill("2026-11-20T09:00")
        page.get_by_label("Participants").fill("25")
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url(re.compile(r".*/field/reports/[0-9a-f-]{36}/$"))
        report = ActivityReport.objects.get()
        assert report.narrative.startswith("Musyawarah warga")
        page.goto(f"{live_server.url}/field/")
        page.locator("#outbox .badge.ok").wait_for()  # the corrected record, now sent
        assert page.locator("#outbox .badge.bad").count() == 0
        assert problems == []
    finally:
        context.close()


def test_an_answer_lost_on_the_way_leaves_the_report_waiting_and_it_lands_once(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        page.goto(f"{live_server.url}/field/")
        page.goto(f"{live_server.url}/field/reports/new/")
        cut: list[str] = []

        def deliver_then_cut(route: Any) -> None:
            # The report reaches the server, but the connection drops before the answer.
            if route.request.method == "POST" and not cut:
                route.fetch()
                cut.append(route.request.url)
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route("**/field/reports/new/", deliver_then_cut)
        page.get_by_label("Activity").select_option("pelayanan-polisi")
        page.get_by_label("What happened").fill(
            "Membantu warga membuat laporan kehilangan surat kendaraan di balai desa."
        )
        page.locator("#outcome").fill("Surat keterangan hilang diterbitkan.")
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url("**/field/?kept=*")
        assert cut and ActivityReport.objects.count() == 1  # saved; the phone does not know
        page.locator("#outbox-list li").first.wait_for()
        # Today's page sends what waits as it opens: "Send now" may be gone before a busy
        # machine clicks it. Either way, the report is sent again and lands once.
        with contextlib.suppress(PlaywrightError):
            page.get_by_role("button", name="Send now").click(timeout=5_000)
        page.locator("#outbox .badge.ok").wait_for(timeout=20_000)
        assert ActivityReport.objects.count() == 1
    finally:
        context.close()


def test_the_library_reads_offline_once_its_list_was_opened(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        controlled(page)
        page.goto(f"{live_server.url}/knowledge/")  # the list keeps every document
        kept = ["/knowledge/panduan-mediasi/", "/knowledge/uu-2-2002-kepolisian/"]
        wait_until_kept(page, kept)
        context.set_offline(True)
        page.goto(f"{live_server.url}/knowledge/panduan-mediasi/")  # never opened online
        assert "No connection" not in page.locator("h1").inner_text()
        assert "Langkah" in page.locator("main").inner_text()
        page.goto(f"{live_server.url}/knowledge/")
        assert "Library" in page.locator("h1").inner_text()
        assert problems == []
    finally:
        context.close()
