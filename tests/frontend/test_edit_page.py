"""The edit page as the people who tried it met it: what it reads back, what it
offers, and what it keeps of someone's typing when another person saved first."""

import datetime

import pytest
from django.test import Client

from passport.access.policy import reach
from passport.models import AboutMe, Assessment, Condition, PlanAction
from passport.records import actions
from tests.conftest import login


def edit_url(entry) -> str:
    return f"/p/{entry.passport_id}/{entry.section_key}/{entry.TYPE}/{entry.pk}/edit/"


@pytest.fixture
def plan_action(nurse_reach):
    return actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Eye test", "responsible": "carer", "status": "open",
        "due_on": datetime.date(2027, 4, 3)})


def sent(entry, **changes) -> dict:
    """The whole form, as the page would send it, with `changes`."""
    values = {"version": entry.version, "reason": "Checked", "action": "Eye test",
              "responsible": "carer", "status": "open", "due_on": "2027-04-03",
              "privacy": "shared"}
    return values | changes


@pytest.mark.parametrize("language", ["en-gb", "ar", "fa", "sq"])
def test_a_date_typed_in_a_local_form_is_refused_not_guessed(her_nurse, plan_action, language):
    """03/04/2027 is 3 April in England and 4 March where month comes first: a page that
    guessed would swap a vaccine's day and month without a word."""
    her_nurse.language = language
    her_nurse.save(update_fields=["language"])
    client = login(Client(), her_nurse)
    response = client.post(edit_url(plan_action), sent(plan_action, due_on="03/04/2027"),
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    if language == "en-gb":
        assert "Enter the date as year, month and day, for example 2027-01-06." in (
            response.content.decode())
    assert PlanAction.objects.get(pk=plan_action.pk).due_on == datetime.date(2027, 4, 3)


def test_a_number_written_with_an_exponent_is_kept_as_a_plain_number(nurse_reach, her_nurse):
    draft = actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "review", "held_on": datetime.date(2026, 11, 30), "outcome": "done"})
    client = login(Client(), her_nurse)
    page = client.get(edit_url(draft)).content.decode()
    assert 'name="height_cm"' in page
    response = client.post(edit_url(draft), {
        "version": 1, "reason": "Measured", "kind": "review", "held_on": "2026-11-30",
        "outcome": "done", "privacy": "shared", "height_cm": "1.5e2"})
    assert response.status_code == 302
    assert str(Assessment.objects.get(pk=draft.pk).height_cm) == "150"
    assert 'value="150"' in client.get(edit_url(draft)).content.decode()


def test_labels_follow_the_language_of_each_page(her_nurse, plan_action):
    """The form is built once for every language: its labels must not be fixed in the
    language of the first page that used it."""
    client = login(Client(), her_nurse)
    for language in ("fa", "en-gb", "ar", "en-gb"):
        her_nurse.language = language
        her_nurse.save(update_fields=["language"])
        page = client.get(edit_url(plan_action)).content.decode()
        assert ("What will be done" in page) == (language == "en-gb"), language


def test_change_is_offered_only_to_whoever_may_change_it(her_passport, young_person,
                                                         her_nurse, nurse_reach):
    own_words = actions.do_add_entry(reach(young_person, her_passport.pk), AboutMe, {
        "own_words": "Ask me first."})
    asthma = actions.do_add_entry(nurse_reach, Condition, {"kind": "condition",
                                                          "name": "Asthma"})
    nurse, her = login(Client(), her_nurse), login(Client(), young_person)
    assert "Change<" not in nurse.get(f"/p/{her_passport.pk}/about_me/").content.decode()
    assert nurse.get(edit_url(own_words)).status_code == 403  # before anything is typed
    assert "Change<" not in her.get(f"/p/{her_passport.pk}/conditions/").content.decode()
    assert "This isn't right" in her.get(
        f"/p/{her_passport.pk}/conditions/").content.decode()
    assert her.get(edit_url(asthma)).status_code == 403
    assert "Change<" in her.get(f"/p/{her_passport.pk}/about_me/").content.decode()
    assert "Change<" in nurse.get(f"/p/{her_passport.pk}/conditions/").content.decode()


def test_an_untouched_save_from_an_old_copy_saves_nothing_and_says_so(her_nurse, plan_action,
                                                                      nurse_reach):
    actions.do_amend_entry(nurse_reach, plan_action, expected_version=1, reason="Booked",
                           changes={"status": "done"})
    client = login(Client(), her_nurse)
    response = client.post(edit_url(plan_action), sent(plan_action, version=1), follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    stored = PlanAction.objects.get(pk=plan_action.pk)
    assert (stored.version, stored.status) == (2, "done")


def test_a_change_from_an_old_copy_shows_what_was_typed(her_nurse, plan_action, nurse_reach):
    actions.do_amend_entry(nurse_reach, plan_action, expected_version=1, reason="Booked",
                           changes={"status": "done"})
    client = login(Client(), her_nurse)
    typed = "Eye test at the optician on the high street,\r\nwith a reading check."
    response = client.post(edit_url(plan_action), sent(plan_action, version=1, action=typed))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this entry while you were editing it" in page
    assert "What you had typed" in page
    assert "Eye test at the optician on the high street,<br>with a reading check." in page
    assert 'name="version" value="2"' in page  # their version, to change again
    assert 'name="reason" value="Checked"' in page  # the reason typed is kept too
    stored = PlanAction.objects.get(pk=plan_action.pk)
    assert (stored.version, stored.action) == (2, "Eye test")


def test_changing_the_topic_to_pregnancy_on_the_page_makes_it_private(her_nurse, nurse_reach):
    from passport.models import Appointment
    from tests.support.browser_form import form_with

    visit = actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": datetime.date(2027, 2, 1), "what_for": "Check-up", "topic": "general"})
    client = login(Client(), her_nurse)
    shown = dict(form_with(client.get(edit_url(visit)).content.decode(), "reason"))
    assert shown["privacy"] == "auto"  # it follows the usual rule
    response = client.post(edit_url(visit), shown | {"topic": "pregnancy", "reason": "Scan"})
    assert response.status_code == 302
    assert Appointment.objects.get(pk=visit.pk).is_private is True


def test_a_privacy_change_from_an_old_copy_is_not_taken_for_no_change(her_nurse, plan_action,
                                                                      nurse_reach):
    actions.do_amend_entry(nurse_reach, plan_action, expected_version=1, reason="Booked",
                           changes={"status": "done"})
    client = login(Client(), her_nurse)
    response = client.post(edit_url(plan_action), sent(plan_action, version=1,
                                                       privacy="private"))
    assert response.status_code == 409
    assert "What you had typed" in response.content.decode()
    assert PlanAction.objects.get(pk=plan_action.pk).is_private is False


def test_an_empty_save_shows_errors_and_is_logged_as_a_read(her_nurse, plan_action):
    """The edit page shown again after a save is a read like any other."""
    from passport.models import AuditEvent

    client = login(Client(), her_nurse)
    before = AuditEvent.objects.filter(object_id=plan_action.pk,
                                       action="section_viewed").count()
    response = client.post(edit_url(plan_action), {})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(object_id=plan_action.pk,
                                     action="section_viewed").count() == before + 1


def test_text_longer_than_todays_limit_can_still_be_saved_as_it_is(her_nurse, plan_action):
    """Stored when the API took 5,000 characters where the page takes 500: the page keeps it
    and saves another field; a longer new value is still refused."""
    from tests.support.browser_form import form_with

    long_name = "Dr " + "A" * 700
    plan_action.responsible_name = long_name  # as the API stored it before
    plan_action.save(update_fields=["responsible_name"])
    client = login(Client(), her_nurse)
    shown = dict(form_with(client.get(edit_url(plan_action)).content.decode(), "reason"))
    assert shown["responsible_name"] == long_name
    response = client.post(edit_url(plan_action), shown | {"reason": "Done",
                                                            "status": "done"})
    assert response.status_code == 302
    stored = PlanAction.objects.get(pk=plan_action.pk)
    assert (stored.responsible_name, stored.status) == (long_name, "done")
    longer = client.post(edit_url(plan_action), sent(stored, responsible_name=long_name + "B",
                                                     status="done"))
    assert longer.status_code == 400
