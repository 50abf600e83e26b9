"""A young person who forgot her password and has no email, in a real Chromium: her
nurse, on a laptop, confirms who she is and gives her a one-time code; she, on a 360 px phone,
sets a new password with it, signs in with it, and sees in "Who has looked at my passport" that
her nurse gave her a code and that it was used. Every page of the journey passes axe-core, a
wrong code shows its error once (in the summary), and the page with the code is not kept by
the browser's back button."""

import contextlib
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# HP_SHOTS=/tmp/shots keeps a full-page screenshot of every step, to look at.
SHOTS = os.environ.get("HP_SHOTS")
NEW_PASSWORD = "kettle orbit lantern meadow"


def _context_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def laptop_page(browser, committed_db, live_server):
    context, page = _context_page(browser, live_server, LAPTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, committed_db, live_server):
    context, page = _context_page(browser, live_server, PHONE)
    yield page
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def main_text(page) -> str:
    return page.locator("main").inner_text() if page.locator("main").count() else \
        page.locator("body").inner_text()


def settled_content(page, tries: int = 20) -> str:
    """The page's HTML once it stops navigating (Chromium's error page after Back may still
    be loading)."""
    for _try in range(tries):
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state()
            return page.content()
        page.wait_for_timeout(250)
    raise AssertionError("the page never settled")


def test_nurse_gives_a_code_and_she_sets_a_new_password_with_it(laptop_page, phone_page,
                                                                demo_loaded):
    nurse, her = laptop_page, phone_page
    chloe = demo_loaded["yp.demo2"]

    # --- The nurse, between clinics, on her laptop -------------------------------------------
    sign_in(nurse, "nurse", demo.PASSWORD)
    nurse.goto(nurse.base_url + f"/p/{chloe}/")
    shot(nurse, "01-nurse-passport")
    with nurse.expect_navigation():
        nurse.get_by_role("link", name="Give them a code to set a new password").click()
    assert nurse.url == nurse.base_url + f"/p/{chloe}/password-code/"
    assert nurse.get_by_role("heading", level=1).inner_text() == \
        "Give them a code to set a new password"
    expect(nurse.get_by_text("The code works once, for 15 minutes.")).to_be_visible()
    shot(nurse, "02-nurse-issue")
    assert axe_violations(nurse) == []

    # Without the tick, no code: one error, linked to the box to tick.
    with nurse.expect_navigation():
        nurse.get_by_role("button", name="Show the code").click()
    assert nurse.locator(".recovery-code").count() == 0
    summary = nurse.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link").count() == 1
    assert summary.get_by_role("link").get_attribute("href") == "#id_confirmed"
    assert "Confirm who they are" in summary.inner_text()  # what to do, not "required"
    shot(nurse, "03-nurse-issue-not-ticked")
    assert axe_violations(nurse) == []

    nurse.get_by_label("I have confirmed who they are, in person or on a video call").check()
    with nurse.expect_navigation():
        nurse.get_by_role("button", name="Show the code").click()
    code_text = nurse.locator(".recovery-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}",
                        code_text), code_text
    expect(nurse.locator(".recovery-code")).to_be_visible()
    expect(nurse.get_by_text("It works once, for 15 minutes")).to_be_visible()
    shot(nurse, "04-nurse-code")
    assert axe_violations(nurse) == []

    # Done, then Back: the page with the code is not shown again from the browser's memory.
    with nurse.expect_navigation():
        nurse.get_by_role("link", name="Done: back to their passport").click()
    assert nurse.url == nurse.base_url + f"/p/{chloe}/"
    with contextlib.suppress(PlaywrightError):  # Chromium: ERR_CACHE_MISS, nothing kept
        nurse.go_back()  # it offers only to send the form again ("Confirm Form Resubmission")
    shown = settled_content(nurse)
    shot(nurse, "05-nurse-back-button")
    assert code_text not in shown
    assert nurse.locator(".recovery-code").count() == 0

    # --- Chloe, 16, on a cheap phone -------------------------------------------------------
    her.goto(her.base_url + "/accounts/login/")
    with her.expect_navigation():
        her.get_by_role("link", name="I have a code from my nurse or adviser").click()
    assert her.url == her.base_url + "/accounts/password-code/"
    assert her.get_by_role("heading", level=1).inner_text() == "Set a new password with a code"
    shot(her, "06-her-use-empty")
    assert not overflows(her)
    assert axe_violations(her) == []

    # A wrong code first (a typo): one clear error, in the summary (linked) and by the field.
    wrong = "2222-3333-4444" if code_text != "2222-3333-4444" else "5555-6666-7777"
    her.get_by_label("Your username").fill("yp.demo2")
    her.get_by_label("The code you were given").fill(wrong)
    her.get_by_label("Choose a new password").fill(NEW_PASSWORD)
    her.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    with her.expect_navigation():
        her.get_by_role("button", name="Set my new password").click()
    shot(her, "07-her-use-wrong-code")
    error = "That username and code do not match a code that is still valid."
    # The summary and the field's own message: the usual pair, never a third copy.
    assert main_text(her).count(error) == 2, main_text(her)
    summary = her.locator(".error-summary")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    assert error in summary.inner_text()
    assert not overflows(her)
    assert axe_violations(her) == []

    # The right code (typed in lower case, without the dashes, as she might).
    her.get_by_label("Your username").fill("yp.demo2")
    her.get_by_label("The code you were given").fill(code_text.replace("-", "").lower())
    her.get_by_label("Choose a new password").fill(NEW_PASSWORD)
    her.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    with her.expect_navigation():
        her.get_by_role("button", name="Set my new password").click()
    assert her.url.startswith(her.base_url + "/accounts/login/")
    expect(her.get_by_text("Your new password is set")).to_be_visible()
    shot(her, "08-her-sign-in-after")
    assert not overflows(her)

    # The old password no longer works; the new one does.
    her.get_by_label("Username").fill("yp.demo2")
    her.get_by_label("Password").fill(demo.PASSWORD)
    with her.expect_navigation():
        her.get_by_role("button", name="Sign in").click()
    expect(her.get_by_text("That username and password did not match.")).to_be_visible()
    sign_in(her, "yp.demo2", NEW_PASSWORD)
    assert her.url == her.base_url + "/", her.url
    her.goto(her.base_url + f"/p/{chloe}/")
    with her.expect_navigation():
        her.get_by_role("link", name="Who has looked at my passport").click()
    looks = her.locator(".entries .entry")
    texts = looks.all_inner_texts()
    shot(her, "09-her-who-has-looked")
    assert any(t.startswith("Priya Shah") and "gave you a code to set a new password" in t
               for t in texts), texts
    assert any(t.startswith("Priya Shah") and "it was used to set your new password" in t
               for t in texts), texts
    assert not overflows(her)


def test_a_wrong_code_is_linked_from_the_summary_to_the_code_field(phone_page, demo_loaded):
    her = phone_page
    her.goto(her.base_url + "/accounts/password-code/")
    her.get_by_label("Your username").fill("yp.demo2")
    her.get_by_label("The code you were given").fill("2222-3333-4444")
    her.get_by_label("Choose a new password").fill(NEW_PASSWORD)
    her.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    with her.expect_navigation():
        her.get_by_role("button", name="Set my new password").click()
    link = her.locator(".error-summary").get_by_role("link")
    assert link.count() == 1
    assert link.get_attribute("href") == "#id_code"
    assert her.get_by_label("The code you were given").get_attribute("aria-invalid") == "true"
