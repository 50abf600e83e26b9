"""Values shown by one page and read back by the same page ("No edit loses data"),
beyond the entry edit pages (tests/frontend/test_form_values.py): identity and date of birth,
the end of care, placements and Staying Put, holds, the immunisation catch-up and imports,
assessments and contributions, sharing and the carer's view, the care leaver's summary and the
language menu.

Each page is rendered for the person who may use it, in every language of the product; its form
is sent back as a browser would send it untouched (tests/support/browser_form.py), adding only
what the person must type (a reason); then nothing stored may have changed, and no history row
may have been written. Where a page only adds (no stored value on the form), a form re-shown
after a mistake must keep what was typed, dates in ISO, so sending it again saves exactly that.
"""

from __future__ import annotations

import datetime
import io
import json
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from passport.access import held_back, sharing
from passport.access.policy import reach
from passport.care import leaver_summary, placements
from passport.models import (
    ActionReview,
    Assessment,
    AuditEvent,
    CareEpisode,
    ContributionRequest,
    FamilyHistory,
    Grant,
    HeldBack,
    IdentityChange,
    ImmunisationDose,
    ImmunisationStatus,
    LeaverSummary,
    Passport,
    Placement,
    PlanAction,
    Revision,
    Role,
    User,
)
from passport.models.sections import Vaccine
from passport.records import actions
from tests.conftest import login, make_user
from tests.support.browser_form import forms_in

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def client_for(user: User, language: str = "en-gb") -> Client:
    """Signed in, in the language chosen on her account (it wins over the browser's)."""
    User.objects.filter(pk=user.pk).update(language=language)
    return login(Client(), user)


def page_of(client: Client, url: str, language: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'lang="{language}"' in html
    return html


def sent(html: str, *names: str, **values: str) -> dict[str, list[str]]:
    """What the page's one form that has the fields `names` and sends `values` sends when it
    is submitted untouched."""
    found = [form for form in forms_in(html)
             if all(any(n == name for n, _v in form) for name in names)
             and all((name, value) in form for name, value in values.items())]
    assert len(found) == 1, f"{len(found)} forms with {names} sending {values}"
    data: dict[str, list[str]] = {}
    for name, value in found[0]:
        data.setdefault(name, []).append(value)
    return data


def events(passport, action: str) -> int:
    return AuditEvent.objects.filter(passport=passport, action=action).count()


def older(her_passport, her_nurse, years: int) -> None:
    born = TODAY - relativedelta(years=years, months=2)
    actions.do_change_date_of_birth(reach(her_nurse, her_passport.pk), born, reason="Test")


@pytest.fixture
def in_care(nurse_reach, stockport) -> CareEpisode:
    return actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": TODAY - 500 * DAY, "legal_status": "care_order",
        "placement_type": "foster", "placing_authority": stockport, "host_area": stockport})


# --- identity and date of birth --------------------------------------------------------------


def _identity(passport) -> tuple:
    fresh = Passport.objects.get(pk=passport.pk)
    return (fresh.legal_name, fresh.chosen_name, fresh.nhs_number, fresh.nhs_number_index,
            fresh.date_of_birth)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("whose", ["hers", "sparse"])
def test_names_and_nhs_number_saved_untouched_record_no_change(
        her_passport, her_nurse, other_passport, other_nurse, whose, language):
    """The NHS number is shown 943 476 5919 and kept as digits; names with an apostrophe are
    escaped in the page; empty values stay empty (not an empty string for None)."""
    passport, nurse = ((her_passport, her_nurse) if whose == "hers"
                       else (other_passport, other_nurse))
    if whose == "hers":
        actions.do_update_identity(reach(nurse, passport.pk), legal_name="Siobhán O'Neill & "
                                   "Jones <Sam>", reason="Her full name")
    before, changes = _identity(passport), IdentityChange.objects.count()
    client = client_for(nurse, language)
    url = f"/p/{passport.pk}/about_me/identity/"
    form = sent(page_of(client, url, language), "nhs_number")
    if whose == "hers":
        assert form["nhs_number"] == ["943 476 5919"]
        assert form["legal_name"] == ["Siobhán O'Neill & Jones <Sam>"]
    else:
        assert form["nhs_number"] == [""] and form["chosen_name"] == [""]
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _identity(passport) == before
    assert IdentityChange.objects.count() == changes
    assert events(passport, "identity_changed") == (1 if whose == "hers" else 0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_her_chosen_name_saved_untouched_records_no_change(her_passport, young_person,
                                                           language):
    before = _identity(her_passport)
    client = client_for(young_person, language)
    url = f"/p/{her_passport.pk}/about_me/identity/"
    form = sent(page_of(client, url, language), "chosen_name")
    assert form["chosen_name"] == ["Sam"] and "legal_name" not in form
    assert client.post(url, form).status_code == 302
    assert _identity(her_passport) == before
    assert not IdentityChange.objects.exists()
    assert events(her_passport, "identity_changed") == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_date_of_birth_refused_for_want_of_a_reason_keeps_the_typed_date(
        her_passport, her_nurse, language):
    """The page only changes (nothing stored is on its form): sent again with the reason, the
    re-shown form changes the date to exactly what was typed."""
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/about_me/date-of-birth/"
    form = sent(page_of(client, url, language), "date_of_birth")
    assert form["date_of_birth"] == [""]  # nothing stored is shown to be changed
    typed = datetime.date(2010, 1, 6)  # day and month apart: 06/01 is not 01/06
    response = client.post(url, form | {"date_of_birth": [typed.isoformat()]})
    assert response.status_code == 400
    assert _identity(her_passport)[-1] == datetime.date(2011, 6, 1)
    again = sent(response.content.decode(), "date_of_birth") | {"reason": ["Age assessment"]}
    assert again["date_of_birth"] == [typed.isoformat()]
    assert client.post(url, again).status_code == 302
    assert _identity(her_passport)[-1] == typed


# --- the end of care, placements and Staying Put --------------------------------------------


@pytest.fixture
def carer(her_passport) -> User:
    carer = make_user("carer.sam", Role.CARER, "Sam Jones")
    Placement.objects.create(passport=her_passport, carer=carer, started_on=TODAY - 99 * DAY,
                             confirmed_on=TODAY - 9 * DAY)
    return carer


def _care(passport) -> tuple:
    fresh = Passport.objects.get(pk=passport.pk)
    episode = CareEpisode.objects.get(passport=passport)
    return (fresh.care_ended_on, fresh.care_outcome, fresh.adviser_agreed,
            episode.version, episode.ended_on, episode.outcome,
            Revision.objects.filter(entry_id=episode.pk).count())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_end_of_care_page_shows_what_is_recorded_and_saving_it_changes_nothing(
        her_passport, her_nurse, in_care, language):
    """Recorded, the end of care is shown on the page's form; sent back untouched it changes
    nothing (today the page refuses to record it again: the time in care is no longer open)."""
    older(her_passport, her_nurse, 17)
    ends = TODAY + 40 * DAY
    placements.do_record_care_ending(reach(her_nurse, her_passport.pk), ended_on=ends,
                                   outcome="care_leaver", adviser_agreed=True, reason="Planned")
    before, recorded = _care(her_passport), events(her_passport, "care_ending_recorded")
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/care-ending/"
    form = sent(page_of(client, url, language), "ended_on")
    assert (form["ended_on"], form["outcome"], form["adviser_agreed"]) == (
        [ends.isoformat()], ["care_leaver"], ["on"])
    response = client.post(url, form)
    assert response.status_code in (302, 400)
    assert _care(her_passport) == before
    assert events(her_passport, "care_ending_recorded") == recorded


@pytest.fixture
def staying_put(her_passport, her_nurse, in_care, carer):
    """An 18-year-old care leaver who manages her sharing; her care ends in a month."""
    older(her_passport, her_nurse, 18)
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    placements.do_record_care_ending(reach(her_nurse, her_passport.pk), ended_on=TODAY + 30 * DAY,
                                   outcome="care_leaver", reason="Planned")
    return Passport.objects.get(pk=her_passport.pk)


def _grants(passport, carer) -> list[tuple]:
    return [(g.pk, g.sections, g.until, g.wishes, g.revoked_at)
            for g in Grant.objects.filter(passport=passport, grantee=carer)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_staying_put_shows_what_the_carer_keeps_and_saving_it_changes_nothing(
        staying_put, young_person, carer, language):
    client = client_for(young_person, language)
    url = f"/p/{staying_put.pk}/placements/"
    form = sent(page_of(client, url, language), step="staying_put")
    assert "stay-sections" not in form  # nothing agreed yet: nothing ticked
    form["stay-sections"] = ["conditions", "immunisations"]
    assert client.post(url, form).status_code == 302
    before, agreed = _grants(staying_put, carer), events(staying_put, "staying_put_agreed")
    form = sent(page_of(client, url, language), step="staying_put")
    assert sorted(form["stay-sections"]) == ["conditions", "immunisations"]
    assert form["placement"] == [str(Placement.objects.get().pk)]
    assert client.post(url, form).status_code == 302
    assert _grants(staying_put, carer) == before
    assert events(staying_put, "staying_put_agreed") == agreed


def test_staying_put_keeps_a_section_she_shares_that_the_form_does_not_offer(
        staying_put, young_person, carer):
    """Her sexual health is hers to share, with her carer too; Staying Put does not offer it,
    but saving Staying Put untouched must not take it from her carer."""
    sharing.do_grant(reach(young_person, staying_put.pk), grantee=carer,
                     sections_=["conditions", "sexual_health"], until=None)
    client = client_for(young_person)
    url = f"/p/{staying_put.pk}/placements/"
    form = sent(page_of(client, url, "en-gb"), step="staying_put")
    assert sorted(form["stay-sections"]) == ["conditions", "sexual_health"]
    assert client.post(url, form).status_code == 302
    live = [g for g in _grants(staying_put, carer) if g[-1] is None]
    assert [sorted(g[1]) for g in live] == [["conditions", "sexual_health"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_placement_end_refused_keeps_the_typed_date_in_its_own_form_only(
        her_passport, her_nurse, carer, language):
    """The end form only adds (an end already recorded shows above it). A refused end keeps
    its typed date in the form of the placement it was typed for, not in another's."""
    other = make_user("carer.kim", Role.CARER, "Kim Lee")
    Placement.objects.create(passport=her_passport, carer=other, started_on=TODAY - 20 * DAY,
                             confirmed_on=TODAY - 9 * DAY)
    sams = Placement.objects.get(carer=carer)
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/placements/"
    form = sent(page_of(client, url, language), placement=str(sams.pk), step="end")
    too_far = TODAY + 200 * DAY  # more than 3 months ahead: refused
    response = client.post(url, form | {"end-ended_on": [too_far.isoformat()]})
    assert response.status_code == 400
    html = response.content.decode()
    again = sent(html, placement=str(sams.pk), step="end")
    assert again["end-ended_on"] == [too_far.isoformat()]
    assert sent(html, placement=str(Placement.objects.get(carer=other).pk),
                step="end")["end-ended_on"] == [""]
    assert not Placement.objects.filter(ended_on__isnull=False).exists()
    fine = TODAY + 20 * DAY
    assert client.post(url, again | {"end-ended_on": [fine.isoformat()]}).status_code == 302
    assert Placement.objects.get(pk=sams.pk).ended_on == fine


# --- holds -----------------------------------------------------------------------------------


@pytest.fixture
def held(her_passport, nurse_reach):
    entry = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": "Huntington disease",
        "what_this_means": "A 1 in 2 chance; testing is possible from 18."})
    held_back.do_hold_back(nurse_reach, entry, opinion="Not yet: exams.")
    HeldBack.objects.filter(entry_id=entry.pk).update(
        held_at=timezone.now() - datetime.timedelta(days=60))
    return entry


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_release_refused_keeps_the_typed_date_and_note(her_passport, her_nurse, held,
                                                         language):
    """Holding, reviewing and releasing only add: a release refused (no note) keeps the date
    and words typed, and sent again with the note releases with exactly that date."""
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/family_history/family_history/{held.pk}/hold/"
    form = sent(page_of(client, url, language), step="release")
    talked = TODAY - 6 * DAY
    response = client.post(url, form | {"release-conversation_on": [talked.isoformat()],
                                        "release-release_note": [""]})
    assert response.status_code == 400
    assert HeldBack.objects.get(entry_id=held.pk).released_at is None
    again = sent(response.content.decode(), step="release")
    assert again["release-conversation_on"] == [talked.isoformat()]
    again["release-release_note"] = ["With her social worker.\r\nShe took it calmly."]
    assert client.post(url, again).status_code == 302
    hold = HeldBack.objects.get(entry_id=held.pk)
    assert (hold.conversation_on, hold.release_note.splitlines()) == (
        talked, ["With her social worker.", "She took it calmly."])


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_entry_refused_as_it_is_held_back_keeps_what_was_typed(her_passport, her_nurse,
                                                                  language):
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/family_history/family_history/add/"
    recorded = datetime.date(2024, 2, 3)
    response = client.post(url, {
        "relative": "birth_mother", "condition": "Epilepsy",
        "what_this_means": "Tell your GP.", "recorded_on": recorded.isoformat(),
        "privacy": "auto", "hold-hold_back": "on", "hold-opinion": ""})
    assert response.status_code == 400
    again = sent(response.content.decode(), "hold-hold_back")
    assert again["recorded_on"] == [recorded.isoformat()]
    assert (again["relative"], again["hold-hold_back"]) == (["birth_mother"], ["on"])
    assert not FamilyHistory.objects.exists()
    again["hold-opinion"] = ["Not before her exams."]
    assert client.post(url, again).status_code == 302
    entry = FamilyHistory.objects.get()
    assert entry.recorded_on == recorded
    assert HeldBack.objects.filter(entry_id=entry.pk, released_at__isnull=True).exists()


# --- the immunisation catch-up and imports ---------------------------------------------------


def _status(passport) -> tuple:
    status = ImmunisationStatus.objects.get(passport=passport)
    return status.version, status.content()


def test_each_catch_up_button_pressed_twice_records_it_once(her_passport, her_nurse):
    client = client_for(her_nurse)
    section = f"/p/{her_passport.pk}/immunisations/"
    url = section + "catch-up/"
    html = page_of(client, section, "en-gb")
    assert 'name="step" value="asked"' in html
    for _twice in range(2):  # a double click, or the page sent again
        assert client.post(url, {"step": "asked"}).status_code == 302
    asked = _status(her_passport)
    assert asked[0] == 1 and asked[1]["gp_catch_up_requested_on"] == TODAY
    html = page_of(client, section, "en-gb")
    assert 'name="step" value="confirmed"' in html
    for _twice in range(2):
        assert client.post(url, {"step": "confirmed"}).status_code == 302
    confirmed = _status(her_passport)
    assert confirmed[0] == 2 and confirmed[1]["gp_catch_up_confirmed_on"] == TODAY


def test_the_catch_up_keeps_the_status_as_it_was_shared(her_passport, her_nurse, nurse_reach):
    """Pregnancy makes the status private unless someone chose otherwise; recording the
    catch-up changes the catch-up dates only, never that choice."""
    actions.do_add_entry(nurse_reach, ImmunisationStatus, {
        "history": "documented", "pregnant": "yes", "is_private": False,
        "expected_delivery_on": timezone.localdate() + datetime.timedelta(weeks=30),
        "notes": "Her carer needs to know: no live vaccines.\nShe agreed."})
    version, content = _status(her_passport)
    client = client_for(her_nurse)
    assert client.post(f"/p/{her_passport.pk}/immunisations/catch-up/",
                       {"step": "asked"}).status_code == 302
    new_version, new_content = _status(her_passport)
    assert new_version == version + 1
    changed = {k for k in content if content[k] != new_content[k]}
    assert changed == {"gp_catch_up_requested_on"}, changed


def _immunization(text: str, day: str, lot: str = "") -> dict:
    resource = {"resourceType": "Immunization", "status": "completed",
                "vaccineCode": {"text": text}, "patient": {"reference": "Patient/1"},
                "occurrenceDateTime": day}
    if lot:
        resource["lotNumber"] = lot
    return {"resource": resource}


BUNDLE = {"resourceType": "Bundle", "type": "collection", "entry": [
    _immunization("Priorix", "2012-07-01T10:15:00+01:00", "PX-1"),
    _immunization("Revaxis", "2025-01-06", "RV-2"),
    _immunization("Haemophilus influenzae type b and Neisseria meningitidis serogroup C "
                  "conjugate vaccine", "2012-06-03"),
    _immunization("Yellow fever", "2020-01-01"),
]}


def _preview_rows(html: str) -> dict[str, list[str]]:
    """Each saveable row of the preview table: its checkbox value and its cells' text."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        found = re.search(r'name="row" value="(\d+)"', row)
        if found:
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            rows[found.group(1)] = [re.sub(r"<[^>]+>", " ", c) for c in cells[1:]]
    return rows


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_import_preview_shows_each_dose_as_it_is_saved(her_passport, her_nurse,
                                                           language):
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/immunisations/imports/"
    upload = io.BytesIO(json.dumps(BUNDLE).encode())
    upload.name = "gp.json"
    assert client.post(url, {"step": "upload", "file": upload}).status_code == 302
    html = page_of(client, url, language)
    shown = _preview_rows(html)
    assert len(shown) == 4
    form = sent(html, "import_id")
    assert sorted(form["row"]) == sorted(shown)  # every new dose ticked
    assert client.post(url, form).status_code == 302
    with translation.override(language):
        doses = list(ImmunisationDose.objects.filter(passport=her_passport))
        saved = sorted((str(Vaccine(d.vaccine).label), date_format(d.given_on, "j F Y"))
                       for d in doses)
    assert len(saved) == len(shown)
    for vaccine, given in saved:
        assert any(vaccine in cells[0] and given == cells[1].strip()
                   for cells in shown.values()), (vaccine, given, shown)


def test_a_dose_the_passport_cannot_take_is_refused_with_a_message(her_passport, her_nurse):
    """A dose dated before her birth (2011) cannot be saved: the page says so and keeps the
    import for the nurse to untick it, rather than failing."""
    client = client_for(her_nurse)
    url = f"/p/{her_passport.pk}/immunisations/imports/"
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        _immunization("MMR", "2009-06-01"), _immunization("MMR", "2015-09-10")]}
    upload = io.BytesIO(json.dumps(bundle).encode())
    upload.name = "gp.json"
    assert client.post(url, {"step": "upload", "file": upload}).status_code == 302
    form = sent(page_of(client, url, "en-gb"), "import_id")
    response = client.post(url, form)
    assert response.status_code == 400
    assert "MMR, 1 June 2009: This date is before the date of birth." in (
        response.content.decode())
    assert not ImmunisationDose.objects.exists()
    assert "MMR" not in str(client.session.get("_messages", ""))  # never in the session
    form = sent(response.content.decode(), "import_id") | {"row": ["1"]}
    assert client.post(url, form).status_code == 302
    assert [d.given_on for d in ImmunisationDose.objects.all()] == [
        datetime.date(2015, 9, 10)]


# --- assessments and contributions -----------------------------------------------------------


def _assessment(nurse_reach, **fields) -> Assessment:
    return actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "review", "held_on": TODAY - 2 * DAY, "outcome": "done",
        "done_by": "Priya Shah", "summary": "Well and settled.", "height_cm": "131.5",
        "weight_kg": "28.2", "seen_alone": False} | fields)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_assessment_page_sends_back_the_version_it_shows(her_passport, her_nurse,
                                                             nurse_reach, language):
    assessment = _assessment(nurse_reach)
    assessment = actions.do_amend_entry(nurse_reach, assessment, expected_version=1,
                                        reason="Typo", changes={"summary": "Well, settled."})
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/assessments/{assessment.pk}/"
    form = sent(page_of(client, url, language), step="submit")
    assert form["version"] == ["2"]
    assert client.post(url, form).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).state == "submitted"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plan_action_and_a_review_refused_keep_their_typed_dates(her_passport, her_nurse,
                                                                   nurse_reach, language):
    earlier = actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Dentist check-up", "responsible": "carer", "status": "open",
        "due_on": TODAY - 10 * DAY})
    assessment = _assessment(nurse_reach)
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/assessments/{assessment.pk}/"
    html = page_of(client, url, language)
    due = TODAY + 45 * DAY
    plan = sent(html, step="plan_action") | {"due_on": [due.isoformat()],
                                              "responsible": ["nurse"]}
    response = client.post(url, plan)  # what will be done is missing
    assert response.status_code == 400
    again = sent(response.content.decode(), step="plan_action")
    assert (again["due_on"], again["responsible"]) == ([due.isoformat()], ["nurse"])
    again["action"] = ["Hearing test"]
    assert client.post(url, again).status_code == 302
    added = PlanAction.objects.get(assessment=assessment)
    assert added.due_on == due

    review = sent(page_of(client, url, language), action_id=str(earlier.pk))
    response = client.post(url, review | {"due_on": [due.isoformat()],
                                          "note": ["Booked.\r\nShe wants Dr Price."]})
    assert response.status_code == 400  # what became of it is missing
    again = sent(response.content.decode(), action_id=str(earlier.pk))
    assert again["due_on"] == [due.isoformat()]
    assert again["note"] == ["Booked.\r\nShe wants Dr Price."]
    assert not ActionReview.objects.exists()
    again["decision"] = ["carried"]
    assert client.post(url, again).status_code == 302
    assert PlanAction.objects.get(pk=earlier.pk).due_on == due


@pytest.mark.parametrize("language", LANGUAGES)
def test_contribution_forms_refused_keep_their_typed_dates(her_passport, her_nurse,
                                                           language):
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/contributions/"
    asked, wanted = TODAY - 12 * DAY, TODAY - 13 * DAY  # needed before it was asked: refused
    form = sent(page_of(client, url, language), step="request") | {
        "contributor": ["camhs"], "requested_on": [asked.isoformat()],
        "wanted_by": [wanted.isoformat()]}
    response = client.post(url, form)
    assert response.status_code == 400
    again = sent(response.content.decode(), step="request")
    assert (again["requested_on"], again["wanted_by"]) == ([asked.isoformat()],
                                                           [wanted.isoformat()])
    again["wanted_by"] = [(TODAY + 5 * DAY).isoformat()]
    assert client.post(url, again).status_code == 302
    request = ContributionRequest.objects.get()
    assert request.requested_on == asked

    received = TODAY - 2 * DAY
    form = sent(page_of(client, url, language), request_id=str(request.pk))
    response = client.post(url, form | {"received_on": [received.isoformat()]})
    assert response.status_code == 400  # what they said is missing
    again = sent(response.content.decode(), request_id=str(request.pk))
    assert again["received_on"] == [received.isoformat()]
    again["summary"] = ["Seen fortnightly."]
    assert client.post(url, again).status_code == 302
    assert ContributionRequest.objects.get().received_on == received


# --- sharing, the carer's view, who manages sharing, the language ----------------------------


@pytest.fixture
def self_managed(her_passport) -> Passport:
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    return Passport.objects.get(pk=her_passport.pk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_share_refused_keeps_its_date_sections_and_ticks(self_managed, young_person,
                                                           language):
    """Sharing only adds: a share refused (no such account) keeps what she chose."""
    make_user("dr.ok", Role.DOCTOR, "Dr Ok")
    client = client_for(young_person, language)
    url = f"/p/{self_managed.pk}/sharing/"
    until = TODAY + 40 * DAY
    form = sent(page_of(client, url, language), "username") | {
        "username": ["dr.nobody"], "sections": ["conditions", "family_history"],
        "until": [until.isoformat()], "family_history_understood": ["on"]}
    response = client.post(url, form)
    assert response.status_code == 400
    again = sent(response.content.decode(), "username")
    assert again["until"] == [until.isoformat()]
    assert sorted(again["sections"]) == ["conditions", "family_history"]
    assert again["family_history_understood"] == ["on"]
    assert not Grant.objects.exists()
    again["username"] = ["dr.ok"]
    assert client.post(url, again).status_code == 302
    grant = Grant.objects.get()
    assert (grant.until, grant.sections) == (until, ["conditions", "family_history"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_her_carers_view_saved_untouched_changes_nothing(self_managed, young_person,
                                                         language):
    sharing.do_set_carer_view(reach(young_person, self_managed.pk),
                              ["appointments", "conditions"], conditions_confirmed=True)
    logged = events(self_managed, "carer_view_changed")
    client = client_for(young_person, language)
    form = sent(page_of(client, f"/p/{self_managed.pk}/sharing/", language), "hidden")
    assert sorted(form["hidden"]) == ["appointments", "conditions"]
    assert "conditions_confirmed" not in form
    response = client.post(f"/p/{self_managed.pk}/sharing/carer/", form)
    assert response.status_code == 302
    assert Passport.objects.get(pk=self_managed.pk).placement_hidden == [
        "appointments", "conditions"]
    assert events(self_managed, "carer_view_changed") == logged
    assert events(self_managed, "carer_conditions_hidden") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_who_manages_sharing_shows_the_decision_on_record(her_passport, her_nurse, language):
    """A decision with its reason is recorded each time (a re-confirmation is a decision);
    what is on record is what the form shows, so recording it again keeps it."""
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/who-manages-sharing/"
    form = sent(page_of(client, url, language), "reason")
    assert form["control"] == ["self_managed"]
    form["reason"] = ["Confirmed again at 16."]
    assert client.post(url, form).status_code == 302
    assert Passport.objects.get(pk=her_passport.pk).control == "self_managed"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_menus_send_back_the_language_of_the_page(young_person, her_passport,
                                                               language):
    client = client_for(young_person, language)
    html = page_of(client, "/settings/", language)
    menus = [form for form in forms_in(html) if any(n == "language" for n, _v in form)]
    assert len(menus) == 2  # the settings page's and the menu at the foot of every page
    for menu in menus:
        data = {name: value for name, value in menu}
        assert data["language"] == language
        assert client.post("/language/", data).status_code == 302
        assert User.objects.get(pk=young_person.pk).language == language
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


# --- the care leaver's health summary --------------------------------------------------------


def _summary(passport) -> tuple:
    summary = LeaverSummary.objects.get(passport=passport)
    return summary.checklist, summary.ready_at, summary.ready_by_id, summary.updated_at


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leaver_summary_saved_untouched_stays_as_it_was_and_ready(
        her_passport, her_nurse, nurse_reach, language):
    checklist = {key: {"reviewed": True, "up_to_date": key != "immunisations"}
                 for key in leaver_summary.CHECKED}
    checklist["immunisations"]["still_unknown"] = "Red book asked for.\nThe GP has some."
    leaver_summary.do_save(nurse_reach, checklist)
    leaver_summary.do_mark_ready(nurse_reach)
    before, saved = _summary(her_passport), events(her_passport, "leaver_summary_saved")
    client = client_for(her_nurse, language)
    url = f"/p/{her_passport.pk}/leaving-care-summary/"
    form = sent(page_of(client, url, language), step="save")
    assert form["immunisations-still_unknown"] == ["Red book asked for.\r\nThe GP has some."]
    assert "immunisations-up_to_date" not in form and form["conditions-up_to_date"] == ["on"]
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert _summary(her_passport) == before
    assert events(her_passport, "leaver_summary_saved") == saved
