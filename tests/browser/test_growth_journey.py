"""The nurse between clinics records a review on a laptop and sees each
centile worked out, a slipped decimal point is caught before it is saved, and Mia (9) reads how
she is growing in plain words on her phone. Every state passes axe-core."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from passport.models import Assessment
from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in


def test_the_nurse_records_growth_and_mia_reads_it_in_plain_words(page, demo_loaded):
    mia = demo_loaded["yp.demo1"]
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "nurse", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{mia}/assessments/")
    growth = page.locator("section[aria-labelledby=growth]")
    expect(growth.get_by_role("heading", name="Growth")).to_be_visible()
    assert re.search(r"131\.5 cm\s+\d+(st|nd|rd|th) centile", growth.inner_text())
    growth.get_by_text("Growth charts").click()
    expect(growth.get_by_role("img", name=re.compile("Height by age in years"))).to_be_visible()
    assert axe_violations(page) == []

    before = Assessment.objects.filter(passport_id=mia).count()
    page.get_by_text("Add: health assessment").click()
    # Mia is 9: the under-fives' questions are left out.
    form = page.locator("form", has=page.get_by_label("Weight (kg)"))
    assert form.get_by_label("Head circumference (cm)").count() == 0
    form.get_by_label("Review health assessment").check()
    form.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    form.get_by_label("Done", exact=True).check()
    form.get_by_label("Height (cm)").fill("134")
    form.get_by_label("Weight (kg)").fill("282")  # 28.2 kg with the point slipped
    with page.expect_navigation():
        form.get_by_role("button", name="Save as a draft").click()
    summary = page.locator(".error-summary")
    assert "Weight 282 kg is more than 4 standard deviations from the average" in (
        summary.inner_text())
    assert Assessment.objects.filter(passport_id=mia).count() == before
    assert axe_violations(page) == []

    form = page.locator("form", has=page.get_by_label("Weight (kg)"))
    assert not form.get_by_label("I measured again: the measurements are right").is_checked()
    form.get_by_label("Weight (kg)").fill("28.2")
    with page.expect_navigation():
        form.get_by_role("button", name="Save as a draft").click()
    assert Assessment.objects.filter(passport_id=mia).count() == before + 1
    assert page.get_by_role("status").inner_text() == "Draft saved. Only the health team sees it."
    page.goto(page.base_url + f"/p/{mia}/assessments/")
    assert page.locator("section[aria-labelledby=growth] tbody th").count() == 2  # two dates

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "yp.demo1", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{mia}/assessments/")
    hers = page.locator("section[aria-labelledby=growth]")
    expect(hers.get_by_role("heading", name="How you are growing")).to_be_visible()
    assert "In the usual range for your age" in hers.inner_text()
    assert "centile" not in page.content().lower()
    assert axe_violations(page) == []
