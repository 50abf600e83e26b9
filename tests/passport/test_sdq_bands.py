"""The SDQ's four-band scheme beside the original three bands, which table banded
each result, each version of the questionnaire for its own ages, and how a young person reads
her own result (words only under 13; kinder names with the scores one tap away from 13).

The teacher four-band table is copied by hand from its source (youthinmind's 4-17 scoring, as
reproduced in Qual Life Res 2016;25:913-923, Table 1): close to average, slightly raised, high,
very high (for prosocial: lowered, low, very low)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from passport.clinical import sdq
from passport.models import SdqResult
from passport.records import actions
from tests.conftest import login

TEACHER_4 = {  # (close to average, slightly raised, high, very high) as (first, last) scores
    "total": ((0, 11), (12, 15), (16, 18), (19, 40)),
    "emotional": ((0, 3), (4, 4), (5, 5), (6, 10)),
    "conduct": ((0, 2), (3, 3), (4, 4), (5, 10)),
    "hyperactivity": ((0, 5), (6, 7), (8, 8), (9, 10)),
    "peer": ((0, 2), (3, 4), (5, 5), (6, 10)),
    "prosocial": ((6, 10), (5, 5), (4, 4), (0, 3)),
}


@pytest.mark.parametrize("scale", list(TEACHER_4))
def test_the_teacher_four_bands_at_every_score(scale):
    for band, (first, last) in zip(("close", "slightly", "high", "very_high"),
                                   TEACHER_4[scale], strict=True):
        for score in range(first, last + 1):
            assert sdq.band4("teacher", scale, score) == band, (scale, score)


def test_each_result_records_both_schemes_and_their_tables():
    scored = sdq.score("teacher", {"emotional": 4, "conduct": 2, "hyperactivity": 6,
                                   "peer": 0, "prosocial": 5})
    assert scored.bands["emotional"] == "normal"  # three bands: 0-4 normal
    assert scored.bands4["emotional"] == "slightly"  # four bands: 0-3 close to average
    assert scored.table.startswith("SDQ three-band") and scored.table4.startswith(
        "SDQ four-band")
    assert not scored.unconfirmed4  # the teacher four-band table was read in its source
    assert sdq.score("carer", scored.scores).unconfirmed4  # the parent one was not
    two_to_four = sdq.score("carer_2_4", scored.scores)
    assert two_to_four.bands4 is None and two_to_four.bands["emotional"] == "concern"


@pytest.mark.parametrize(("informant", "age", "fits"), [
    ("self", 10, False), ("self", 11, True), ("self", 17, True), ("self", 18, False),
    ("carer", 3, False), ("carer", 4, True), ("carer", 17, True), ("carer", 18, False),
    ("carer_2_4", 2, True), ("carer_2_4", 4, True), ("carer_2_4", 5, False),
    ("teacher", 3, False), ("teacher", 4, True),
])
def test_each_version_is_for_its_own_ages(informant, age, fits):
    assert (sdq.age_problem(informant, age) is None) is fits


def test_a_self_report_from_a_9_year_old_is_refused_and_nothing_is_saved(her_passport,
                                                                         nurse_reach):
    # her_passport was born on 1 June 2011: 9 on 1 June 2020.
    with pytest.raises(ValidationError) as refused:
        actions.do_add_entry(nurse_reach, SdqResult, {
            "completed_on": datetime.date(2020, 9, 1), "informant": "self", "emotional": 1,
            "conduct": 1, "hyperactivity": 1, "peer": 1, "prosocial": 9})
    assert "The self-report SDQ is for ages 11 to 17: for a younger child" in str(refused.value)
    assert not SdqResult.objects.filter(passport=her_passport).exists()


def _discussed(nurse_reach, **scores):
    return actions.do_add_entry(nurse_reach, SdqResult, {
        "completed_on": datetime.date(2026, 6, 1), "informant": "carer",
        "discussed_on": datetime.date(2026, 6, 10)} | scores)


def test_from_13_she_reads_kinder_names_with_the_scores_one_tap_away(her_passport,
                                                                      nurse_reach,
                                                                      young_person):
    _discussed(nurse_reach, emotional=6, conduct=4, hyperactivity=7, peer=3, prosocial=4)
    page = login(Client(), young_person).get(f"/p/{her_passport.pk}/wellbeing/")
    body = page.content.decode()
    assert "Much higher than most: your nurse will talk with you about it" in body
    assert "Very high" not in body and "Cause for concern" not in body
    assert "<summary>See the scores</summary>" in body


def test_under_13_she_reads_words_only(her_passport, nurse_reach, young_person):
    actions.do_change_date_of_birth(nurse_reach, datetime.date(2016, 3, 1), "Corrected")
    _discussed(nurse_reach, emotional=6, conduct=0, hyperactivity=2, peer=0, prosocial=9)
    body = login(Client(), young_person).get(
        f"/p/{her_passport.pk}/wellbeing/").content.decode()
    assert "Your nurse will talk with you about: feelings and worries." in body
    assert "Going well: behaviour and temper" in body
    for clinical in ("Very high", "Cause for concern", "Total difficulties", "See the scores",
                     "<svg", "Hyperactivity", "Prosocial", "Conduct"):
        assert clinical not in body
