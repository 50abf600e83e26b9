"""Issue 26's first journey in a real Chromium: Chloe (16, her review overdue) is asked on her
home, at 360 px, what she wants her health team to know; she saves a draft, comes back, and
sends it. Her nurse, on a laptop, sees on the caseload that it is waiting and reads it beside
the review she starts; Chloe's "who has looked" then says so. Ahmad (15) opens the same form
in Arabic, right to left. axe-core on every page; screenshots in var/screens/say_*.png."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passport.models import Assessment
from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def _context_page(browser, live_server, viewport, locale="en-GB"):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    return context, page


@pytest.fixture
def phone(browser, committed_db, live_server):
    context, page = _context_page(browser, live_server, PHONE)
    yield page
    context.close()


@pytest.fixture
def laptop(browser, committed_db, live_server):
    context, page = _context_page(browser, live_server, LAPTOP)
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=f"var/screens/say_{name}.png", full_page=True)
    assert axe_violations(page) == [], name


def test_chloe_says_what_she_thinks_and_her_nurse_reads_it(phone, laptop, demo_loaded):
    page, chloe = phone, demo_loaded["yp.demo2"]
    sign_in(page, "yp.demo2", demo.PASSWORD)
    asked = page.locator("section[aria-labelledby=before-review]")
    expect(asked).to_contain_text("Before your health review")
    expect(asked).to_contain_text("Only you can see it until you send it.")
    shot(page, "chloe_home")
    asked.get_by_role("link", name="Say what you think").click()
    form = page.locator("details#add")
    expect(form).to_have_attribute("open", "")
    assert form.get_by_text("Who can see this entry?").count() == 0
    form.get_by_label("What worries me").fill("Being tired all the time.")
    form.get_by_label("Where I would like to meet").fill("At college, not at home")
    form.get_by_label("Yes, for some of it").check()
    shot(page, "chloe_form")
    form.get_by_role("button", name="Save it: only you can see it until you send it").click()
    expect(page.get_by_text("Draft: only you can see this")).to_be_visible()
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Carry on with what you started").click()
    entry = page.locator(".entry", has_text="Draft: only you can see this")
    entry.get_by_role("button", name="Send it to my health team").click()
    expect(page.get_by_text("Sent. Your health team will read it before your review.")
           ).to_be_visible()
    expect(page.get_by_text("You sent this to your health team on")).to_be_visible()
    shot(page, "chloe_sent")

    nurse = laptop
    sign_in(nurse, "nurse", demo.PASSWORD)
    row = nurse.locator("tr", has_text="Chloe")
    expect(row).to_contain_text("Sent what they think before their review")
    shot(nurse, "nurse_caseload")
    nurse.goto(nurse.base_url + f"/p/{chloe}/assessments/?add=review#add")
    add = nurse.locator("details#add")
    add.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    add.get_by_role("button", name="Save as a draft").click()
    draft = Assessment.objects.filter(passport_id=chloe, state="draft").latest("created_at")
    nurse.goto(nurse.base_url + f"/p/{chloe}/assessments/{draft.pk}/")
    said = nurse.locator("section[aria-labelledby=her-say-title]")
    expect(said).to_contain_text("Being tired all the time.")
    expect(said).to_contain_text("At college, not at home")
    shot(nurse, "nurse_assessment")

    page.goto(page.base_url + f"/p/{chloe}/who-has-looked/")
    expect(page.get_by_text("read what you wrote before your health review").first
           ).to_be_visible()
    shot(page, "chloe_who_has_looked")


def test_ahmad_reads_the_form_right_to_left(phone, demo_loaded):
    page = phone
    sign_in(page, "yp.demo4", demo.PASSWORD)
    with page.expect_navigation():  # he takes the app in Arabic, as his home offers
        page.locator('section[aria-labelledby=your-language] button[value="ar"]').click()
    page.goto(page.base_url + f"/p/{demo_loaded['yp.demo4']}/wellbeing/?add=before_review")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator("details#add")).to_contain_text("ما يقلقني")
    shot(page, "ahmad_form_ar")


def test_her_foster_carer_helps_mia_and_cannot_read_it_once_sent(phone, browser, live_server,
                                                                 demo_loaded):
    """Sam, Mia's foster carer, at 10 pm on a phone: Mia (9) has her review in a month; Sam's
    home offers to help, they write it together, save, come back, send; then Sam cannot read
    it, and Mia's own page says who helped."""
    import datetime

    from passport.models import Passport

    mia = demo_loaded["yp.demo1"]
    Passport.objects.filter(pk=mia).update(
        next_assessment_on=timezone.localdate() + datetime.timedelta(days=30),
        next_assessment_kind="review")
    page = phone
    sign_in(page, "fostercarer", demo.PASSWORD)
    page.get_by_role("link", name="Help Mia say what they think before their health "
                                  "review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Help Mia say what they think")
    page.get_by_label("Is anything bothering you?").fill("The big boys at school")
    page.get_by_label("What is good right now?").fill("Swimming on Saturdays")
    shot(page, "carer_form")
    page.get_by_role("button", name="Save it for later").click()
    expect(page.get_by_text("Saved. You can come back to it together.")).to_be_visible()
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Carry on helping Mia").click()
    expect(page.get_by_label("Is anything bothering you?")).to_have_value("The big boys at school")
    page.get_by_label("What do you want to talk about?").fill("My glasses")
    page.get_by_role("button", name="Send it to Mia's health team").click()
    expect(page.get_by_text("Sent. Only Mia and their health team can read it now.")
           ).to_be_visible()
    expect(page.get_by_text("You sent what Mia said on")).to_be_visible()
    assert page.get_by_text("The big boys at school").count() == 0
    page.get_by_role("link", name="Write another together").click()
    assert page.get_by_text("The big boys at school").count() == 0
    assert page.get_by_label("Is anything bothering you?").input_value() == ""
    shot(page, "carer_sent")

    child, hers = _context_page(browser, live_server, PHONE)
    sign_in(hers, "yp.demo1", demo.PASSWORD)
    hers.goto(hers.base_url + f"/p/{mia}/wellbeing/")
    expect(hers.get_by_text("The big boys at school")).to_be_visible()
    expect(hers.get_by_text("Written with Sam Jones")).to_be_visible()
    shot(hers, "mia_helped")
    child.close()
