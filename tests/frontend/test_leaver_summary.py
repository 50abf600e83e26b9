"""The care leaver's health summary: her nurse checks every section, sees the release
plan of what is held back, and marks it ready for the booklet; no one else reaches it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from passport.care.leaver_summary import CHECKED
from passport.models import (
    FamilyHistory,
    HeldBack,
    LeaverSummary,
    Role,
    UnknownItem,
)
from passport.records import actions
from tests.conftest import login, make_user
from tests.support.people import assign, place

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
SECRET = "Huntington disease in birth father"
OPINION = "Likely to cause serious distress: not yet."


@pytest.fixture
def people(her_passport, young_person, her_nurse):
    return {"owner": young_person, "health_team": her_nurse,
            "placement": place(her_passport, "carer.sam", "Sam Jones"),
            "social_work": assign(her_passport, "sw.marcus", "Marcus Reid"),
            "designated": make_user("dn.dee", Role.DESIGNATED, "Dee Designated")}


@pytest.fixture
def held(her_passport, her_nurse, nurse_reach):
    entry = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": SECRET,
        "what_this_means": "A 1 in 2 chance; testing is possible from 18."})
    response = login(Client(), her_nurse).post(
        f"/p/{her_passport.pk}/family_history/family_history/{entry.pk}/hold/",
        {"step": "hold", "hold-opinion": OPINION})
    assert response.status_code == 302
    return entry


def _url(passport) -> str:
    return f"/p/{passport.pk}/leaving-care-summary/"


def _api(passport) -> str:
    return f"/api/v1/passports/{passport.pk}/leaving-care-summary/"


def _checklist(reviewed=CHECKED, **still_unknown) -> dict:
    data = {"step": "save"}
    for key in reviewed:
        data[f"{key}-reviewed"] = "on"
    for key, text in still_unknown.items():
        data[f"{key}-still_unknown"] = text
    return data


def test_the_nurse_saves_the_checklist_and_sees_it_back(her_passport, her_nurse, asthma,
                                                        nurse_reach):
    actions.do_add_entry(nurse_reach, UnknownItem, {"section": "conditions",
                                                    "item": "Hay fever as a child?"})
    nurse = login(Client(), her_nurse)
    page = nurse.get(_url(her_passport)).content.decode()
    assert "Conditions, allergies and medicines" in page and "Not marked ready" in page
    data = _checklist(reviewed=["conditions"], immunisations="Red book asked for in May")
    data["conditions-up_to_date"] = "on"
    response = nurse.post(_url(her_passport), data, follow=True)
    assert response.redirect_chain[-1][0] == _url(her_passport)
    page = response.content.decode()
    assert "Saved." in page and "Red book asked for in May" in page
    assert 'name="conditions-reviewed" id="id_conditions-reviewed" checked' in page
    assert 'name="about_me-reviewed" id="id_about_me-reviewed" checked' not in page
    checklist = LeaverSummary.objects.get(passport=her_passport).checklist
    assert checklist["conditions"] == {"reviewed": True, "up_to_date": True, "still_unknown": ""}
    assert checklist["immunisations"]["still_unknown"] == "Red book asked for in May"


def test_marking_ready_is_refused_until_every_section_is_reviewed(her_passport, her_nurse):
    nurse = login(Client(), her_nurse)
    response = nurse.post(_url(her_passport), {"step": "ready"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "save it first" in response.content.decode()
    nurse.post(_url(her_passport), _checklist(reviewed=CHECKED[1:]))
    response = nurse.post(_url(her_passport), {"step": "ready"})
    assert response.status_code == 400
    assert "Not reviewed yet: About me." in response.content.decode()
    assert LeaverSummary.objects.get(passport=her_passport).ready_at is None
    nurse.post(_url(her_passport), _checklist())
    response = nurse.post(_url(her_passport), {"step": "ready"}, follow=True)
    assert "Marked ready for the booklet by Priya Shah" in response.content.decode()
    assert LeaverSummary.objects.get(passport=her_passport).ready_by == her_nurse


def test_saving_a_change_takes_the_ready_mark_away(her_passport, her_nurse):
    """(Saved untouched, it stays ready: tests/frontend/test_round_trips.py.)"""
    nurse = login(Client(), her_nurse)
    nurse.post(_url(her_passport), _checklist())
    assert nurse.post(_url(her_passport), {"step": "ready"}).status_code == 302
    changed = _checklist(conditions="Hay fever as a child?")
    response = nurse.post(_url(her_passport), changed, follow=True)
    assert "Check it again, then mark it ready." in response.content.decode()
    assert "Not marked ready" in response.content.decode()
    assert LeaverSummary.objects.get(passport=her_passport).ready_at is None


def test_a_hold_past_its_review_blocks_ready(her_passport, her_nurse, held):
    nurse = login(Client(), her_nurse)
    nurse.post(_url(her_passport), _checklist())
    HeldBack.objects.filter(entry_id=held.pk).update(review_due_on=TODAY - DAY)
    response = nurse.post(_url(her_passport), {"step": "ready"})
    assert response.status_code == 400
    assert "past its review" in response.content.decode()
    assert LeaverSummary.objects.get(passport=her_passport).ready_at is None
    HeldBack.objects.filter(entry_id=held.pk).update(review_due_on=TODAY + DAY)
    assert nurse.post(_url(her_passport), {"step": "ready"}).status_code == 302


def test_no_one_but_the_health_team_reaches_it(her_passport, people):
    for basis, user in people.items():
        if basis == "health_team":
            continue
        # Designated professionals see area figures only: her passport is not found at all.
        want = 404 if basis == "designated" else 403
        page, api = login(Client(), user), login(APIClient(), user)
        assert page.get(_url(her_passport)).status_code == want, basis
        assert page.post(_url(her_passport), _checklist()).status_code == want, basis
        assert page.post(_url(her_passport), {"step": "ready"}).status_code == want, basis
        assert api.get(_api(her_passport)).status_code == want, basis
        assert api.put(_api(her_passport), {"checklist": {}}, format="json").status_code == (
            want), basis
        assert api.post(_api(her_passport) + "ready/").status_code == want, basis
    assert not LeaverSummary.objects.filter(passport=her_passport).exists()
    overview = login(Client(), people["health_team"]).get(f"/p/{her_passport.pk}/")
    assert _url(her_passport) in overview.content.decode()
    for basis in ("owner", "placement", "social_work"):
        overview = login(Client(), people[basis]).get(f"/p/{her_passport.pk}/")
        assert _url(her_passport) not in overview.content.decode(), basis


def test_the_held_entrys_content_and_opinion_never_appear(her_passport, her_nurse, held):
    page = login(Client(), her_nurse).get(_url(her_passport)).content.decode()
    assert "Family health history" in page and "1 March 2029" in page  # 3 months before 18
    api = login(APIClient(), her_nurse).get(_api(her_passport))
    assert api.json()["held"] == [{
        "section": "family_history", "entry_type": "family_history",
        "review_due_on": HeldBack.objects.get(entry_id=held.pk).review_due_on.isoformat(),
        "plan_release_by": "2029-03-01"}]
    for body in (page, api.content.decode()):
        assert SECRET not in body and OPINION not in body and "1 in 2 chance" not in body


def test_the_api_round_trip(her_passport, her_nurse, asthma):
    api = login(APIClient(), her_nurse)
    checklist = {key: {"reviewed": True} for key in CHECKED}
    checklist["conditions"] |= {"up_to_date": True, "still_unknown": "Childhood eczema?"}
    response = api.put(_api(her_passport), {"checklist": checklist}, format="json")
    assert response.status_code == 200
    rows = {row["section"]: row for row in response.json()["sections"]}
    assert list(rows) == list(CHECKED)
    assert rows["conditions"] == {
        "section": "conditions", "title": "Conditions, allergies and medicines", "entries": 1,
        "not_known_yet": 0, "reviewed": True, "up_to_date": True,
        "still_unknown": "Childhood eczema?"}
    assert response.json()["ready_at"] is None
    ready = api.post(_api(her_passport) + "ready/")
    assert ready.status_code == 200
    assert ready.json()["ready_by"] == "Priya Shah" and ready.json()["ready_at"]
    assert api.get(_api(her_passport)).json()["ready_by"] == "Priya Shah"


def test_the_api_refuses_an_unknown_section_and_an_unready_summary(her_passport, her_nurse):
    api = login(APIClient(), her_nurse)
    for section in ("nonsense", "my_services"):
        response = api.put(_api(her_passport), {"checklist": {section: {"reviewed": True}}},
                           format="json")
        assert response.status_code == 400, section
        assert response["Content-Type"] == "application/problem+json"
        assert section in response.json()["errors"]["checklist"]
    response = api.put(_api(her_passport), {"checklist": {"about_me": {"ready": True}}},
                       format="json")
    assert response.status_code == 400
    assert not LeaverSummary.objects.filter(passport=her_passport).exists()
    api.put(_api(her_passport), {"checklist": {"about_me": {"reviewed": True}}}, format="json")
    response = api.post(_api(her_passport) + "ready/")
    assert response.status_code == 400
    problems = response.json()["errors"]["non_field_errors"]
    assert any(p.startswith("Not reviewed yet: Contacts,") for p in problems)
    assert LeaverSummary.objects.get(passport=her_passport).ready_at is None
