"""A save that changes nothing writes nothing: no revision, no audit row, the same
version. The forms send every field back, so this is what every untouched save does."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from passport.models import (
    AuditEvent,
    Condition,
    ImmunisationDose,
    PlanAction,
    Revision,
    StaleVersion,
)
from passport.records import actions


@pytest.fixture
def dose(nurse_reach):
    return actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2013, 9, 2), "dose_number": 1,
        "source": "gp_record", "notes": "Given at the practice.\nNo reaction."})


def _everything(entry) -> dict:
    return {f.name: getattr(entry, f.name) for f in entry.content_fields()}


def _counts(entry) -> tuple[int, int]:
    return (Revision.objects.filter(entry_id=entry.pk).count(),
            AuditEvent.objects.filter(object_id=entry.pk).count())


def test_saving_every_field_as_it_is_writes_nothing(dose, nurse_reach):
    before = _counts(dose)
    saved = actions.do_amend_entry(nurse_reach, dose, expected_version=1, reason="checked",
                                   changes=_everything(dose))
    assert saved.version == 1
    assert _counts(dose) == before
    assert ImmunisationDose.objects.get(pk=dose.pk).version == 1


def test_values_as_a_form_or_the_api_sends_them_are_not_changes(dose, nurse_reach):
    """Text with surrounding space and CR LF line breaks (a browser's text area), an empty
    string for nothing."""
    sent = {"vaccine": " mmr ", "given_on": datetime.date(2013, 9, 2), "dose_number": 1,
            "source": "gp_record", "notes": "Given at the practice.\r\nNo reaction.",
            "batch": "", "site": None}
    saved = actions.do_amend_entry(nurse_reach, dose, expected_version=1, reason="checked",
                                   changes=sent)
    assert saved.version == 1


def test_one_changed_field_changes_that_field_alone(dose, nurse_reach):
    before = _everything(dose)
    changes = _everything(dose) | {"batch": "MMR-XY99"}
    actions.do_amend_entry(nurse_reach, dose, expected_version=1, reason="batch found",
                           changes=changes)
    stored = ImmunisationDose.objects.get(pk=dose.pk)
    assert stored.version == 2
    assert _everything(stored) == before | {"batch": "MMR-XY99"}
    latest = Revision.objects.get(entry_id=dose.pk, version=2)
    assert latest.content["given_on"] == "2013-09-02"


def test_line_breaks_are_kept_one_way_whoever_writes(nurse_reach):
    entry = actions.do_add_entry(nurse_reach, Condition, {
        "kind": "condition", "name": "Asthma", "details": "Morning\r\nand night\r"})
    assert Condition.objects.get(pk=entry.pk).details == "Morning\nand night"


def test_an_untouched_save_from_a_stale_copy_is_still_refused(dose, nurse_reach):
    stale = ImmunisationDose.objects.get(pk=dose.pk)
    actions.do_amend_entry(nurse_reach, dose, expected_version=1, reason="batch",
                           changes={"batch": "MMR-XY99"})
    with pytest.raises(StaleVersion):
        actions.do_amend_entry(nurse_reach, stale, expected_version=1, reason="checked",
                               changes=_everything(stale))


def test_an_untouched_save_still_needs_a_reason(dose, nurse_reach):
    with pytest.raises(ValidationError):
        actions.do_amend_entry(nurse_reach, dose, expected_version=1, reason=" ",
                               changes=_everything(dose))


def test_a_choice_no_longer_offered_is_kept_when_another_field_changes(nurse_reach):
    """A value from before a list of choices changed (stored then, refused as new now)."""
    action = actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "See the dentist", "responsible": "carer", "status": "open"})
    action.responsible = "health_visitor"  # stored as an earlier release would have
    action.save(update_fields=["responsible"])
    stored = PlanAction.objects.get(pk=action.pk)
    actions.do_amend_entry(nurse_reach, stored, expected_version=1, reason="date",
                           changes=_everything(stored) | {"due_on": timezone.localdate()})
    again = PlanAction.objects.get(pk=action.pk)
    assert again.responsible == "health_visitor"
    assert again.due_on == timezone.localdate()
    with pytest.raises(ValidationError):  # but it is not accepted as a new choice
        actions.do_amend_entry(nurse_reach, again, expected_version=2, reason="who",
                               changes={"responsible": "health_visitor2"})


def test_text_longer_than_its_field_takes_is_refused_with_a_clear_error(dose, nurse_reach):
    with pytest.raises(ValidationError) as error:
        actions.do_amend_entry(nurse_reach, dose, expected_version=1, reason="batch",
                               changes={"batch": "x" * 501})
    assert error.value.message_dict == {"batch": ["Keep this to 500 characters or fewer."]}
    assert ImmunisationDose.objects.get(pk=dose.pk).version == 1


def test_a_shared_entry_about_pregnancy_stays_shared_when_another_field_changes(nurse_reach):
    """Private by its topic, shared on purpose: changing its time is not a reason to make it
    private again (only a change that makes it about pregnancy would be)."""
    from passport.models import Appointment

    scan = actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": timezone.localdate(), "what_for": "Scan", "topic": "pregnancy",
        "is_private": False})
    actions.do_amend_entry(nurse_reach, scan, expected_version=1, reason="moved",
                           changes={"time": "10:30"})
    stored = Appointment.objects.get(pk=scan.pk)
    assert (stored.time, stored.is_private) == ("10:30", False)
    general = actions.do_add_entry(nurse_reach, Appointment, {
        "on_date": timezone.localdate(), "what_for": "Check-up", "topic": "general"})
    actions.do_amend_entry(nurse_reach, general, expected_version=1, reason="about",
                           changes={"topic": "pregnancy"})
    assert Appointment.objects.get(pk=general.pk).is_private is True


def test_the_date_of_birth_it_already_has_is_no_change(nurse_reach, her_passport):
    from passport.models import IdentityChange

    born = her_passport.date_of_birth
    assert actions.do_change_date_of_birth(nurse_reach, born, "checked") is False
    assert not IdentityChange.objects.filter(passport=her_passport).exists()
    assert not AuditEvent.objects.filter(passport_id=her_passport.pk,
                                         action="date_of_birth_changed").exists()
