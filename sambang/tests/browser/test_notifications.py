"""Turning notifications on and off on a device, in a real browser (issue 19).

The browser's push service lies outside this machine, so its part is stood in for: the
permission is granted and ``pushManager`` hands out a subscription whose keys a test
browser (``notifications.tests.pushservice.Browser``) holds. Everything else is the page's
own script, the service worker, and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sambang.notifications.keys import new_key_pair
from sambang.notifications.models import PushSubscription
from sambang.notifications.tests.pushservice import Browser
from sambang.personnel.models import Role
from sambang.testing.browser import log_in, wait_until
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# The push service's side of the browser, with the subscription of the test's Browser.
FAKE_PUSH = """
(() => {
  const json = %s;
  const kept = "fake-push-subscription";  // the browser keeps its subscription across loads
  function subscription(key) {
    return {
      endpoint: json.endpoint,
      options: { applicationServerKey: new Uint8Array(key).buffer },
      toJSON: () => json,
      unsubscribe: () => { sessionStorage.removeItem(kept); return Promise.resolve(true); },
    };
  }
  Notification.requestPermission = () => Promise.resolve("granted");
  PushManager.prototype.getSubscription = function () {
    const key = sessionStorage.getItem(kept);
    return Promise.resolve(key ? subscription(JSON.parse(key)) : null);
  };
  PushManager.prototype.subscribe = function (options) {
    const key = Array.from(new Uint8Array(options.applicationServerKey));
    window.__subscribedWith = key;
    window.__userVisibleOnly = options.userVisibleOnly;
    sessionStorage.setItem(kept, JSON.stringify(key));
    return Promise.resolve(subscription(key));
  };
})();
"""


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def test_an_officer_turns_notifications_on_and_off_on_this_device(
    browser: Any, live_server: Any, world_live: World, settings: Any
) -> None:
    settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_PRIVATE_KEY = new_key_pair()
    settings.SAMBANG_VAPID_SUBJECT = "mailto:operations@sambang.example.org"
    settings.SAMBANG_PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    device = Browser("http://127.0.0.1:9/push/officer-phone")
    context = browser.new_context(viewport=PHONE, locale="en-US")
    context.add_init_script(FAKE_PUSH % json.dumps(device.subscription()))
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        page.goto(f"{live_server.url}/accounts/notifications/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        turn_on = page.get_by_role("button", name="Turn on notifications on this device")
        turn_on.wait_for()
        turn_on.click()
        wait_until(page, "document.querySelector('[data-push-off]').hidden === false")
        assert "This device receives your notifications." in page.content()
        subscription = PushSubscription.objects.get()
        assert (subscription.user, subscription.endpoint) == (
            world_live.users[Role.OFFICER],
            device.endpoint,
        )
        assert subscription.p256dh == device.subscription()["keys"]["p256dh"]
        assert page.evaluate("window.__userVisibleOnly") is True
        key = bytes(page.evaluate("window.__subscribedWith"))
        assert key == Browser.key_bytes(settings.SAMBANG_VAPID_PUBLIC_KEY)
        # Opening the page again registers the same device again, never a second one.
        page.reload()
        wait_until(page, "document.querySelector('[data-push-off]').hidden === false")
        assert PushSubscription.objects.count() == 1
        page.get_by_role("button", name="Turn off on this device").click()
        wait_until(page, "document.querySelector('[data-push-on]').hidden === false")
        assert not PushSubscription.objects.exists()
        assert problems == []
    finally:
        context.close()
