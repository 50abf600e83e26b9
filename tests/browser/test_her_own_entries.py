"""Her own entries in a real Chromium at 360 px (decision 0058): Chloe (16) adds a medicine
she takes, in her own words, and sees who besides her health team can see it; she writes a
note for herself and sees that only she can; her nurse, on a laptop, sees the medicine marked
as hers and finds no trace of the note. axe-core on each page; screenshots
var/screens/own_*.png."""

from playwright.sync_api import expect

from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def shot(page, name: str) -> None:
    page.screenshot(path=f"var/screens/own_{name}.png", full_page=True)
    assert axe_violations(page) == [], name


def _page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    return context, page


def test_chloe_adds_her_own_medicine_and_a_note_for_herself(browser, committed_db, live_server,
                                                           demo_loaded):
    chloe = demo_loaded["yp.demo2"]
    context, page = _page(browser, live_server, PHONE)
    sign_in(page, "yp.demo2", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{chloe}/conditions/")
    expect(page.get_by_text("Besides your health team, Sam Jones (your carer) can see what is "
                            "not marked private here.")).to_be_visible()
    page.get_by_text("Add: condition, allergy or medicine").click()
    form = page.locator("details[open] form")
    form.get_by_label("Medicine").check()
    form.get_by_label("Name").fill("Pregnacare vitamins")
    form.get_by_label("Private: only me and my health team").check()
    assert form.get_by_text("SNOMED").count() == 0
    shot(page, "medicine_form")
    form.get_by_role("button", name="Add").click()
    entry = page.locator(".entry", has_text="Pregnacare vitamins")
    expect(entry).to_contain_text("Added by you")
    expect(entry).to_contain_text("Private: you and your health team only")
    shot(page, "medicine_added")

    page.goto(page.base_url + f"/p/{chloe}/my_notes/")
    expect(page.get_by_text("Only you can see them in the app")).to_be_visible()
    page.get_by_text("Add: note for me").click()
    note = page.locator("details[open] form")
    note.get_by_label("My note").fill("Scared about the birth. Ask about the pool.")
    note.get_by_role("button", name="Add").click()
    mine = page.locator(".entry", has_text="Scared about the birth")
    expect(mine).to_contain_text("Only you")
    shot(page, "note")
    context.close()

    context, nurse = _page(browser, live_server, LAPTOP)
    sign_in(nurse, "nurse", demo.PASSWORD)
    nurse.goto(nurse.base_url + f"/p/{chloe}/conditions/")
    expect(nurse.locator(".entry", has_text="Pregnacare vitamins")).to_contain_text(
        "Added by the young person")
    shot(nurse, "nurse_conditions")
    nurse.goto(nurse.base_url + f"/p/{chloe}/")
    assert nurse.get_by_text("Notes for me").count() == 0
    assert "Scared about the birth" not in nurse.content()
    context.close()
