"""The health team's work in Chromium with axe-core: a review recorded, the earlier
plan's action reviewed, submitted, signed off by the team lead; contributions; the figures and
the care leaver's summary. Each page state is checked with axe, errors included."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from passport.access.policy import reach
from passport.models import Assessment, PlanAction, User
from passport.operations import demo
from passport.records import actions
from tests.browser.conftest import axe_violations, sign_in


def test_a_review_from_draft_to_signed_off(page, demo_loaded):
    mia = demo_loaded["yp.demo1"]
    nurse = User.objects.get(username="nurse")
    draft = actions.do_add_entry(reach(nurse, mia), Assessment, {
        "kind": "review", "held_on": timezone.localdate() - datetime.timedelta(days=1),
        "outcome": "done", "done_by": "Priya Shah", "summary": "Catching up well.",
        "own_words": "\u201cI got a new bike.\u201d"})
    sign_in(page, "nurse", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{mia}/assessments/{draft.pk}/")
    assert axe_violations(page) == []

    # The demo's open plan action (the MMR catch-up) must be reviewed first.
    page.get_by_role("button", name="Submit for sign-off").click()
    summary = page.locator(".error-summary")
    assert "1 action from an earlier plan is not reviewed yet" in summary.inner_text()
    assert axe_violations(page) == []
    review = page.get_by_role("form", name="Review: Book the missing MMR")
    review.get_by_label("Carry on into the new plan").check()
    review.get_by_role("button", name="Record the review").click()
    assert page.get_by_role("status").inner_text() == "Action reviewed."
    page.get_by_role("button", name="Submit for sign-off").click()
    assert page.get_by_role("status").inner_text() == "Submitted for sign-off."
    assert Assessment.objects.get(pk=draft.pk).state == "submitted"

    page.context.clear_cookies()
    sign_in(page, "teamlead", demo.PASSWORD)
    expect(page.get_by_role("heading", name="Waiting for your sign-off")).to_be_visible()
    page.locator("section[aria-labelledby=sign-off-title] a").first.click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign off").click()  # nothing answered yet
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    for group in page.locator("fieldset").all():
        group.get_by_label("Met", exact=True).check()
    page.get_by_role("button", name="Sign off").click()
    assert page.get_by_role("status").inner_text() == "Signed off."
    assert Assessment.objects.get(pk=draft.pk).state == "signed_off"
    page.get_by_label("Addendum").fill("Her bike is a BMX.")
    page.get_by_role("button", name="Add the addendum").click()
    expect(page.get_by_text("Her bike is a BMX.")).to_be_visible()
    assert axe_violations(page) == []
    carried = PlanAction.objects.get(passport_id=mia)
    assert carried.status == "open"


def test_the_other_health_team_pages_pass_axe(page, demo_loaded):
    mia, chloe = demo_loaded["yp.demo1"], demo_loaded["yp.demo2"]
    sign_in(page, "nurse", demo.PASSWORD)
    for path in (f"/p/{mia}/contributions/", f"/p/{mia}/assessments/",
                 f"/p/{chloe}/leaving-care-summary/", "/"):
        page.goto(page.base_url + path)
        for summary in page.locator("summary").all():
            summary.click()
        assert axe_violations(page) == [], path
    page.goto(page.base_url + f"/p/{mia}/contributions/")
    page.get_by_role("button", name="Record the request").click()  # nobody chosen
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()
    sign_in(page, "designated", demo.PASSWORD)
    page.goto(page.base_url + "/figures/")
    assert axe_violations(page) == []
    assert "Mia" not in page.content()
