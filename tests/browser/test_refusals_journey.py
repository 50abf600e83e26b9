"""The journeys this reshaping touched, walked in Chromium as the people they are for: a nurse
inviting someone (the link and the page ask the same capability; a form mistake is explained,
not refused), a foster carer at 10 pm who
types the address of a page she may not use (told plainly, no hint of anything else), and Jay,
18, making the booklet for his new GP on his phone (a preset's sections, chosen once for the
page and the API). Screenshots go to var/screens/ for a person to look at."""

import io
from pathlib import Path

import pypdf
from playwright.sync_api import expect

from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_the_nurse_invites_a_carer_or_a_young_person_and_no_one_else(page, demo_loaded):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "nurse", demo.PASSWORD)
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", name="Invite someone")).to_be_visible()
    roles = page.get_by_label("They will be").locator("option").all_inner_texts()
    assert sorted(roles) == ["Carer", "Young person"]
    shot(page, "nurse-invite")
    assert axe_violations(page) == []
    # Every one of her young people has an account: a young person's invitation is a mistake
    # the form explains, never "Not allowed".
    page.get_by_label("They will be").select_option(label="Young person")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_role("heading", name="Invite someone")).to_be_visible()
    expect(page.get_by_text("Choose whose passport this account is for.").first).to_be_visible()
    shot(page, "nurse-invite-mistake")
    assert axe_violations(page) == []


def test_the_carer_is_told_plainly_where_she_may_not_go(page, demo_loaded):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "fostercarer", demo.PASSWORD)
    assert page.get_by_role("link", name="Invite someone").count() == 0
    response = page.goto(page.base_url + "/accounts/invite/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    shot(page, "carer-not-allowed")
    assert axe_violations(page) == []


def test_jay_makes_the_booklet_for_his_new_gp_on_his_phone(page, demo_loaded):
    page.set_viewport_size({"width": 360, "height": 740})
    jay = demo_loaded["yp.demo3"]
    sign_in(page, "yp.demo3", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{jay}/booklet/")
    page.get_by_label("For a new GP: about me, contacts, immunisations, conditions").check()
    shot(page, "jay-booklet")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the booklet (PDF)").click()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(
        io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    # The preset's sections, his own name on it; the sections left out are not in it.
    assert "Immunisations" in text and "Conditions, allergies and medicines" in text
    assert "Jay" in text
    assert "Register with a GP near the new flat" not in " ".join(text.split())  # his plan
