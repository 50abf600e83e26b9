"""Four eyes on what widens someone's reach, and ending a session from another device, in a
real Chromium with the demo data (decision 0024).

1. Two administrators on laptops, in the Django admin: Alex Morgan makes Priya Shah the named
   nurse for safeguarding; it is not made, it waits; Alex cannot confirm it himself; Jo Baker,
   in her own browser, confirms it, and only then does Priya's account have the flag. The
   account page offers no password, and the second-factor pages show no key and no delete.
2. Priya, signed in on her laptop and on her phone, sees both in "Where you are signed in",
   signs the phone out from the laptop, and the phone's next page is the sign-in page.

The Django admin's own pages are exempt from axe; Priya's pages are checked."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from passport.models import Authenticator, ReachChange, User
from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 13; SM-A145R) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36")
# HP_SHOTS=/tmp/shots2 keeps a full-page screenshot of every step, to look at.
SHOTS = os.environ.get("HP_SHOTS")


def _context_page(browser, live_server, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def laptops(browser, committed_db, live_server):
    """Two laptops: one browser context each, so two people, two sessions."""
    contexts = [_context_page(browser, live_server, LAPTOP) for _ in range(2)]
    yield [page for _context, page in contexts]
    for context, _page in contexts:
        context.close()


@pytest.fixture
def phone_page(browser, committed_db, live_server):
    context, page = _context_page(browser, live_server, PHONE, user_agent=ANDROID_CHROME,
                                  is_mobile=True, has_touch=True)
    yield page
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def main_text(page) -> str:
    return page.locator("main").inner_text() if page.locator("main").count() else \
        page.locator("body").inner_text()


def messages_text(page) -> str:
    """The admin's messages (the green, yellow or red bar at the top)."""
    found = page.locator("ul.messagelist")
    return found.inner_text() if found.count() else ""


def next_code_window(username: str) -> None:
    """Each code works once: a second sign-in of the same person waits for the next one."""
    device = Authenticator.objects.filter(user__username=username, confirmed=True).first()
    while int(time.time() - device.t0) // device.step <= device.last_t:
        time.sleep(0.5)
        device.refresh_from_db()


def run_action(page, label_start: str) -> None:
    """In an admin list with a row ticked: choose the action and press Run."""
    select = page.get_by_label("Action:")
    value = select.locator("option", has_text=label_start).get_attribute("value")
    select.select_option(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()


def test_a_change_that_widens_reach_waits_for_a_second_administrator(laptops, demo_loaded):
    alex, jo = laptops
    priya = User.objects.get(username="nurse")
    assert not priya.named_safeguarding_nurse

    # --- Alex, between tasks, on his laptop ---------------------------------------------------
    sign_in(alex, "admin", demo.PASSWORD)
    alex.goto(alex.base_url + "/admin/")
    shot(alex, "01-alex-admin-home")
    with alex.expect_navigation():
        alex.get_by_role("link", name="Users").click()
    row = alex.locator("#result_list tbody tr", has_text="Priya Shah")
    with alex.expect_navigation():
        row.get_by_role("link", name="nurse", exact=True).click()
    assert alex.url == alex.base_url + f"/admin/passport/user/{priya.pk}/change/"
    shot(alex, "02-alex-priya-account")

    # No password to set here, no link to change it, no way to delete the account.
    # (The header's "Change password" is his own, as on every admin page.)
    content = alex.locator("#content")
    assert content.locator("input[type=password]").count() == 0
    assert content.locator("a[href*=password]").count() == 0
    assert content.get_by_role("link", name="Delete", exact=True).count() == 0
    page_text = alex.locator("#content").inner_text()
    assert "password" not in page_text.lower(), page_text
    assert "Awaiting a second administrator" in page_text
    assert "None" in alex.locator(".field-awaiting").inner_text()

    flag = alex.get_by_label("named nurse for safeguarding")
    assert not flag.is_checked()
    flag.check()
    with alex.expect_navigation():
        alex.get_by_role("button", name="Save and continue editing").click()
    shot(alex, "03-alex-saved-waiting")
    said = messages_text(alex)
    assert ("Not changed yet: Named nurse for safeguarding for Priya Shah waits for a "
            "different administrator to confirm it") in said, said
    assert "changed successfully" not in said  # no contradicting green message
    # Not made yet: the box is unticked again, and the account says what waits, and who asked.
    assert not alex.get_by_label("named nurse for safeguarding").is_checked()
    awaiting = alex.locator(".field-awaiting").inner_text()
    assert "Named nurse for safeguarding, asked for by Alex Morgan" in awaiting, awaiting
    priya.refresh_from_db()
    assert not priya.named_safeguarding_nurse
    change = ReachChange.objects.get(user=priya, outcome=ReachChange.Outcome.WAITING)

    # Alex cannot confirm what he asked for himself.
    alex.goto(alex.base_url + "/admin/")
    with alex.expect_navigation():
        alex.get_by_role("link", name="Changes awaiting a second administrator").click()
    assert alex.url.startswith(alex.base_url + "/admin/passport/reachchange/")
    shot(alex, "04-alex-waiting-list")
    row = alex.locator("#result_list tbody tr", has_text="Priya Shah")
    assert row.count() == 1
    assert "Named nurse for safeguarding" in row.inner_text()
    assert "Alex Morgan" in row.inner_text()
    row.locator("input.action-select").check()
    run_action(alex, "Confirm the selected changes")
    shot(alex, "05-alex-refused")
    said = messages_text(alex)
    assert "A different administrator must confirm a change you asked for." in said, said
    priya.refresh_from_db()
    assert not priya.named_safeguarding_nurse
    change.refresh_from_db()
    assert change.outcome == ReachChange.Outcome.WAITING

    # The second-factor pages: that a device exists, never its key, never a way to remove it.
    alex.goto(alex.base_url + "/admin/passport/authenticator/")
    shot(alex, "06-alex-authenticators")
    expect(alex.locator("#result_list")).to_be_visible()
    assert alex.get_by_label("Action:").count() == 0  # no "Delete selected"
    device = Authenticator.objects.get(user=priya, confirmed=True)
    alex.goto(alex.base_url + f"/admin/passport/authenticator/{device.pk}/change/")
    shot(alex, "07-alex-authenticator")
    content = alex.locator("#content").inner_text()
    assert "Priya Shah" in content
    assert "key" not in content.lower(), content
    form = alex.locator("#content")  # (the side bar's "Start typing to filter" aside)
    assert form.locator("input:not([type=hidden]), textarea, select").count() == 0
    assert form.get_by_role("link", name="Delete").count() == 0
    assert form.get_by_role("button", name="Delete").count() == 0
    # Typing the delete address is refused, and nothing is removed.
    response = alex.goto(alex.base_url + f"/admin/passport/authenticator/{device.pk}/delete/")
    shot(alex, "08-alex-authenticator-delete")
    assert response.status == 403
    assert alex.get_by_role("button", name="Yes, I\u2019m sure").count() == 0
    assert Authenticator.objects.filter(pk=device.pk).exists()
    # Nor are the backup codes shown or removable.
    alex.goto(alex.base_url + "/admin/passport/backupcodes/")
    assert alex.get_by_label("Action:").count() == 0

    # --- Jo, in her own browser ----------------------------------------------------------------
    sign_in(jo, "admin2", demo.PASSWORD)
    jo.goto(jo.base_url + "/admin/")
    shot(jo, "09-jo-admin-home")
    with jo.expect_navigation():
        jo.get_by_role("link", name="Changes awaiting a second administrator").click()
    row = jo.locator("#result_list tbody tr", has_text="Priya Shah")
    assert "Alex Morgan" in row.inner_text()
    row.locator("input.action-select").check()
    run_action(jo, "Confirm the selected changes")
    shot(jo, "10-jo-confirmed")
    said = messages_text(jo)
    assert "confirmed" in said, said
    change.refresh_from_db()
    assert change.outcome == ReachChange.Outcome.CONFIRMED
    assert change.decided_by.username == "admin2"
    priya.refresh_from_db()
    assert priya.named_safeguarding_nurse

    # Alex, back at his account page, sees it made and nothing waiting.
    alex.goto(alex.base_url + f"/admin/passport/user/{priya.pk}/change/")
    shot(alex, "11-alex-priya-after")
    assert alex.get_by_label("named nurse for safeguarding").is_checked()
    assert "None" in alex.locator(".field-awaiting").inner_text()


def test_she_signs_her_phone_out_from_her_laptop(browser, committed_db, live_server,
                                                 phone_page, demo_loaded):
    context, laptop = _context_page(browser, live_server, LAPTOP)
    phone = phone_page
    try:
        # Signed in on her phone this morning, and now on her laptop between clinics.
        sign_in(phone, "nurse", demo.PASSWORD)
        assert phone.url == phone.base_url + "/", phone.url
        next_code_window("nurse")
        sign_in(laptop, "nurse", demo.PASSWORD)
        assert laptop.url == laptop.base_url + "/", laptop.url

        with laptop.expect_navigation():
            laptop.get_by_role("link", name="Settings").first.click()
        shot(laptop, "21-priya-settings")
        with laptop.expect_navigation():
            laptop.get_by_role(
                "link", name="Where you are signed in, and signing out everywhere").click()
        assert laptop.url == laptop.base_url + "/accounts/sign-out-everywhere/"
        assert laptop.get_by_role("heading", level=1).inner_text() == "Where you are signed in"
        shot(laptop, "22-priya-where-signed-in")
        assert axe_violations(laptop) == []

        places = laptop.locator("main ul.list > li")
        assert places.count() == 2, places.all_inner_texts()
        texts = places.all_inner_texts()
        this_one = [t for t in texts if "(this one)" in t]
        assert len(this_one) == 1, texts
        assert "Android" not in this_one[0], texts
        phone_row = places.filter(has_text="Android")
        assert phone_row.count() == 1, texts
        assert "(this one)" not in phone_row.inner_text()
        # Only the other one can be signed out from here.
        assert laptop.get_by_role("button", name="Sign it out").count() == 1

        with laptop.expect_navigation():
            phone_row.get_by_role("button", name="Sign it out").click()
        assert laptop.url == laptop.base_url + "/accounts/sign-out-everywhere/"
        shot(laptop, "23-priya-phone-signed-out")
        expect(laptop.get_by_text("That device is signed out.")).to_be_visible()
        places = laptop.locator("main ul.list > li")
        assert places.count() == 1, places.all_inner_texts()
        assert "(this one)" in places.inner_text()
        assert axe_violations(laptop) == []

        # The phone's next page: the sign-in page.
        phone.goto(phone.base_url + "/")
        shot(phone, "24-phone-next-page")
        assert phone.url.startswith(phone.base_url + "/accounts/login/"), phone.url
        expect(phone.get_by_label("Username")).to_be_visible()
        assert axe_violations(phone) == []

        # The laptop is still signed in.
        laptop.reload()
        assert laptop.url == laptop.base_url + "/accounts/sign-out-everywhere/"
    finally:
        context.close()
