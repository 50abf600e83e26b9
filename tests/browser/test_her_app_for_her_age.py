"""The young people's journeys of issue 24 in a real Chromium at 360 px: Mia (9) reads her
vaccinations and her questionnaire in words for her age; Jay (18, a care leaver) shares with
his personal adviser by name, makes a link for his GP and finds Café Zest by typing "cafe";
Ahmad (15) reads his record in Arabic with English sentences the right way round. Then every
page of each at 320 px with text at 200%: nothing scrolls sideways. Screenshots in var/screens/
(her_*.png); axe-core on every page the journeys open."""

import re

import pytest
from playwright.sync_api import expect

from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser, committed_db, live_server):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=f"var/screens/her_{name}.png", full_page=True)
    assert axe_violations(page) == [], name


def test_mia_reads_her_vaccinations_and_her_questionnaire_in_words(phone, demo_loaded):
    page, mia = phone, demo_loaded["yp.demo1"]
    sign_in(page, "yp.demo1", demo.PASSWORD)
    page.get_by_role("link", name="Immunisations").click()
    short = page.locator("section[aria-labelledby=schedule]")
    assert "Some of your vaccinations may need catching up." in short.inner_text()
    line = short.get_by_text("resume the course, never restart it").first
    assert not line.is_visible()  # the schedule is one tap away, not the first thing she reads
    shot(page, "mia_vaccinations")
    short.get_by_text("See each vaccine by the UK schedule").click()
    expect(line).to_be_visible()
    page.goto(page.base_url + f"/p/{mia}/wellbeing/")
    words = page.locator("#group-sdq_result + p").inner_text()
    assert "Strengths and Difficulties Questionnaire" in words
    result = page.locator(".entry", has_text="Going well:")
    assert "concentrating and sitting still" in result.inner_text()
    # Under 13: words only: no band (the professionals' or the kinder ones from 13), no score
    # table, no chart, no number.
    text = result.inner_text()
    for band in ("Cause for concern", "Close to average", "Slightly raised", "Very high",
                 "About the same as most people your age", "A little higher than most"):
        assert band not in text, band
    assert not re.search(r"\b\d{1,2}\b(?! \w+ 20\d\d)", text.split("Discussed")[0])
    assert page.locator("table.sdq").count() == 0 and page.locator("figure.chart").count() == 0
    shot(page, "mia_wellbeing")


def test_jay_shares_with_his_adviser_by_name_and_makes_a_link_for_his_gp(phone, demo_loaded):
    page, jay = phone, demo_loaded["yp.demo3"]
    sign_in(page, "yp.demo3", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{jay}/sharing/")
    expect(page.get_by_role("heading", name="Now you have left care")).to_be_visible()
    assert page.get_by_text("Hide from your carer").count() == 0
    shot(page, "jay_sharing")
    page.get_by_role("button", name="Share", exact=True).click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert summary.bounding_box()["y"] < page.get_by_role(
        "heading", name="People who can see it because of their job").bounding_box()["y"]
    shot(page, "jay_sharing_problem")
    page.get_by_label("Leah Novak, your personal adviser").check()
    page.get_by_label("Health plan").check()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_text("Shared.")).to_be_visible()
    shared = page.locator("h2:has-text('People you have shared with') + ul")
    assert "Leah Novak" in shared.inner_text() and "Health plan" in shared.inner_text()
    page.get_by_role("link", name="Make a share link for Dr Hannah Bell (GP)").click()
    expect(page.get_by_label("A new GP")).to_be_checked()
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    shot(page, "jay_gp_link")


def test_jay_finds_cafe_zest_by_typing_cafe_and_can_ring_it(phone, demo_loaded):
    page = phone
    sign_in(page, "yp.demo3", demo.PASSWORD)
    page.goto(page.base_url + "/services/")
    filters = page.locator("form[role=search] summary")
    assert filters.inner_text() == "Filters: age 18, living in Stockport"  # left care: no council
    shot(page, "jay_services")
    page.get_by_label("Search").fill("cafe")
    page.get_by_role("button", name="Show services").click()
    page.get_by_role("link", name="Café Zest").click()
    expect(page.locator('a[href="tel:01614960101"]')).to_be_visible()
    assert "are examples" in page.locator(".message").inner_text()
    shot(page, "jay_cafe_zest")


def test_ahmad_reads_english_sentences_the_right_way_round_in_arabic(phone, demo_loaded):
    page, ahmad = phone, demo_loaded["yp.demo4"]
    sign_in(page, "yp.demo4", demo.PASSWORD)
    with page.expect_navigation():
        page.locator('section[aria-labelledby=your-language] button[value="ar"]').click()
    page.goto(page.base_url + f"/p/{ahmad}/about_me/")
    sentence = page.locator("dd", has_text="Muslim; I prefer a male doctor.")
    assert sentence.get_attribute("dir") == "ltr"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Its full stop is drawn at its own end: the text's right edge, not its left.
    box = sentence.bounding_box()
    stop = page.evaluate("""(dd) => {
        const range = document.createRange(); const text = dd.firstChild;
        range.setStart(text, text.length - 1); range.setEnd(text, text.length);
        return range.getBoundingClientRect().x; }""", sentence.element_handle())
    assert stop > box["x"] + box["width"] / 2
    shot(page, "ahmad_about_me")


def her_pages(pk) -> list[str]:
    sections = ("about_me", "contacts", "immunisations", "conditions", "assessments",
                "health_plan", "wellbeing", "appointments", "my_services")
    return (["/", f"/p/{pk}/", f"/p/{pk}/sharing/", f"/p/{pk}/share-links/",
             f"/p/{pk}/who-has-looked/", "/services/", "/services/cafe-zest/", "/settings/",
             "/my-copy/"] + [f"/p/{pk}/{s}/" for s in sections])


@pytest.mark.parametrize("who", ["yp.demo1", "yp.demo3", "yp.demo4"])
def test_every_page_fits_at_320_px_with_text_at_200_percent(browser, committed_db, live_server,
                                                             demo_loaded, who):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        sign_in(page, who, demo.PASSWORD)
        for path in her_pages(demo_loaded[who]):
            assert page.goto(page.base_url + path).status == 200, path
            for summary in page.locator("main summary").all():  # folded parts open too
                summary.click()
            page.evaluate("document.documentElement.style.fontSize = '200%'")  # text zoom
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 321, (who, path, wide)
    finally:
        context.close()
