"""Recording an assessment through quality assurance: a draft reaches only the health
team; submitting needs a whole record and every open action of earlier plans reviewed; a second
clinician signs it off against the checklist or returns it; signed off, it is locked and
corrected by addendum. Through the real pages and API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from passport.access.policy import reach
from passport.care import assessments
from passport.clinical import assessment_due
from passport.models import (
    Assessment,
    AssessmentTiming,
    CareEpisode,
    HealthTeam,
    Organisation,
    Passport,
    PlanAction,
    Revision,
    Role,
)
from passport.records import actions
from tests.conftest import login, make_user

TODAY = timezone.localdate()
ALL_MET = {f"{key}": "met" for key, _label in assessments.CHECKLIST}


@pytest.fixture
def team_lead(db, her_passport, stockport):
    organisation = Organisation.objects.create(name="Trust")
    organisation.areas.add(stockport)
    team = HealthTeam.objects.create(organisation=organisation, name="Children in care")
    Passport.objects.filter(pk=her_passport.pk).update(health_team=team)
    lead = make_user("lead", Role.TEAM_LEAD, "Helen Brooks")
    lead.team, lead.organisation = team, organisation
    lead.save()
    return lead


@pytest.fixture
def in_care(nurse_reach, stockport):
    return actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": TODAY - datetime.timedelta(days=500), "legal_status": "care_order",
        "placement_type": "foster", "placing_authority": stockport, "host_area": stockport.pk})


def record(nurse_reach, **fields) -> Assessment:
    whole = {"kind": "review", "held_on": TODAY - datetime.timedelta(days=2), "outcome": "done",
             "done_by": "Priya Shah", "summary": "Well and settled."} | fields
    return actions.do_add_entry(nurse_reach, Assessment, whole)


def page(passport, assessment) -> str:
    return f"/p/{passport.pk}/assessments/{assessment.pk}/"


def fresh(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def sign_off(nurse_reach, lead, assessment) -> Assessment:
    assessment = assessments.do_submit(nurse_reach, assessment,
                                       expected_version=assessment.version)
    assessments.do_quality_review(reach(lead, nurse_reach.passport.pk), assessment,
                                  decision="signed_off", checklist=ALL_MET, comments="",
                                  expected_version=assessment.version)
    return fresh(assessment)


def test_a_draft_reaches_only_her_health_team_until_signed_off(
        her_passport, nurse_reach, young_person, team_lead, in_care):
    assessment = record(nurse_reach, summary="Needs a dentist soon.")
    mine = login(Client(), young_person)
    api = login(APIClient(), young_person)
    assert "Needs a dentist soon." not in mine.get(f"/p/{her_passport.pk}/assessments/"
                                                   ).content.decode()
    assert api.get(f"/api/v1/passports/{her_passport.pk}/assessments/assessment/"
                   f"{assessment.pk}/").status_code == 404
    nurse = login(Client(), nurse_reach.user)
    assert "Needs a dentist soon." in nurse.get(f"/p/{her_passport.pk}/assessments/"
                                                ).content.decode()
    sign_off(nurse_reach, team_lead, assessment)
    assert "Needs a dentist soon." in mine.get(f"/p/{her_passport.pk}/assessments/"
                                               ).content.decode()


def test_submitting_an_incomplete_record_is_refused_and_changes_nothing(
        her_passport, nurse_reach, in_care):
    assessment = actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "initial", "held_on": TODAY - datetime.timedelta(days=1), "outcome": "done",
        "led_by": "nurse"})
    client = login(Client(), nurse_reach.user)
    response = client.post(page(her_passport, assessment),
                           {"step": "submit", "version": assessment.version})
    text = response.content.decode()
    assert response.status_code == 400
    for message in ("Say who did the assessment.", "Write a summary.",
                    "Say why a nurse led an initial assessment.",
                    "Name the supervising doctor."):
        assert message in text
    assert fresh(assessment).state == "draft" and fresh(assessment).version == 1


def test_carry_over_refuses_an_unreviewed_action(her_passport, nurse_reach, team_lead,
                                                 in_care):
    first = record(nurse_reach, held_on=TODAY - datetime.timedelta(days=200))
    dentist = assessments.do_add_plan_action(nurse_reach, first, {
        "action": "Register with a dentist", "responsible": "carer",
        "due_on": TODAY + datetime.timedelta(days=20)})
    sign_off(nurse_reach, team_lead, first)
    second = record(nurse_reach)
    client = login(Client(), nurse_reach.user)

    response = client.post(page(her_passport, second), {"step": "submit", "version": 1})
    assert response.status_code == 400
    assert "1 action from an earlier plan is not reviewed yet" in response.content.decode()
    assert fresh(second).state == "draft"

    # Dropping it needs a reason.
    response = client.post(page(her_passport, second), {
        "step": "review_action", "action_id": dentist.pk, "decision": "dropped", "note": ""})
    assert response.status_code == 400
    assert "Say why it is no longer needed." in response.content.decode()
    assert PlanAction.objects.get(pk=dentist.pk).status == "open"

    response = client.post(page(her_passport, second), {
        "step": "review_action", "action_id": dentist.pk, "decision": "dropped",
        "note": "Registered at the school's dental service instead."})
    assert response.status_code == 302
    action = PlanAction.objects.get(pk=dentist.pk)
    assert action.status == "dropped" and action.version == 2
    assert action.outcome == "Registered at the school's dental service instead."
    assert Revision.objects.filter(entry_id=dentist.pk).count() == 2

    response = client.post(page(her_passport, second), {"step": "submit", "version": 1})
    assert response.status_code == 302
    assert fresh(second).state == "submitted"


def test_a_carried_action_joins_the_new_plan_and_is_reviewed_again_next_time(
        her_passport, nurse_reach, team_lead, in_care):
    first = record(nurse_reach, held_on=TODAY - datetime.timedelta(days=400))
    hearing = assessments.do_add_plan_action(nurse_reach, first, {
        "action": "Hearing test", "responsible": "nurse",
        "due_on": TODAY + datetime.timedelta(days=10)})
    sign_off(nurse_reach, team_lead, first)
    second = record(nurse_reach, held_on=TODAY - datetime.timedelta(days=50))
    assessments.do_review_action(nurse_reach, second, hearing, decision="carried",
                                 due_on=TODAY + datetime.timedelta(days=60))
    assert [a.pk for a in assessments.plan_of(second)] == [hearing.pk]
    assert PlanAction.objects.get(pk=hearing.pk).due_on == TODAY + datetime.timedelta(days=60)
    sign_off(nurse_reach, team_lead, second)
    third = record(nurse_reach)
    assert "__all__" in assessments.submission_errors(third)
    earlier, reviews = assessments.to_review(third)
    assert [a.pk for a in earlier] == [hearing.pk] and not reviews


def test_sign_off_return_and_addendum(her_passport, nurse_reach, team_lead, young_person,
                                      in_care, other_nurse):
    assessment = record(nurse_reach, own_words="\u201cI like my school.\u201d")
    author = login(Client(), nurse_reach.user)
    assert author.post(page(her_passport, assessment),
                       {"step": "submit", "version": 1}).status_code == 302
    submitted = fresh(assessment)

    # The author cannot sign off her own assessment, and cannot change it while it waits.
    response = author.post(page(her_passport, assessment), {
        "step": "quality", "decision": "signed_off", "version": submitted.version} | ALL_MET)
    assert response.status_code == 403
    assert fresh(assessment).state == "submitted"
    response = author.post(
        f"/p/{her_passport.pk}/assessments/assessment/{assessment.pk}/edit/",
        {"version": submitted.version, "reason": "typo", "kind": "review",
         "held_on": submitted.held_on.isoformat(), "outcome": "done", "summary": "Changed"})
    assert response.status_code == 400
    assert "waiting for sign-off" in response.content.decode()
    # Someone outside her health team is not told it exists.
    assert login(Client(), other_nurse).get(page(her_passport, assessment)).status_code == 404

    lead = login(Client(), team_lead)
    assert "Waiting for your sign-off" in lead.get("/").content.decode()
    # Returning needs comments; "not met" cannot be signed off.
    response = lead.post(page(her_passport, assessment), {
        "step": "quality", "decision": "returned", "version": submitted.version,
        "comments": ""})
    assert response.status_code == 400 and "Say what needs to change." in response.content.decode()
    response = lead.post(page(her_passport, assessment), {
        "step": "quality", "decision": "signed_off", "version": submitted.version}
        | ALL_MET | {"wellbeing": "not_met"})
    assert response.status_code == 400
    assert fresh(assessment).state == "submitted"
    response = lead.post(page(her_passport, assessment), {
        "step": "quality", "decision": "returned", "version": submitted.version,
        "comments": "Please record the SDQ and emotional wellbeing.", "wellbeing": "not_met"})
    assert response.status_code == 302
    returned = fresh(assessment)
    assert returned.state == "returned"
    assert "Please record the SDQ" in author.get(page(her_passport, assessment)).content.decode()

    returned = actions.do_amend_entry(nurse_reach, returned, expected_version=returned.version,
                                      reason="After QA",
                                      changes={"emotional_wellbeing": "Settled; SDQ 9."})
    assert author.post(page(her_passport, assessment),
                       {"step": "submit", "version": returned.version}).status_code == 302
    response = lead.post(page(her_passport, assessment), {
        "step": "quality", "decision": "signed_off", "version": returned.version + 1} | ALL_MET)
    assert response.status_code == 302
    signed = fresh(assessment)
    assert signed.state == "signed_off" and signed.signed_off_by == team_lead

    # Locked: neither the page nor the API edits it; an addendum corrects it.
    response = author.post(
        f"/p/{her_passport.pk}/assessments/assessment/{assessment.pk}/edit/",
        {"version": signed.version, "reason": "typo", "kind": "review",
         "held_on": signed.held_on.isoformat(), "outcome": "done", "summary": "Changed"})
    assert response.status_code == 400 and "add an addendum" in response.content.decode()
    api = login(APIClient(), nurse_reach.user)
    response = api.patch(f"/api/v1/passports/{her_passport.pk}/assessments/assessment/"
                         f"{assessment.pk}/", {"summary": "Changed", "reason": "typo"},
                         format="json", HTTP_IF_MATCH=f'"{assessment.pk}-v{signed.version}"')
    assert response.status_code == 400
    assert fresh(assessment).summary == "Well and settled." and fresh(assessment).version == (
        signed.version)
    response = author.post(page(her_passport, assessment), {
        "step": "addendum", "text": "Height was 152 cm, not 125 cm."})
    assert response.status_code == 302
    shown = login(Client(), young_person).get(f"/p/{her_passport.pk}/assessments/"
                                              ).content.decode()
    assert "Height was 152 cm, not 125 cm." in shown and "Well and settled." in shown
    # Quality-assurance comments are the team's, not hers.
    assert "Please record the SDQ" not in shown


def test_a_late_assessment_says_why_and_its_timing_is_kept(her_passport, nurse_reach,
                                                           team_lead, stockport):
    # Came into care on a Monday; 20 working days later (no bank holiday in between
    # for this choice of dates is not assumed: the clock counts them) is the due date.
    started = TODAY - datetime.timedelta(days=90)
    actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": started, "legal_status": "care_order", "placement_type": "foster",
        "placing_authority": stockport, "host_area": stockport.pk})
    due = assessment_due.add_working_days(started, 20)
    held = due + datetime.timedelta(days=14)
    assessment = record(nurse_reach, kind="initial", led_by="doctor", held_on=held)
    errors = assessments.submission_errors(assessment)
    assert errors == {"late_reason_kind": ["It was late: say why."]}
    assessment = actions.do_amend_entry(nurse_reach, assessment, expected_version=1,
                                        reason="why", changes={
                                            "late_reason_kind": "notified_late"})
    sign_off(nurse_reach, team_lead, assessment)
    timing = AssessmentTiming.objects.get(assessment=assessment)
    assert (timing.kind, timing.due_on, timing.held_on, timing.on_time, timing.late_reason,
            timing.area) == ("initial", due, held, False, "notified_late", stockport)


def test_a_draft_beside_it_does_not_make_a_late_one_look_on_time(her_passport, nurse_reach,
                                                                  stockport):
    """The walk's nurse: a second draft of an overdue initial assessment, started by
    mistake, was submitted without "why it was late": the first draft, never signed off,
    counted as held."""
    started = TODAY - datetime.timedelta(days=90)
    actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": started, "legal_status": "care_order", "placement_type": "foster",
        "placing_authority": stockport, "host_area": stockport.pk})
    held = assessment_due.add_working_days(started, 20) + datetime.timedelta(days=14)
    record(nurse_reach, kind="initial", led_by="doctor",
           held_on=held - datetime.timedelta(days=1))  # the first draft, left as it is
    second = record(nurse_reach, kind="initial", led_by="doctor", held_on=held)
    assert assessments.submission_errors(second) == {
        "late_reason_kind": ["It was late: say why."]}


def test_a_declined_assessment_is_not_a_breach(her_passport, nurse_reach, team_lead, stockport):
    started = TODAY - datetime.timedelta(days=90)
    actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": started, "legal_status": "s20", "placement_type": "foster",
        "placing_authority": stockport, "host_area": stockport.pk})
    held = assessment_due.add_working_days(started, 5)
    assessment = actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "initial", "held_on": held, "outcome": "declined",
        "outcome_reason": "She did not want a medical; offered again in a month."})
    assert assessments.submission_errors(assessment) == {}
    sign_off(nurse_reach, team_lead, assessment)
    timing = AssessmentTiming.objects.get(assessment=assessment)
    assert timing.on_time is True and timing.outcome == "declined"


def test_the_workflow_through_the_api(her_passport, nurse_reach, team_lead, in_care):
    assessment = record(nurse_reach)
    base = f"/api/v1/passports/{her_passport.pk}/assessments/{assessment.pk}/workflow/"
    api = login(APIClient(), nurse_reach.user)
    response = api.post(base + "plan/", {"action": "Eye test", "responsible": "carer",
                                         "due_on": (TODAY + datetime.timedelta(days=9)
                                                    ).isoformat()}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "open"
    assert api.post(base + "submit/", {}, format="json").status_code == 428
    assert api.post(base + "submit/", {}, format="json",
                    HTTP_IF_MATCH=f'"{assessment.pk}-v9"').status_code == 412
    response = api.post(base + "submit/", {}, format="json",
                        HTTP_IF_MATCH=f'"{assessment.pk}-v1"')
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    etag = response.headers["ETag"]
    # The author's own quality review is refused; the team lead's is taken.
    assert api.post(base + "quality-review/", {"decision": "signed_off", "checklist": ALL_MET},
                    format="json", HTTP_IF_MATCH=etag).status_code == 403
    lead = login(APIClient(), team_lead)
    assert lead.get("/api/v1/sign-off/").json()[0]["assessment"] == str(assessment.pk)
    response = lead.post(base + "quality-review/", {"decision": "signed_off",
                                                    "checklist": ALL_MET, "state": "x"},
                         format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400  # a field it may not set
    response = lead.post(base + "quality-review/", {"decision": "signed_off",
                                                    "checklist": ALL_MET},
                         format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 201
    response = api.post(base + "addenda/", {"text": "Weight corrected: 41 kg."}, format="json")
    assert response.status_code == 201
    workflow = api.get(base).json()
    assert workflow["assessment"]["state"] == "signed_off"
    assert [a["text"] for a in workflow["addenda"]] == ["Weight corrected: 41 kg."]
    assert [a["action"] for a in workflow["plan"]] == ["Eye test"]


def test_only_her_health_team_uses_the_workflow(her_passport, nurse_reach, young_person,
                                                stranger, in_care):
    assessment = record(nurse_reach)
    for user in (young_person, stranger):
        client, api = login(Client(), user), login(APIClient(), user)
        assert client.get(page(her_passport, assessment)).status_code in (403, 404)
        assert api.post(f"/api/v1/passports/{her_passport.pk}/assessments/{assessment.pk}/"
                        "workflow/submit/", {}, format="json",
                        HTTP_IF_MATCH=f'"{assessment.pk}-v1"').status_code in (403, 404)
    assert fresh(assessment).state == "draft"


def _form_of(html: str, action: str) -> str:
    import html as html_lib

    page = html_lib.unescape(html)
    form = page[page.index(f'action="{action}"'):]
    return form[:form.index("</form>")]


def _summary(response) -> list[str]:
    """The error summary's lines, each with where its link goes."""
    import re

    page = response.content.decode()
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    return re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', summary)


def test_the_new_assessment_form_fills_in_what_the_app_knows(her_passport, nurse_reach):
    """Who did it and their profession (her job title as recorded) come from her account, the
    date is today: nothing to type that the app already holds."""
    nurse = login(Client(), nurse_reach.user)
    add = f"/p/{her_passport.pk}/assessments/assessment/add/"
    form = _form_of(nurse.get(f"/p/{her_passport.pk}/assessments/").content.decode(), add)
    assert 'name="done_by" value="Priya Shah"' in form
    assert 'name="profession" value="Nurse"' in form  # no job title recorded: her role
    assert f'value="{timezone.localdate().isoformat()}"' in form
    nurse_reach.user.job_title = "Children in care nurse"
    nurse_reach.user.save()
    form = _form_of(nurse.get(f"/p/{her_passport.pk}/assessments/").content.decode(), add)
    assert 'name="profession" value="Children in care nurse"' in form


def test_a_draft_is_saved_at_any_point_and_each_problem_is_named_once(her_passport,
                                                                     nurse_reach):
    """Only the kind and the date are needed to save a draft; each missing answer is named
    once, in the summary, linked to the question (the first choice of a list of choices)."""
    nurse = login(Client(), nurse_reach.user)
    add = f"/p/{her_passport.pk}/assessments/assessment/add/"
    refused = nurse.post(add, {"held_on": ""})
    assert refused.status_code == 400
    assert _summary(refused) == [
        ("#id_kind_0", "Kind: Choose initial or review."),
        ("#id_held_on", "Date: Enter the date of the assessment."),
    ]
    assert not Assessment.objects.filter(passport=her_passport).exists()

    saved = nurse.post(add, {"kind": "review", "held_on": TODAY.isoformat(),
                             "led_by": "nurse", "supervising_doctor": "Dr Left Behind"})
    draft = Assessment.objects.get(passport=her_passport)
    assert saved.status_code == 302
    assert saved["Location"] == f"/p/{her_passport.pk}/assessments/{draft.pk}/"
    assert draft.state == "draft"
    # A review keeps none of an initial assessment's answers (a hidden group still posts).
    assert (draft.led_by, draft.supervising_doctor) == (None, None)
    page = nurse.get(saved["Location"]).content.decode()
    edit = f"/p/{her_passport.pk}/assessments/assessment/{draft.pk}/edit/"
    assert (f'<a href="{edit}#id_outcome_0">Outcome: Choose what happened: done, declined, '
            f'not brought or postponed.</a>') in page

    # Changing a draft asks for no reason; its history still has the save.
    form = nurse.get(edit).content.decode()
    assert 'name="reason"' not in form
    changed = nurse.post(edit, {"version": draft.version, "kind": "review",
                                "held_on": TODAY.isoformat(), "outcome": "done",
                                "privacy": "auto"})
    assert changed.status_code == 302
    assert Assessment.objects.get(pk=draft.pk).outcome == "done"
    assert Revision.objects.filter(entry_id=draft.pk).count() == 2


def test_the_form_asks_only_what_fits_her_age_and_the_kind(her_passport, nurse_reach):
    """Head circumference and development are asked under 5 only; the initial assessment's
    questions are hidden while a review is chosen (and shown for an initial one)."""
    nurse = login(Client(), nurse_reach.user)
    add = f"/p/{her_passport.pk}/assessments/assessment/add/"
    section = f"/p/{her_passport.pk}/assessments/"
    form = _form_of(nurse.get(section + "?add=review").content.decode(), add)
    assert 'name="head_circumference_cm"' not in form and 'name="development"' not in form
    assert '<fieldset class="question-group" data-when-kind="initial" hidden>' in form
    form = _form_of(nurse.get(section + "?add=initial").content.decode(), add)
    assert '<fieldset class="question-group" data-when-kind="initial">' in form

    her_passport.date_of_birth = TODAY - datetime.timedelta(days=3 * 365)
    her_passport.save()
    form = _form_of(nurse.get(section).content.decode(), add)
    assert 'name="head_circumference_cm"' in form and 'name="development"' in form


def test_a_refused_submit_names_each_problem_once_at_the_top(her_passport, nurse_reach):
    nurse = login(Client(), nurse_reach.user)
    draft = actions.do_add_entry(nurse_reach, Assessment, {"kind": "review",
                                                           "held_on": TODAY})
    page = f"/p/{her_passport.pk}/assessments/{draft.pk}/"
    refused = nurse.post(page, {"step": "submit", "version": draft.version})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert body.index("It cannot be submitted yet") < body.index("The health plan from")
    assert body.count("Choose what happened: done, declined, not brought or postponed.") == 1
    assert Assessment.objects.get(pk=draft.pk).state == "draft"


def test_an_action_carried_on_past_its_date_needs_a_new_one(her_passport, nurse_reach):
    action = actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Hearing test", "responsible": "nurse", "status": "open",
        "due_on": TODAY - datetime.timedelta(days=30)}, plan_of=None)
    draft = actions.do_add_entry(nurse_reach, Assessment, {"kind": "review", "held_on": TODAY})
    assert assessments.to_review(draft)[0] == [action]
    with pytest.raises(ValidationError) as refused:
        assessments.do_review_action(nurse_reach, draft, action, decision="carried")
    assert refused.value.message_dict == {"due_on": ["Its date has passed: give it a new one."]}
    assessments.do_review_action(nurse_reach, draft, action, decision="carried",
                                 due_on=TODAY + datetime.timedelta(days=30))
    assert PlanAction.objects.get(pk=action.pk).due_on == TODAY + datetime.timedelta(days=30)
