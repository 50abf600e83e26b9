"""The caseload: what needs doing first at the top, with due dates from the assessment clock,
in the same number of queries for 5 young people as for 60."""

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from passport.access.policy import reach
from passport.models import Assessment, CareEpisode, Passport, PlanAction, Role
from passport.records import actions
from tests.conftest import login, make_user
from tests.support.assessments import second_clinician, signed_off

TODAY = timezone.localdate()


def young_people(admin_user, nurse, count: int, stockport) -> list:
    made = []
    for number in range(count):
        passport = actions.do_create_passport(
            admin_user, legal_name=f"Young Person {number}",
            date_of_birth=datetime.date(2012, 1, 1) + datetime.timedelta(days=number))
        actions.do_assign_professional(admin_user, passport, nurse)
        nurse_reach = reach(nurse, passport.pk)
        actions.do_add_entry(nurse_reach, CareEpisode, {
            "started_on": TODAY - datetime.timedelta(days=400 + number),
            "legal_status": "care_order", "placement_type": "foster",
            "placing_authority": stockport, "host_area": stockport.pk})
        signed_off(nurse_reach, second_clinician(passport, admin_user), kind="initial",
                   held_on=TODAY - datetime.timedelta(days=390 - number * 3), outcome="done")
        actions.do_add_entry(nurse_reach, PlanAction, {
            "action": "Dentist", "responsible": "carer", "status": "open",
            "due_on": TODAY + datetime.timedelta(days=30)})
        made.append(passport)
    return made


def test_overdue_first_with_the_reason(admin_user, stockport):
    nurse = make_user("nurse.x", Role.NURSE, "Nurse X")
    made = young_people(admin_user, nurse, 3, stockport)
    page = login(Client(), nurse).get("/").content.decode()
    # Young Person 0's initial was 390 days ago: the yearly review is overdue, and first.
    assert page.index("Young Person 0") < page.index("Young Person 2")
    assert "Overdue since" in page and "every 12 months" in page
    assert str(made[0].pk) in page


def test_the_same_queries_for_5_as_for_60(admin_user, stockport):
    small, large = make_user("nurse.s", Role.NURSE, "S"), make_user("nurse.l", Role.NURSE, "L")
    young_people(admin_user, small, 5, stockport)
    young_people(admin_user, large, 60, stockport)
    counts = []
    for nurse in (small, large):
        client = login(Client(), nurse)
        client.get("/")  # the session's first request settles its own bookkeeping
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_vaccines_that_look_due_and_an_sdq_to_ask_for(admin_user, stockport):
    nurse = make_user("nurse.v", Role.NURSE, "Nurse V")
    made = young_people(admin_user, nurse, 1, stockport)[0]
    # Her yearly review falls due within 6 weeks, and no SDQ has come since the last one.
    nurse_reach = reach(nurse, made.pk)
    actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "review", "held_on": TODAY - datetime.timedelta(days=340), "outcome": "done"})
    page = login(Client(), nurse).get("/").content.decode()
    # Born 2012: from 11 she fills in her own SDQ, as well as her carer.
    assert "Ask for an SDQ: their own, and their carer" in page
    # No dose recorded: the 6-in-1 due at 8 weeks has not been given. Not since when: that
    # date, kept plain, would give away her date of birth.
    assert "A vaccine looks due" in page and "26 Feb 2012" not in page
    assert "A plan action is past its date" not in page  # her dentist is in 30 days


def test_plan_actions_past_their_date_say_since_when(admin_user, stockport):
    """Read from the derived date kept on her passport: the earliest open action's date,
    late from the day after it; one done or no longer needed does not count."""
    nurse = make_user("nurse.p", Role.NURSE, "Nurse P")
    made = young_people(admin_user, nurse, 1, stockport)[0]
    nurse_reach = reach(nurse, made.pk)
    for days, status in ((20, "done"), (15, "dropped"), (10, "open"), (0, "open")):
        actions.do_add_entry(nurse_reach, PlanAction, {
            "action": "Optician", "responsible": "carer", "status": status,
            "due_on": TODAY - datetime.timedelta(days=days)})
    page = login(Client(), nurse).get("/").content.decode()
    since = TODAY - datetime.timedelta(days=10)
    assert f"A plan action is past its date (since {since:%-d %B %Y})" in page
    row = login(APIClient(), nurse).get("/api/v1/caseload/").json()[0]
    assert row["plan_actions_past_date_since"] == since.isoformat()
    assert row["vaccines_look_due"] is True


def test_the_caseload_through_the_api(admin_user, stockport):
    from rest_framework.test import APIClient

    nurse = make_user("nurse.api", Role.NURSE, "Nurse API")
    made = young_people(admin_user, nurse, 2, stockport)
    actions.do_add_entry(reach(nurse, made[0].pk), Assessment, {
        "kind": "review", "held_on": TODAY, "outcome": "done"})
    rows = login(APIClient(), nurse).get("/api/v1/caseload/").json()
    assert [r["passport"] for r in rows] == [str(made[0].pk), str(made[1].pk)]
    assert rows[0]["next_assessment"]["overdue"] is True
    assert rows[0]["draft_assessments"] == 1  # recorded, never submitted
    carer = make_user("carer.api", Role.CARER, "Carer API")
    assert login(APIClient(), carer).get("/api/v1/caseload/").json() == []


def test_a_child_leaving_care_before_her_review_falls_due_shows_nothing_due(admin_user, stockport):
    """The caseload looked only at the last care episode's start, so a review that
    would fall after care ends still showed as due."""
    from passport.care.caseload import caseload

    nurse = make_user("nurse.y", Role.NURSE, "Nurse Y")
    staying, leaving = young_people(admin_user, nurse, 2, stockport)
    from passport.care import placements

    # Her last review was 340 days ago, so the next is due in 25 days; care ends in 5.
    placements.do_record_care_ending(reach(nurse, leaving.pk),
                                   ended_on=TODAY + datetime.timedelta(days=5), outcome="home",
                                   reason="Returning home")
    signed_off(reach(nurse, leaving.pk), second_clinician(leaving, admin_user), kind="review",
               held_on=TODAY - datetime.timedelta(days=340), outcome="done")
    rows = {row.passport_id: row for row in caseload(nurse, TODAY)}
    assert rows[staying.pk].due is not None and rows[staying.pk].due.overdue
    assert rows[leaving.pk].due is None  # due in 25 days, after care ends in 5


def test_needs_you_now_puts_her_safety_first_and_a_returned_assessment_keeps_her_due(
        admin_user, stockport):
    """The order is the nurse's day (hand-written here): "hide now" first, then an
    assessment returned to her, then duties past their date. A review sent back with comments
    does not meet the duty, so the child stays overdue."""
    from passport.access import sharing
    from passport.care import assessments

    nurse = make_user("nurse.z", Role.NURSE, "Nurse Z")
    _first, second, third = young_people(admin_user, nurse, 3, stockport)
    owner = make_user("yp.third", Role.YOUNG_PERSON)
    Passport.objects.filter(pk=third.pk).update(owner=owner)
    sharing.do_hide_now(reach(owner, third.pk), True)
    lead = second_clinician(second, admin_user)
    review = actions.do_add_entry(reach(nurse, second.pk), Assessment, {
        "kind": "review", "held_on": TODAY, "outcome": "done", "done_by": "Nurse Z",
        "summary": "Well.", "late_reason_kind": "notified_late"})
    earlier, _reviewed = assessments.to_review(review)
    for action in earlier:
        assessments.do_review_action(reach(nurse, second.pk), review, action,
                                     decision="carried", note="Still to do.")
    review = assessments.do_submit(reach(nurse, second.pk), review,
                                   expected_version=review.version)
    assessments.do_quality_review(reach(lead, second.pk), review, decision="returned",
                                  checklist={}, comments="Add her own words.",
                                  expected_version=review.version)
    page = login(Client(), nurse).get("/").content.decode()
    needs = re.sub(r"<[^>]+>", "", page[page.index("Needs you now"):
                                         page.index("Your young people")])
    assert needs.index("Young Person 2: Turned on") < needs.index(
        "Young Person 1: 1 assessment returned with comments") < needs.index(
        "Young Person 0: Review health assessment overdue since")
    assert "Young Person 1: Review health assessment overdue since" in needs


def test_an_overdue_assessment_opens_its_form_with_the_kind_chosen(admin_user, stockport):
    """From "needs you now" straight to the form: the kind that is overdue is chosen, and
    who did it and the date are filled in."""
    import html

    nurse = make_user("nurse.k", Role.NURSE, "Nurse K")
    young_people(admin_user, nurse, 1, stockport)
    client = login(Client(), nurse)
    page = client.get("/").content.decode()
    needs = page[page.index("Needs you now"):page.index("Your young people")]
    link = html.unescape(re.search(r'<a href="([^"]+)">Young Person 0: ', needs).group(1))
    assert link.endswith("?add=review#add")
    form = client.get(link).content.decode()
    form = form[form.index('<details class="panel" open id="add">'):]
    form = form[:form.index("</details>")]
    assert re.search(r'value="review"[^>]*checked|<option value="review" selected', form)
    assert 'name="done_by" value="Nurse K"' in form


def test_an_overdue_assessment_waiting_for_sign_off_opens_it_not_a_second_one(admin_user,
                                                                               stockport):
    from passport.care import assessments

    nurse = make_user("nurse.w", Role.NURSE, "Nurse W")
    made = young_people(admin_user, nurse, 1, stockport)[0]
    draft = actions.do_add_entry(reach(nurse, made.pk), Assessment, {
        "kind": "review", "held_on": TODAY, "outcome": "done", "done_by": "Nurse W",
        "summary": "Well.", "late_reason_kind": "capacity"})
    for action in assessments.to_review(draft)[0]:
        assessments.do_review_action(reach(nurse, made.pk), draft, action, decision="done",
                                     note="Done.", due_on=None)
    draft = Assessment.objects.get(pk=draft.pk)
    assessments.do_submit(reach(nurse, made.pk), draft, expected_version=draft.version)
    page = login(Client(), nurse).get("/").content.decode()
    needs = page[page.index("Needs you now"):page.index("Your young people")]
    assert "One is waiting for sign-off." in needs
    link = re.search(r'<a href="([^"]+)">Young Person 0: ', needs).group(1)
    assert link == f"/p/{made.pk}/assessments/{draft.pk}/"
