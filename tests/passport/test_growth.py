"""Growth centiles are worked out from the measurement, her age, sex and (while the
RCPCH says to) her gestation, never typed. The cases were worked by hand from the UK90 LMS
values in docs/clinical-safety/growth.md; the pages show them only to her and her health team."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from passport.access import sharing
from passport.access.policy import reach
from passport.care import assessments
from passport.clinical import growth
from passport.models import Assessment, HealthTeam, Organisation, Role
from passport.records import actions, sections
from tests.conftest import login, make_user

D = datetime.date

# (sex, born, seen, field, value, sds worked by hand, centile as the page words it)
HAND_WORKED = [
    ("female", D(2017, 3, 1), D(2026, 3, 1), "height_cm", "131.5", -0.226, "41st centile"),
    ("male", D(2014, 3, 1), D(2026, 3, 1), "weight_kg", "50", 1.369, "91st centile"),
    ("female", D(2011, 3, 1), D(2026, 3, 1), "bmi", None, 0.137, "55th centile"),
]


@pytest.mark.parametrize(("sex", "born", "seen", "field", "value", "sds", "words"), HAND_WORKED)
def test_centiles_match_the_cases_worked_by_hand(sex, born, seen, field, value, sds, words):
    measured = ({"height_cm": Decimal("160"), "weight_kg": Decimal("52")} if field == "bmi"
                else {field: Decimal(value)})
    reading = next(r for r in growth.readings(growth.Child(born, sex), measured, seen)
                   if r.field == field)
    assert reading.sds == pytest.approx(sds, abs=0.005)
    assert reading.centile_words == words
    assert not reading.corrected


def test_bmi_is_worked_out_from_the_same_days_height_and_weight():
    assert growth.bmi(Decimal("160"), Decimal("52")) == Decimal("20.3125")
    assert growth.bmi(None, Decimal("52")) is None
    reading = growth.read(growth.Child(D(2011, 3, 1), "female"), "bmi",
                          growth.bmi(Decimal("150"), Decimal("38.8125")), D(2026, 3, 1))
    assert reading.shown == Decimal("17.3")  # 17.25, half up


# (gestation weeks, born, seen, corrected?, age in years the reference reads)
CORRECTION = [
    (34, D(2025, 1, 1), D(2025, 11, 1), True, 262 / 365.25),
    (34, D(2025, 1, 1), D(2026, 3, 1), False, 424 / 365.25),
    (30, D(2024, 1, 1), D(2026, 4, 1), False, 821 / 365.25),
    (30, D(2024, 1, 1), D(2025, 12, 1), True, (700 - 70) / 365.25),
    (38, D(2025, 1, 1), D(2025, 11, 1), False, 304 / 365.25),
    (None, D(2025, 1, 1), D(2025, 11, 1), False, 304 / 365.25),
]


@pytest.mark.parametrize(("weeks", "born", "seen", "corrected", "age"), CORRECTION)
def test_a_baby_born_early_is_read_at_her_corrected_age_only_while_the_rcpch_says(
        weeks, born, seen, corrected, age):
    reading = growth.read(growth.Child(born, "male", weeks, 0), "weight_kg", Decimal("9"), seen)
    assert reading.corrected is corrected
    assert reading.age == pytest.approx(age, abs=0.001)


def test_no_centile_without_her_sex_or_beyond_the_references_age():
    no_sex = growth.read(growth.Child(D(2017, 3, 1), ""), "height_cm", Decimal("131.5"),
                         D(2026, 3, 1))
    assert no_sex.centile is None and "sex is not recorded" in no_sex.why_none
    too_old = growth.read(growth.Child(D(2000, 3, 1), "female"), "height_cm", Decimal("160"),
                          D(2026, 3, 1))
    assert too_old.centile is None and "no centile for this age" in too_old.why_none


def test_words_for_her_never_judge_and_send_the_unusual_to_her_nurse():
    child = growth.Child(D(2017, 3, 1), "female")
    usual = growth.read(child, "height_cm", Decimal("131.5"), D(2026, 3, 1))
    assert usual.for_her == ("In the usual range for your age: out of 100 people your age, "
                             "about 41 are shorter than you.")
    short = growth.read(child, "height_cm", Decimal("118"), D(2026, 3, 1))
    assert short.centile < 2
    assert short.for_her == ("Everyone grows differently. Your nurse will talk with you about "
                             "this at your next check, and you can ask them anything.")
    # Only between the 9th and 91st centiles is she told how many are shorter.
    low = growth.read(child, "height_cm", Decimal("124"), D(2026, 3, 1))
    assert 2 < low.centile < 9 and low.for_her == "In the usual range for your age."
    heavy = growth.read(child, "weight_kg", Decimal("29"), D(2026, 3, 1))
    assert heavy.for_her == "In the usual range for your age."


@pytest.fixture
def lead(db):
    trust = Organisation.objects.create(name="Stockport NHS Foundation Trust")
    team = HealthTeam.objects.create(organisation=trust, name="Children in Care Health Team")
    user = make_user("lead.lee", Role.TEAM_LEAD, "Lee Lead")
    user.organisation, user.team = trust, team
    user.save()
    return user


@pytest.fixture
def girl_of_nine(db, admin_user, young_person, her_nurse, lead):
    her_nurse.organisation, her_nurse.team = lead.organisation, lead.team
    her_nurse.save()
    passport = actions.do_create_passport(
        admin_user, legal_name="Samantha Rose Jones", chosen_name="Sam",
        date_of_birth=D(2017, 3, 1), nhs_number="943 476 5919", owner=young_person,
        health_team=lead.team)
    actions.do_assign_professional(admin_user, passport, her_nurse)
    actions.do_update_identity(reach(her_nurse, passport.pk), sex="female")
    return passport


def _assessment(**fields):
    return {"kind": "review", "held_on": D(2026, 3, 1), "outcome": "done", **fields}


def _signed_off(passport, nurse, lead, **fields):
    """Through the real workflow: the nurse records and submits, the team lead signs off."""
    nurse_reach = reach(nurse, passport.pk)
    recorded = actions.do_add_entry(nurse_reach, Assessment, _assessment(
        done_by="Priya Shah", summary="Well.", late_reason_kind="other", **fields))
    recorded = assessments.do_submit(nurse_reach, recorded, expected_version=recorded.version)
    assessments.do_quality_review(
        reach(lead, passport.pk), recorded, decision="signed_off", comments="",
        checklist={key: "met" for key, _label in assessments.CHECKLIST},
        expected_version=recorded.version)


def test_a_value_far_from_the_average_is_saved_only_once_checked(girl_of_nine, her_nurse):
    nurse = reach(her_nurse, girl_of_nine.pk)
    with pytest.raises(ValidationError) as refused:
        actions.do_add_entry(nurse, Assessment, _assessment(height_cm=Decimal("90")))
    assert "more than 4 standard deviations" in refused.value.message_dict["height_cm"][0]
    assert not Assessment.objects.filter(passport=girl_of_nine).exists()
    saved = actions.do_add_entry(nurse, Assessment, _assessment(
        height_cm=Decimal("90"), measurements_checked=True))
    assert saved.pk and "measurements_checked" not in saved.content()  # asked, not stored
    # The confirmation was for that value: a later slip is asked about again...
    with pytest.raises(ValidationError) as again:
        actions.do_amend_entry(nurse, saved, expected_version=saved.version, reason="Weighed",
                               changes={"weight_kg": Decimal("282")})
    assert "Weight 282 kg" in again.value.message_dict["weight_kg"][0]
    # ...while a change elsewhere in the entry does not ask about the height again.
    version = saved.version
    changed = actions.do_amend_entry(nurse, saved, expected_version=version,
                                     reason="Typo", changes={"summary": "Small for her age."})
    assert changed.version == version + 1


def test_a_decimal_slip_in_the_weight_is_caught_too(girl_of_nine, her_nurse):
    with pytest.raises(ValidationError) as refused:
        actions.do_add_entry(reach(her_nurse, girl_of_nine.pk), Assessment,
                             _assessment(weight_kg=Decimal("282")))
    errors = refused.value.message_dict
    assert "Weight 282 kg" in errors["weight_kg"][0]
    assert len(errors["weight_kg"]) == 1 and "height_cm" not in errors  # not the BMI again


def test_the_nurse_sees_each_centile_and_a_chart_she_sees_plain_words(
        girl_of_nine, her_nurse, young_person, lead):
    _signed_off(girl_of_nine, her_nurse, lead, held_on=D(2025, 3, 1), height_cm=Decimal("126"),
                weight_kg=Decimal("25"))
    _signed_off(girl_of_nine, her_nurse, lead, height_cm=Decimal("131.5"),
                weight_kg=Decimal("28.2"))
    page = f"/p/{girl_of_nine.pk}/assessments/"
    seen = login(Client(), her_nurse).get(page).content.decode()
    assert "41st centile" in seen and "-0.23" in seen
    assert seen.count('<svg viewBox="0 0 480 306"') == 3  # height, weight, BMI
    assert "Height by age in years, on the UK-WHO centile lines" in seen
    hers = login(Client(), young_person).get(page).content.decode()
    assert "How you are growing" in hers
    assert "about 41 are shorter than you" in hers
    assert "centile" not in hers.lower() and "<svg" not in hers


def test_anyone_else_sees_the_measurements_without_centiles(girl_of_nine, her_nurse, lead):
    nurse = reach(her_nurse, girl_of_nine.pk)
    _signed_off(girl_of_nine, her_nurse, lead, height_cm=Decimal("131.5"))
    worker = make_user("sw.kim", Role.SOCIAL_WORKER, "Kim Social")
    sharing.do_grant(nurse, grantee=worker, sections_=["assessments"], until=None,
                     wishes="She asked for it.")
    body = login(Client(), worker).get(f"/p/{girl_of_nine.pk}/assessments/").content.decode()
    assert "131.5" in body
    assert "Their health team reads these measurements on growth charts." in body
    assert "centile" not in body.lower() and "shorter than you" not in body


def test_typed_centiles_are_no_longer_asked_for(her_nurse, girl_of_nine):
    form = login(Client(), her_nurse).get(f"/p/{girl_of_nine.pk}/assessments/").content.decode()
    assert 'name="height_centile"' not in form and 'name="weight_centile"' not in form
    assert 'name="measurements_checked"' in form
    with pytest.raises(ValidationError):
        actions.do_add_entry(reach(her_nurse, girl_of_nine.pk), sections.TYPES["assessment"],
                             _assessment(height_centile=Decimal("50")))


def test_the_api_gives_the_same_centiles_and_none_to_others(girl_of_nine, her_nurse, lead):
    from rest_framework.test import APIClient

    _signed_off(girl_of_nine, her_nurse, lead, height_cm=Decimal("131.5"))
    url = f"/api/v1/passports/{girl_of_nine.pk}/assessments/growth/"
    rows = login(APIClient(), her_nurse).get(url).json()
    assert rows == [{"measured_on": "2026-03-01", "measurement": "height", "value": 131.5,
                     "unit": "cm", "centile": 41.1, "sds": -0.23, "corrected_age": False,
                     "far_from_average": False, "signed_off": True, "why_no_centile": "",
                     "in_words": ""}]
    worker = make_user("sw.kim", Role.SOCIAL_WORKER, "Kim Social")
    sharing.do_grant(reach(her_nurse, girl_of_nine.pk), grantee=worker,
                     sections_=["assessments"], until=None, wishes="She asked for it.")
    [theirs] = login(APIClient(), worker).get(url).json()
    assert theirs["centile"] is None and theirs["sds"] is None
    assert theirs["value"] == 131.5
    stranger = make_user("sw.other", Role.SOCIAL_WORKER, "Other Social")
    assert login(APIClient(), stranger).get(url).status_code == 404


def test_a_baby_born_early_is_drawn_on_the_chart_before_term():
    """Review: born at 26 weeks, her first weights (corrected age below 0) fell off the
    chart's left edge, where no centile lines were drawn."""
    import re

    child = growth.Child(D(2026, 1, 1), "female", 26, 0)
    readings = [growth.read(child, "weight_kg", Decimal(kg), day) for kg, day in (
        ("0.9", D(2026, 1, 20)), ("1.4", D(2026, 2, 20)), ("3.2", D(2026, 5, 1)))]
    assert readings[0].age < 0 and readings[0].centile is not None
    svg = growth.chart_svg("weight_kg", "female", readings)
    spots = [float(x) for x in re.findall(r'<circle cx="([-0-9.]+)"', svg)]
    assert len(spots) == 3 and min(spots) >= growth._Chart.LEFT
    assert re.search(r">99\.6</text>", svg)  # the centile lines are named


def test_a_child_under_two_with_no_gestation_recorded_is_said_to_be_read_as_term(
        girl_of_nine, her_nurse, lead, admin_user):
    baby = actions.do_create_passport(admin_user, legal_name="Ada Baby",
                                      date_of_birth=D(2025, 9, 1), health_team=lead.team)
    actions.do_assign_professional(admin_user, baby, her_nurse)
    nurse = reach(her_nurse, baby.pk)
    actions.do_update_identity(nurse, sex="female")
    actions.do_add_entry(nurse, Assessment, _assessment(
        kind="initial", held_on=D(2026, 3, 1), weight_kg=Decimal("7.2")))
    page = login(Client(), her_nurse).get(f"/p/{baby.pk}/assessments/").content.decode()
    assert "read as born at term: no gestation in the birth history" in page
    reading = growth.read(growth.Child(D(2025, 9, 1), "female"), "weight_kg", Decimal("7.2"),
                          D(2026, 3, 1))
    assert reading.term_assumed
    older = growth.read(growth.Child(D(2017, 3, 1), "female"), "height_cm", Decimal("131.5"),
                        D(2026, 3, 1))
    assert not older.term_assumed  # from 2 years the correction no longer matters
