"""Staged disclosure: an entry held back on the serious-harm test is invisible to the young
person and to everyone she shares with, in every read path, until it is released through a
planned conversation (docs/architecture.md 4, docs/access.md 2, note a)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import (
    AuditEvent,
    BirthHistory,
    FamilyHistory,
    HeldBack,
)
from passport.records import actions
from tests.conftest import login
from tests.support.people import her_people, share

TODAY = timezone.localdate()
SECRET_FAMILY = "Huntington disease in birth father"
SECRET_BIRTH = "Heroin exposure in pregnancy"


@pytest.fixture
def people(her_passport, young_person, her_nurse):
    # Everyone she shares with holds a grant of both sections they may be granted.
    cast = her_people(her_passport, granted=["birth_history", "family_history"])
    for user in (cast["placement"], cast["social_work"]):
        share(her_passport, user, ["birth_history"])
    return cast | {"owner": young_person, "health_team": her_nurse}


@pytest.fixture
def held(her_passport, her_nurse, nurse_reach):
    family = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": SECRET_FAMILY,
        "what_this_means": "A 1 in 2 chance; testing is possible from 18."})
    birth = actions.do_add_entry(nurse_reach, BirthHistory, {
        "birth_weight_g": 2400, "exposure_in_pregnancy": SECRET_BIRTH})
    nurse = login(Client(), her_nurse)
    for entry, section in ((family, "family_history"), (birth, "birth_history")):
        response = nurse.post(f"/p/{her_passport.pk}/{section}/{entry.TYPE}/{entry.pk}/hold/", {
            "step": "hold", "hold-opinion": "Likely to cause serious distress: not yet."})
        assert response.status_code == 302
    return {"family_history": family, "birth_history": birth}


def _paths(passport, section, entry):
    api = f"/api/v1/passports/{passport.pk}/{section}/"
    page = f"/p/{passport.pk}/{section}/"
    return [("page", page), ("page", page + "?unknown=show"),
            ("page", f"{page}{entry.TYPE}/{entry.pk}/history/"),
            ("page", f"{page}{entry.TYPE}/{entry.pk}/edit/"),
            ("page", f"{page}{entry.TYPE}/{entry.pk}/hold/"),
            ("page", f"/p/{passport.pk}/"),
            ("api", api), ("api", f"{api}{entry.TYPE}/"),
            ("api", f"{api}{entry.TYPE}/{entry.pk}/"),
            ("api", f"{api}{entry.TYPE}/{entry.pk}/revisions/")]


def _leaks(response, secret, entry) -> bool:
    body = response.content.decode()
    return secret in body or str(entry.pk) in body


def test_a_held_entry_reaches_no_one_but_the_health_team(her_passport, people, held):
    readers = {"family_history": ("owner", "grant"),
               "birth_history": ("owner", "grant", "placement", "social_work")}
    for section, bases in readers.items():
        entry, secret = held[section], (SECRET_FAMILY if section == "family_history"
                                        else SECRET_BIRTH)
        for basis in bases:
            client = {"page": login(Client(), people[basis]),
                      "api": login(APIClient(), people[basis])}
            # The section itself opens for them: it is the entry that is missing.
            assert client["page"].get(f"/p/{her_passport.pk}/{section}/").status_code == 200
            for kind, url in _paths(her_passport, section, entry):
                response = client[kind].get(url)
                assert response.status_code in (200, 403, 404), (basis, url)
                assert not _leaks(response, secret, entry), (basis, url)
            looked = client["page"].get(f"/p/{her_passport.pk}/who-has-looked/")
            if basis == "owner":  # not even that someone added to the section
                assert looked.status_code == 200
                assert "added to" not in looked.content.decode(), section
    nurse = login(Client(), people["health_team"])
    for section, entry in held.items():
        page = nurse.get(f"/p/{her_passport.pk}/{section}/").content.decode()
        assert "Held back from the young person" in page and str(entry.pk) in page


def test_an_empty_section_looks_the_same_as_one_with_only_held_entries(her_passport, people,
                                                                       held, other_passport):
    """No count, heading or "nothing recorded" wording gives a held entry away."""
    owner = login(APIClient(), people["owner"])
    response = owner.get(f"/api/v1/passports/{her_passport.pk}/family_history/").json()
    assert all(not group.get("entries") for group in response.get("groups", [response]))
    page = login(Client(), people["owner"]).get(f"/p/{her_passport.pk}/family_history/")
    assert "Nothing recorded yet." in page.content.decode()


def test_the_young_person_cannot_hold_release_or_learn_of_holds(her_passport, people, held):
    hold = HeldBack.objects.get(entry_id=held["family_history"].pk)
    url = f"/p/{her_passport.pk}/family_history/family_history/{hold.entry_id}/hold/"
    for basis in ("owner", "grant"):
        response = login(Client(), people[basis]).post(url, {
            "step": "release", "release-conversation_on": TODAY.isoformat(),
            "release-release_note": "x"})
        assert response.status_code in (403, 404)
    hold.refresh_from_db()
    assert hold.is_held


def test_release_needs_the_planned_conversation_and_then_she_sees_it(her_passport, people,
                                                                    held):
    entry = held["family_history"]
    url = f"/p/{her_passport.pk}/family_history/family_history/{entry.pk}/hold/"
    nurse = login(Client(), people["health_team"])
    tomorrow = TODAY + datetime.timedelta(days=1)
    for data in ({"step": "release", "release-release_note": "Went well"},
                 {"step": "release", "release-conversation_on": tomorrow.isoformat(),
                  "release-release_note": "Went well"},
                 {"step": "release", "release-conversation_on": TODAY.isoformat()}):
        response = nurse.post(url, data)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert HeldBack.objects.get(entry_id=entry.pk).is_held
    owner = login(Client(), people["owner"])
    assert SECRET_FAMILY not in owner.get(f"/p/{her_passport.pk}/family_history/").content.decode()

    response = nurse.post(url, {"step": "release", "release-conversation_on": TODAY.isoformat(),
                                "release-release_note": "With her carer present; she asked "
                                                        "about testing."})
    assert response.status_code == 302
    assert SECRET_FAMILY in owner.get(f"/p/{her_passport.pk}/family_history/").content.decode()
    looked = owner.get(f"/p/{her_passport.pk}/who-has-looked/").content.decode()
    assert "added to Family health history after talking it through with you" in looked
    # Released is not gone: the birth history stays held.
    assert SECRET_BIRTH not in owner.get(f"/p/{her_passport.pk}/birth_history/").content.decode()


def test_holding_needs_an_opinion_and_reviews_push_the_date(her_passport, people, nurse_reach):
    entry = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_mother", "what_this_means": "x"})
    url = f"/p/{her_passport.pk}/family_history/family_history/{entry.pk}/hold/"
    nurse = login(Client(), people["health_team"])
    assert nurse.post(url, {"step": "hold", "hold-opinion": "  "}).status_code == 400
    assert not HeldBack.objects.exists()
    assert nurse.post(url, {"step": "hold", "hold-opinion": "Serious harm"}).status_code == 302
    hold = HeldBack.objects.get()
    assert (hold.review_due_on - TODAY).days in range(181, 185)  # six months on
    HeldBack.objects.filter(pk=hold.pk).update(review_due_on=TODAY)
    assert nurse.post(url, {"step": "review", "review-note": ""}).status_code == 400
    assert nurse.post(url, {"step": "review", "review-note": "Still met"}).status_code == 302
    hold.refresh_from_db()
    assert (hold.review_due_on - TODAY).days in range(181, 185)
    assert hold.reviews.count() == 1
    # A second hold on a held entry is not offered, and posting one anyway changes nothing.
    assert nurse.post(url, {"step": "hold", "hold-opinion": "Again"}).status_code == 403
    assert HeldBack.objects.count() == 1


def test_the_nurse_sees_the_review_and_the_release_to_plan(her_passport, people, held):
    page = login(Client(), people["health_team"]).get(f"/p/{her_passport.pk}/").content.decode()
    # Born 1 June 2011: care is due to end on 1 June 2029; plan the release by 1 March 2029.
    assert "Plan its release with them by 1 March 2029" in page
    assert "Review the hold by" in page
    for basis in ("owner", "grant"):
        page = login(Client(), people[basis]).get(f"/p/{her_passport.pk}/").content.decode()
        assert "held back" not in page.lower()


def test_no_audit_row_names_held_content(held):
    for event in AuditEvent.objects.all():
        assert SECRET_FAMILY not in str(event.__dict__)


def test_the_nurse_can_hold_an_entry_back_as_she_adds_it(her_passport, people):
    nurse = login(Client(), people["health_team"])
    url = f"/p/{her_passport.pk}/family_history/family_history/add/"
    entry = {"relative": "birth_father", "condition": SECRET_FAMILY,
             "what_this_means": "Testing is possible from 18.", "privacy": "auto"}
    # Ticked without an opinion: nothing is added at all.
    response = nurse.post(url, entry | {"hold-hold_back": "on"})
    assert response.status_code == 400
    assert not FamilyHistory.objects.exists() and not HeldBack.objects.exists()
    response = nurse.post(url, entry | {"hold-hold_back": "on", "hold-opinion": "Serious harm"})
    assert response.status_code == 302
    added = FamilyHistory.objects.get()
    assert HeldBack.objects.get().entry_id == added.pk
    owner = login(Client(), people["owner"])
    assert SECRET_FAMILY not in owner.get(f"/p/{her_passport.pk}/family_history/").content.decode()
    looked = owner.get(f"/p/{her_passport.pk}/who-has-looked/").content.decode()
    assert "added to Family health history" not in looked


def test_after_care_the_former_team_still_reviews_and_releases(her_passport, people, held):
    from passport.models import Passport

    Passport.objects.filter(pk=her_passport.pk).update(
        care_ended_on=TODAY - datetime.timedelta(days=1), care_outcome="care_leaver",
        control="self_managed")
    nurse = login(Client(), people["health_team"])
    assert nurse.get(f"/p/{her_passport.pk}/family_history/").status_code == 404  # no basis
    tasks = nurse.get("/tasks/").content.decode()
    assert "Care has ended: plan releasing an entry held back" in tasks
    hold = HeldBack.objects.get(entry_id=held["family_history"].pk)
    url = f"/holds/{hold.pk}/"
    page = nurse.get(url)
    assert page.status_code == 200 and SECRET_FAMILY in page.content.decode()
    # Only the hold: nothing else of her passport opens for the former team.
    assert nurse.get(f"/p/{her_passport.pk}/conditions/").status_code == 404
    for basis in ("owner", "grant", "placement"):
        assert login(Client(), people[basis]).get(url).status_code == 404, basis
    response = nurse.post(url, {"step": "release", "release-conversation_on": TODAY.isoformat(),
                                "release-release_note": "Talked it through at her flat."})
    assert response.status_code == 302
    owner = login(Client(), people["owner"]).get(f"/p/{her_passport.pk}/family_history/")
    assert SECRET_FAMILY in owner.content.decode()
    assert nurse.get(url).status_code == 404  # released: the door closes again
