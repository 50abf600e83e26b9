"""Each professional's day in Chromium, as that person: the nurse from "needs you now" to a
submitted review (last time's action reviewed, an action added), returned by the team lead and
put right, then signed off; the foster carer at 360 px finding tonight's medicine, her own
tasks and what she cannot see. Screenshots go to var/screens/ (look at them); the nurse's clicks
and the fields she fills are counted and printed, so that a change that adds work shows.

The figures page's own journey is in test_health_team_pages.py."""

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from passport.models import Assessment, ImmunisationDose, User
from passport.operations import demo
from tests.browser.conftest import axe_violations, sign_in

SCREENS = Path("var/screens")


@dataclass
class Effort:
    """What a person does with her hands: each click, each field she types in (and how many
    keys). Sign-in is not counted: it is the same before and after."""

    clicks: int = 0
    fields: int = 0
    keys: int = 0

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def type(self, locator, text: str) -> None:
        self.fields += 1
        self.keys += len(text)
        locator.fill(text)


def _look(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"day_{name}.png"), full_page=True)
    assert axe_violations(page) == [], name


def _second_window(browser, page):
    """The team lead at her own desk: her own browser, so each person signs in once (a
    second factor's code is refused the second time it is used)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    other = context.new_page()
    other.set_default_timeout(10_000)
    other.base_url = page.base_url
    return other


def test_the_nurse_finishes_chloes_review_and_the_team_lead_signs_it_off(browser, page,
                                                                         demo_loaded):
    chloe = demo_loaded["yp.demo2"]
    draft = Assessment.objects.get(passport_id=chloe, state="draft")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "nurse", demo.PASSWORD)
    effort = Effort()
    needs = page.locator("section.needs-now")
    assert "Review health assessment overdue since" in needs.inner_text()
    assert "A draft is started." in needs.inner_text()
    _look(page, "nurse_1_home")

    # Straight to the draft she started, not a second one.
    effort.click(needs.get_by_role("link", name="Chloe Amber Wright"))
    assert page.url.endswith(f"/p/{chloe}/assessments/{draft.pk}/")
    problems = page.locator("section[aria-labelledby=submit-title]")
    assert "Summary: Write a summary." in problems.inner_text()
    assert "Why it was late, if it was: It was late: say why." in problems.inner_text()
    _look(page, "nurse_2_draft")

    effort.click(problems.get_by_role("link", name="Summary: Write a summary."))
    assert page.url.endswith("#id_summary")
    assert page.get_by_label("Why are you changing it?").count() == 0  # a draft: no reason
    effort.type(page.get_by_label("Summary"), "Well. Pregnancy going well; dentist booked.")
    effort.clicks += 1  # a choice from a list
    page.get_by_label("Why it was late, if it was").select_option("young_person")
    _look(page, "nurse_3_edit")
    effort.click(page.get_by_role("button", name="Save changes"))
    assert page.get_by_role("status").inner_text() == "Changes saved."

    # Last time's action: done.
    review = page.get_by_role("form", name="Review: Book a dental check-up near her placement.")
    effort.click(review.get_by_label("Done", exact=True))
    effort.click(review.get_by_role("button", name="Record the review"))
    assert page.get_by_role("status").inner_text() == "Action reviewed."

    effort.click(page.get_by_text("Add an action to the plan"))
    plan = page.locator("form", has=page.get_by_label("What will be done"))
    effort.type(plan.get_by_label("What will be done"), "Antenatal classes at Central Youth.")
    effort.clicks += 1  # a choice from a list
    plan.get_by_label("Who is responsible").select_option("young_person")
    effort.click(plan.get_by_role("button", name="Add to the plan"))
    assert page.get_by_role("status").inner_text() == "Added to the plan."
    _look(page, "nurse_4_ready")
    effort.click(page.get_by_role("button", name="Submit for sign-off"))
    assert page.get_by_role("status").inner_text() == "Submitted for sign-off."
    assert Assessment.objects.get(pk=draft.pk).state == "submitted"
    print(f"\nThe nurse's review, from her home page to submitted: {effort.clicks} clicks, "
          f"{effort.fields} fields typed in ({effort.keys} keys)")
    assert (effort.clicks, effort.fields) == (10, 2)

    lead = _second_window(browser, page)
    sign_in(lead, "teamlead", demo.PASSWORD)
    lead.locator("section[aria-labelledby=sign-off-title]").get_by_role(
        "link", name="Chloe Amber Wright").first.click()
    quality = lead.locator("section[aria-labelledby=quality-title]")
    for group in quality.locator("fieldset").all():
        group.get_by_label("Met", exact=True).check()
    quality.locator("fieldset").nth(0).get_by_label("Not met").check()
    quality.get_by_label("Comments for the author").fill("Quote her own words on the baby.")
    quality.get_by_role("button", name="Return with comments").click()
    assert Assessment.objects.get(pk=draft.pk).state == "returned"

    page.goto(page.base_url + "/")
    needs = page.locator("section.needs-now")
    first = needs.locator("li").first  # her safety's lines come first; Chloe has none
    assert "returned with comments" in first.inner_text()
    first.get_by_role("link").click()
    returned = page.locator("section[aria-labelledby=returned-title]")
    assert "Returned by Helen Brooks" in returned.inner_text()
    assert "Quote her own words on the baby." in returned.inner_text()
    _look(page, "nurse_5_returned")
    page.get_by_role("link", name="Change the assessment").click()
    page.get_by_label("The young person's own words").fill("\u201cI want to keep the baby "
                                                          "safe.\u201d")
    page.get_by_label("Why are you changing it?").fill("Her words, as asked")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    assert Assessment.objects.get(pk=draft.pk).state == "submitted"

    lead.goto(lead.base_url + "/")
    lead.locator("section[aria-labelledby=sign-off-title]").get_by_role(
        "link", name="Chloe Amber Wright").first.click()
    quality = lead.locator("section[aria-labelledby=quality-title]")
    for group in quality.locator("fieldset").all():
        group.get_by_label("Met", exact=True).check()
    quality.get_by_role("button", name="Sign off").click()
    assert lead.get_by_role("status").inner_text() == "Signed off."
    assert Assessment.objects.get(pk=draft.pk).state == "signed_off"
    _look(lead, "lead_signed_off")
    lead.context.close()

    # Signed off, it meets the duty: Chloe is no longer overdue on the caseload.
    page.goto(page.base_url + "/")
    assert "Chloe Amber Wright" not in page.locator("section.needs-now").inner_text()


def test_the_nurse_records_a_dose_and_the_form_names_each_problem(page, demo_loaded):
    mia = demo_loaded["yp.demo1"]
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "nurse", demo.PASSWORD)
    page.goto(page.base_url + f"/p/{mia}/immunisations/")
    page.get_by_text("Add: vaccination").click()
    form = page.locator("form", has=page.get_by_label("Batch number"))
    with page.expect_navigation():
        form.get_by_role("button", name="Add").click()
    summary = page.locator(".error-summary")
    assert "Vaccine: Choose one." in summary.inner_text()
    assert "How we know: Choose one." in summary.inner_text()
    _look(page, "nurse_6_dose_error")
    before = ImmunisationDose.objects.filter(passport_id=mia).count()
    form = page.locator("form", has=page.get_by_label("Batch number"))
    form.get_by_label("Vaccine", exact=True).select_option("mmr")
    form.get_by_label("Date given").fill("2026-11-30")
    form.get_by_label("Dose number").fill("2")
    form.get_by_label("How we know").select_option("gp_record")
    with page.expect_navigation():
        form.get_by_role("button", name="Add").click()
    assert page.get_by_role("status").inner_text() == "Added."
    assert ImmunisationDose.objects.filter(passport_id=mia).count() == before + 1

    # Her carer's SDQ, a score out of range first: the range is said, and nothing is saved.
    page.goto(page.base_url + f"/p/{mia}/wellbeing/")
    page.get_by_text("Add: SDQ result").click()
    form = page.locator("form", has=page.get_by_label("Prosocial"))
    form.get_by_label("Completed on").fill(timezone.localdate().isoformat())
    form.get_by_label("Carer", exact=True).check()
    for label, score in (("Emotional", "3"), ("Conduct", "2"), ("Hyperactivity", "14"),
                         ("Peer problems", "1"), ("Prosocial", "9")):
        form.get_by_label(label, exact=True).fill(score)
    with page.expect_navigation():
        form.get_by_role("button", name="Add").click()
    assert "Hyperactivity: Enter a number from 0 to 10." in (
        page.locator(".error-summary").inner_text())
    _look(page, "nurse_7_sdq_error")
    form = page.locator("form", has=page.get_by_label("Prosocial"))
    form.get_by_label("Hyperactivity", exact=True).fill("4")
    with page.expect_navigation():
        form.get_by_role("button", name="Add").click()
    assert page.get_by_role("status").inner_text() == "Added."
    assert "Total difficulties\t10\tClose to average" in page.locator("main").inner_text()


def test_the_nurses_things_to_do_carry_on_with_chloes_draft(page, demo_loaded):
    """Her task list, from the derived dates: Chloe's review is due and a draft is started,
    and her SDQ (her own and her carer's, she is 16) is due by the same day; the review task
    opens the draft, never a second assessment."""
    chloe = demo_loaded["yp.demo2"]
    draft = Assessment.objects.get(passport_id=chloe, state="draft")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "nurse", demo.PASSWORD)
    page.get_by_role("link", name="Things to do").click()
    tasks = page.locator("main")
    expect(tasks.get_by_text(
        "Chloe Amber Wright: Review health assessment due. A draft is started.")).to_be_visible()
    assert "Chloe Amber Wright: Ask for an SDQ: their own, and their carer's" in (
        tasks.inner_text())
    assert axe_violations(page) == []
    _look(page, "nurse_8_tasks")
    tasks.get_by_role("link", name="Review health assessment due").click()
    expect(page).to_have_url(f"{page.base_url}/p/{chloe}/assessments/{draft.pk}/")


def test_the_designated_professional_reads_a_quarter(page, demo_loaded):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "designated", demo.PASSWORD)
    now = page.locator("section[aria-labelledby=figures-now]")
    assert "Health assessments this quarter" in now.inner_text()
    _look(page, "designated_1_home")
    now.get_by_role("link", name="All five quarters, with the reasons for each breach").click()
    table = page.get_by_role("table", name="Health assessments, by the quarter they fell due")
    assert table.locator("thead th").count() == 1 + 5  # a column for each quarter
    breaches = table.locator("tr.total td").all_inner_texts()
    assert len(breaches) == 5 and sum(int(n) for n in breaches) > 0  # the demo's history
    assert "Figures as at" in page.locator("main").inner_text()
    expect(page.get_by_role("table", name="Breaches, by the reason recorded")).to_be_visible()
    _look(page, "designated_2_figures")


def test_the_foster_carer_finds_tonights_medicine_her_tasks_and_what_she_cannot_see(
        page, demo_loaded):
    mia = demo_loaded["yp.demo1"]
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "fostercarer", demo.PASSWORD)
    expect(page.get_by_role("heading", name="The young people you look after")).to_be_visible()
    card = page.locator("li.card", has=page.get_by_role("link", name="Mia", exact=True))
    assert "Book the missing MMR second dose" in card.inner_text()
    assert page.get_by_role("link", name="API tokens").count() == 0
    _look(page, "carer_1_home")

    card.get_by_role("link", name="Mia", exact=True).click()
    cannot = page.locator("section[aria-labelledby=not-shared]")
    assert "Birth history" in cannot.inner_text()
    assert "ask their health team: Dr Tom Okafor, Priya Shah" in cannot.inner_text()
    _look(page, "carer_2_mia")
    page.get_by_role("link", name="Conditions, allergies and medicines").click()
    assert page.url.endswith(f"/p/{mia}/conditions/")
    tonight = page.locator("main").inner_text()
    assert "Moisturising cream for eczema (Epaderm)" in tonight
    assert "Morning and bedtime, on dry skin." in tonight
    assert "Allergy: none shown here." in tonight  # none to give, rather than a guess
    _look(page, "carer_3_medicines")
    assert "Reset their lost second factor" not in page.content()
    assert User.objects.get(username="fostercarer").role == "carer"
