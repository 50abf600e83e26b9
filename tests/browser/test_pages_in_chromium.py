"""Every page so far, in a real browser on a phone-sized screen: axe-core finds nothing, and the
shared layout works from the keyboard."""

import pytest
from playwright.sync_api import expect

from passport.models import Condition
from passport.records import actions
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD


@pytest.fixture
def populated(her_passport, nurse_reach):
    actions.do_add_entry(nurse_reach, Condition, {
        "kind": "allergy", "name": "Penicillin", "details": "Rash and swollen lips",
        "what_to_do": "Tell every doctor and pharmacist"})
    actions.do_add_entry(nurse_reach, Condition, {
        "kind": "medicine", "name": "Sertraline 50 mg", "is_private": True})
    return her_passport


def conditions_url(page, passport):
    return f"{page.base_url}/p/{passport.pk}/conditions/"


def test_the_sign_in_page_and_its_error_pass_axe(page, her_nurse):
    page.goto(page.base_url + "/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_label("Username").fill("nurse.priya")
    page.get_by_label("Password").fill("wrong password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("That username and password")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Privacy").click()  # before anyone has an account
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Your information and your privacy")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Contact the service").click()
    expect(page.get_by_role("link", name="lac.health@example.nhs.uk")).to_be_visible()
    assert axe_violations(page) == []


def test_the_conditions_pages_pass_axe(page, populated, her_nurse):
    sign_in(page, her_nurse.username, PASSWORD)
    assert axe_violations(page) == []  # home, with the caseload
    page.goto(conditions_url(page, populated))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Conditions, allergies and medicines")
    page.get_by_text("Add: condition, allergy or medicine").click()  # open the form
    assert axe_violations(page) == []
    page.get_by_role("link", name="Change Penicillin · Allergy").click()
    assert axe_violations(page) == []
    page.goto(conditions_url(page, populated))
    with page.expect_navigation():  # read the history page, not the one being left
        page.get_by_role("link", name="History Penicillin · Allergy").click()
    assert "Version 1" in page.content()
    assert axe_violations(page) == []


def test_a_form_with_errors_passes_axe_and_says_what_is_wrong(page, populated, her_nurse):
    sign_in(page, her_nurse.username, PASSWORD)
    page.goto(conditions_url(page, populated))
    page.get_by_text("Add: condition, allergy or medicine").click()
    page.get_by_role("radio", name="Allergy").check()
    page.get_by_label("Since").fill("2020-05-01")
    page.get_by_label("Ended").fill("2019-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Add").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    # Each problem links to its field, as the GOV.UK error summary does.
    summary.get_by_role("link", name="The end date is before the start date.").click()
    assert page.evaluate("document.activeElement.name") == "ended_on"
    assert page.get_by_label("Name").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    assert Condition.objects.count() == 2


def test_a_nurse_adds_an_entry_with_the_keyboard(page, populated, her_nurse):
    sign_in(page, her_nurse.username, PASSWORD)
    page.goto(conditions_url(page, populated))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    page.get_by_text("Add: condition, allergy or medicine").click()
    page.get_by_role("radio", name="Allergy").check()
    page.get_by_label("Name").fill("Latex")
    with page.expect_navigation():
        page.get_by_label("Name").press("Enter")
    assert page.get_by_role("status").inner_text() == "Added."
    expect(page.get_by_role("heading", name="Latex · Allergy")).to_be_visible()


def test_the_not_found_page_passes_axe_and_shows_nothing(page, populated, other_nurse):
    sign_in(page, other_nurse.username, PASSWORD)
    response = page.goto(conditions_url(page, populated))
    assert response.status == 404
    assert "Penicillin" not in page.content()
    assert axe_violations(page) == []



def test_every_kind_of_page_passes_axe_with_the_demo(page, demo_loaded):
    from passport.models import HeldBack
    from passport.operations import demo

    mia, ahmad, leo = demo_loaded["yp.demo1"], demo_loaded["yp.demo4"], demo_loaded["yp.demo5"]
    chloe = demo_loaded["yp.demo2"]
    held = HeldBack.objects.get(passport_id=chloe)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, "nurse", demo.PASSWORD)
    for path in ("/accounts/passkeys/", "/accounts/invite/", f"/p/{mia}/",
                 f"/p/{mia}/immunisations/", f"/p/{leo}/assessments/",
                 f"/p/{ahmad}/care/", f"/p/{ahmad}/about_me/",
                 f"/p/{ahmad}/about_me/date-of-birth/", f"/p/{ahmad}/about_me/identity/",
                 f"/p/{mia}/health_plan/", f"/p/{mia}/wellbeing/", f"/p/{chloe}/",
                 f"/p/{chloe}/family_history/",
                 f"/p/{chloe}/family_history/family_history/{held.entry_id}/hold/",
                 "/tasks/", f"/p/{mia}/placements/", f"/p/{mia}/care-ending/",
                 "/break-glass/"):
        page.goto(page.base_url + path)
        for summary in page.locator("summary").all():  # open every add form too
            summary.click()
        assert axe_violations(page) == [], path
    page.goto(page.base_url + "/services/?need=crisis")
    assert axe_violations(page) == []
    page.goto(page.base_url + "/services/kite/")
    assert axe_violations(page) == []
    assert blocked == []  # nothing the pages load breaks the Content-Security-Policy


def test_the_young_persons_pages_pass_axe(page, demo_loaded):
    from passport.operations import demo

    chloe = demo_loaded["yp.demo2"]
    sign_in(page, "yp.demo2", demo.PASSWORD)
    for path in ("/", f"/p/{chloe}/", f"/p/{chloe}/booklet/", f"/p/{chloe}/sexual_health/",
                 f"/p/{chloe}/sharing/",
                 f"/p/{chloe}/who-has-looked/", "/accounts/two-factor/setup/",
                 f"/p/{chloe}/birth_history/?unknown=show", "/services/family-nurse-partnership/"):
        page.goto(page.base_url + path)
        assert axe_violations(page) == [], path
    page.goto(page.base_url + f"/p/{chloe}/")
    page.get_by_role("button", name="Hide now").click()
    expect(page.get_by_role("button", name="Show it again, as before")).to_be_visible()
    assert axe_violations(page) == []


def test_a_share_link_opens_without_javascript_by_pasting_it(page, demo_loaded, browser):
    from passport.operations import demo

    chloe = demo_loaded["yp.demo2"]
    sign_in(page, "yp.demo2", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{chloe}/share-links/")
    page.locator("summary", has_text="Make a new link").click()
    page.get_by_label("A new GP").check()
    page.get_by_role("button", name="Make the link").click()
    link = page.locator("code").first.inner_text()
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False)
    viewer = context.new_page()
    try:
        viewer.goto(link)
        assert "one more step" in viewer.content()
        viewer.get_by_label("Paste the whole link you were sent").fill(link)
        viewer.get_by_role("button", name="Open the link").click()
        expect(viewer.get_by_label("Your name")).to_be_visible()
    finally:
        context.close()


def test_a_share_link_from_making_to_reading_passes_axe(page, demo_loaded, browser):
    from passport.operations import demo

    chloe = demo_loaded["yp.demo2"]
    sign_in(page, "yp.demo2", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{chloe}/share-links/")
    assert axe_violations(page) == []
    page.locator("summary", has_text="Make a new link").click()
    page.get_by_label("A new GP").check()
    page.get_by_role("button", name="Make the link").click()
    assert axe_violations(page) == []
    link = page.locator("code").first.inner_text()
    code = page.locator("strong code").inner_text()

    context = browser.new_context(viewport={"width": 360, "height": 740})
    viewer = context.new_page()
    try:
        assert "/share/#" in link  # the secret after "#": never sent to the server
        viewer.goto(link)
        viewer.get_by_label("Your name").wait_for()  # the page posted it and moved on
        assert viewer.url.endswith("/share/") and "#" not in viewer.url
        assert axe_violations(viewer) == []
        viewer.get_by_label("Your name").fill("Dr Grace Okafor")
        viewer.get_by_label("Your organisation").fill("Heaton Moor Medical")
        viewer.get_by_role("button", name="Continue").click()
        viewer.get_by_label("Code").fill("1234")
        viewer.get_by_role("button", name="Open").click()
        assert "That code is not right" in viewer.get_by_role("alert").inner_text()
        assert axe_violations(viewer) == []  # the error state
        viewer.get_by_label("Code").fill(code)
        viewer.get_by_role("button", name="Open").click()
        # Whose it is, first: the doctor matches it to her patient.
        whose = viewer.locator("section[aria-labelledby=whose]")
        assert "Chloe Amber Wright" in whose.inner_text()
        assert "485 777 3457" in whose.inner_text()
        # Chloe has no conditions recorded: no empty heading, only the list at the end.
        assert "Conditions, allergies and medicines" in viewer.locator(
            "section[aria-labelledby=not-included]").inner_text()
        viewer.screenshot(path="var/screens/gp_share_view.png", full_page=True)
        assert axe_violations(viewer) == []
    finally:
        context.close()
    page.reload()
    expect(page.get_by_text("Dr Grace Okafor (Heaton Moor Medical) opened it")).to_be_visible()


def test_break_glass_and_its_review_pass_axe(page, demo_loaded, browser):
    from passport.operations import demo

    sign_in(page, "safeguarding", demo.PASSWORD)
    page.goto(page.base_url + "/break-glass/")
    page.get_by_label("Their NHS number").fill("999 000 1111")  # Mia, 9, in care
    page.get_by_label("The one section to open").select_option("conditions")
    page.get_by_label("Why you need it now").fill("Found unwell at school; carer unreachable.")
    page.get_by_label("A code from your authenticator, now").fill("000000")
    page.get_by_role("button", name="Open the section").click()
    assert "That code is not right." in page.get_by_role("alert").inner_text()
    assert axe_violations(page) == []  # the error state

    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB")
    guardian = context.new_page()
    guardian.base_url = page.base_url
    try:
        sign_in(guardian, "caldicott", demo.PASSWORD)
        guardian.goto(page.base_url + "/break-glass/reviews/")
        expect(guardian.get_by_role("heading", name="Break glass to review")).to_be_visible()
        assert axe_violations(guardian) == []
    finally:
        context.close()
