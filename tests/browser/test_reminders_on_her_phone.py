"""Reminders on her phone in a real Chromium (decision 0057). Chloe (16), on her phone at
360 px and signed in to stay, turns reminders on in her settings; her nurse books her a clinic
for tomorrow; `send_phone_reminders` sends the real encrypted, signed request to a push service
on loopback, which decrypts it: "My Health", "You have something new.", nothing else. That
message, delivered to her service worker with the DevTools protocol's
ServiceWorker.deliverPushMessage, shows as a notification saying only that; tapping it (the
worker's notificationclick) closes it and brings the open app to the front as it was (opening
the app's home when none is open needs a real tap: a test's event may not open a window).
Screenshots var/screens/remind_*.png.

Headless Chromium reaches no real push service (FCM is a Google service this machine cannot
reach), so the browser's `pushManager.subscribe` answers with a subscription to the loopback
service and keys of the test's own: everything of ours, the page's script included, is real."""

import datetime
import json
import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passport.access.policy import reach
from passport.care import phone_reminders
from passport.models import Appointment, PushSubscription, User
from passport.operations import demo
from passport.records import actions
from tests.browser.conftest import axe_violations
from tests.support.push_service import Browser, PushService

PHONE = {"width": 360, "height": 740}

# The browser's push service, answered by the loopback one (see the module's note).
FAKE_SUBSCRIBE = """
(() => {
  const given = %s;
  let current = null;
  const make = () => ({
    endpoint: given.endpoint, options: {}, expirationTime: null,
    toJSON: () => given,
    unsubscribe: () => { current = null; return Promise.resolve(true); },
  });
  PushManager.prototype.subscribe = function () {
    current = make();
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
})();
"""


@pytest.fixture
def service(settings):
    settings.HP_PUSH_ALLOW_LOOPBACK = True
    with PushService() as running:
        yield running


def shot(page, name: str) -> None:
    page.screenshot(path=f"var/screens/remind_{name}.png", full_page=True)
    assert axe_violations(page) == [], name


def test_chloe_turns_reminders_on_and_one_reaches_her(browser, committed_db, live_server,
                                                     demo_loaded, service):
    handset = Browser()
    subscription = handset.subscription(service.base + "/push/chloe")
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(FAKE_SUBSCRIBE % json.dumps(subscription))
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("yp.demo2")
    page.get_by_label("Password").fill(demo.PASSWORD)
    page.get_by_label("Keep me signed in on this phone").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/settings/#reminders")
    section = page.locator("section[aria-labelledby=reminders]")
    expect(section).to_contain_text("Reminders are off for this phone.")
    expect(section).to_contain_text("On an iPhone, reminders work only once My Health is on "
                                    "your home screen")
    page.evaluate("navigator.serviceWorker.ready")
    shot(page, "settings_off")
    with page.expect_navigation():
        section.get_by_role("button", name="Turn on reminders on this phone").click()
    expect(section).to_contain_text("Reminders are on for this phone.")
    expect(section.get_by_role("button", name="Turn off reminders on this phone")).to_be_visible()
    shot(page, "settings_on")
    chloe = User.objects.get(username="yp.demo2")
    assert PushSubscription.objects.filter(user=chloe).count() == 1

    # Her nurse books a clinic for tomorrow; cron runs at ten in the morning.
    nurse = User.objects.get(username="nurse")
    actions.do_add_entry(reach(nurse, demo_loaded["yp.demo2"]), Appointment, {
        "on_date": timezone.localdate() + datetime.timedelta(days=1),
        "what_for": "Antenatal clinic", "where": "Stepping Hill", "status": "booked"})
    ten = datetime.datetime.combine(timezone.localdate(), datetime.time(10),
                                    tzinfo=ZoneInfo("Europe/London"))
    assert phone_reminders.send_phone_reminders(ten) == 1
    [received] = service.received
    message = handset.decrypt(received)
    assert message == {"title": "My Health", "body": "You have something new.", "url": "/",
                       "tag": "my-health"}

    # The same message, delivered to her service worker as her phone's push service would.
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 5
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r.get("isDeleted")][:1]
    # Waken the worker first: a worker Chromium has put to sleep is not always started
    # again by a message from the DevTools protocol (seen here: the push was lost).
    [worker] = context.service_workers
    assert worker.evaluate("typeof self.registration.showNotification") == "function"
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration["registrationId"],
        "data": json.dumps(message)})
    shown = []
    deadline = time.monotonic() + 5
    while not shown and time.monotonic() < deadline:
        shown = page.evaluate("""async () => (await (await navigator.serviceWorker.ready)
            .getNotifications()).map(n => ({title: n.title, body: n.body, tag: n.tag}))""")
        page.wait_for_timeout(100)
    assert shown == [{"title": "My Health", "body": "You have something new.",
                      "tag": "my-health"}]

    # She taps it while writing in the app: the worker's notificationclick closes it and
    # brings the app to the front as it is, never away from what she is typing.
    page.goto(live_server.url + f"/p/{demo_loaded['yp.demo2']}/wellbeing/")
    page.get_by_text("Add: how I am doing").click()
    page.get_by_label("How I feel").fill("Tired, but the midwife was kind.")
    worker.evaluate("""async () => {
        const [shown] = await self.registration.getNotifications();
        try {
          self.dispatchEvent(new NotificationEvent("notificationclick", {notification: shown}));
        } catch (e) { /* an untrusted event may not wait: the handler has run */ }
    }""")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and page.evaluate(
            """async () => (await (await navigator.serviceWorker.ready)
            .getNotifications()).length"""):
        page.wait_for_timeout(100)
    assert page.evaluate("""async () => (await (await navigator.serviceWorker.ready)
        .getNotifications()).length""") == 0
    assert "/wellbeing/" in page.url
    expect(page.get_by_label("How I feel")).to_have_value("Tired, but the midwife was kind.")

    # Quick exit: her reminders on this phone end with it.
    page.goto(live_server.url + "/settings/")
    page.get_by_role("button", name="Quick exit").first.click()
    deadline = time.monotonic() + 5
    while PushSubscription.objects.filter(user=chloe).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not PushSubscription.objects.filter(user=chloe).exists()
    context.close()
