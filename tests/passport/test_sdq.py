"""SDQ bands at every boundary, for each informant: the expectations are docs/clinical-rules.md's
tables, copied here by hand as (scale, last normal, borderline scores, first concern)."""

import pytest

from passport.clinical import sdq

# docs/clinical-rules.md 2, copied by hand. Prosocial is the other way up (high is good): its
# "normal" starts at the first number, "borderline" is the middle, "concern" is the rest below.
BOUNDARIES = {
    "carer": {"total": (13, (14, 16), 17), "emotional": (3, (4, 4), 5),
              "conduct": (2, (3, 3), 4), "hyperactivity": (5, (6, 6), 7),
              "peer": (2, (3, 3), 4)},
    "self": {"total": (15, (16, 19), 20), "emotional": (5, (6, 6), 7),
             "conduct": (3, (4, 4), 5), "hyperactivity": (5, (6, 6), 7),
             "peer": (3, (4, 5), 6)},
    "teacher": {"total": (11, (12, 15), 16), "emotional": (4, (5, 5), 6),
                "conduct": (2, (3, 3), 4), "hyperactivity": (5, (6, 6), 7),
                "peer": (3, (4, 4), 5)},
}
PROSOCIAL = {"carer": (6, 5, 4), "self": (6, 5, 4), "teacher": (6, 5, 4)}


@pytest.mark.parametrize("informant", ["carer", "self", "teacher"])
def test_every_boundary(informant):
    for scale, (last_normal, (first_border, last_border), first_concern) in (
            BOUNDARIES[informant].items()):
        assert sdq.band(informant, scale, 0) == "normal"
        assert sdq.band(informant, scale, last_normal) == "normal", scale
        assert sdq.band(informant, scale, first_border) == "borderline", scale
        assert sdq.band(informant, scale, last_border) == "borderline", scale
        assert sdq.band(informant, scale, first_concern) == "concern", scale
    lowest_normal, borderline, highest_concern = PROSOCIAL[informant]
    assert sdq.band(informant, "prosocial", 10) == "normal"
    assert sdq.band(informant, "prosocial", lowest_normal) == "normal"
    assert sdq.band(informant, "prosocial", borderline) == "borderline"
    assert sdq.band(informant, "prosocial", highest_concern) == "concern"
    assert sdq.band(informant, "prosocial", 0) == "concern"


def test_the_total_leaves_prosocial_out_and_keeps_the_five_scales():
    scored = sdq.score("carer", {"emotional": 4, "conduct": 2, "hyperactivity": 5, "peer": 2,
                                 "prosocial": 8})
    assert scored.total == 13 and scored.bands["total"] == "normal"
    assert scored.externalising == 7 and scored.internalising == 6
    assert scored.bands["emotional"] == "borderline"  # a total can hide a raised scale
    assert scored.scores["prosocial"] == 8 and scored.table.startswith("SDQ three-band")
    assert not scored.unconfirmed and sdq.score("teacher", scored.scores).unconfirmed


def test_impossible_scores_are_refused():
    with pytest.raises(ValueError):
        sdq.score("carer", {"emotional": 11, "conduct": 0, "hyperactivity": 0, "peer": 0,
                            "prosocial": 0})
    with pytest.raises(ValueError):
        sdq.score("parent", dict.fromkeys(sdq.SCALES, 1))


def test_a_result_shows_its_bands_and_the_trend_is_drawn_on_the_server(her_passport,
                                                                       nurse_reach,
                                                                       young_person):
    import datetime

    from django.test import Client

    from passport.models import SdqResult
    from passport.records import actions
    from tests.conftest import login

    first = actions.do_add_entry(nurse_reach, SdqResult, {
        "completed_on": datetime.date(2025, 6, 1), "informant": "carer", "emotional": 4,
        "conduct": 2, "hyperactivity": 5, "peer": 2, "prosocial": 8})
    actions.do_add_entry(nurse_reach, SdqResult, {
        "completed_on": datetime.date(2026, 6, 1), "informant": "carer", "emotional": 6,
        "conduct": 4, "hyperactivity": 7, "peer": 3, "prosocial": 4,
        "discussed_on": datetime.date(2026, 6, 10)})
    nurse = login(Client(), nurse_reach.user).get(f"/p/{her_passport.pk}/wellbeing/")
    body = nurse.content.decode()
    assert "<svg" in body and "<title" in body and "1 Jun 2025: 13" in body
    # Professionals read the four bands the SDQ's authors now recommend.
    assert "Total difficulties" in body and "Very high" in body and "Slightly raised" in body
    assert "Banded by: SDQ four-band cut-offs" in body
    # Not yet discussed with her: she does not see the first result; she sees the second.
    own = login(Client(), young_person).get(f"/p/{her_passport.pk}/wellbeing/").content.decode()
    assert str(first.pk) not in own and "20" in own
