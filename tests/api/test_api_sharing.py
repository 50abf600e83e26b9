"""Passports, sharing, share links, "hide now", the schedule and "who has looked" through the
API: the same rules as the pages."""

import datetime

from rest_framework.test import APIClient

from passport.models import Control, Grant, ImmunisationDose, Passport, ShareLink
from passport.records import actions
from tests.conftest import login


def self_managed(passport):
    Passport.objects.filter(pk=passport.pk).update(control=Control.SELF_MANAGED)


def test_passports_and_their_sections(her_passport, other_passport, her_nurse, young_person):
    rows = login(APIClient(), her_nurse).get("/api/v1/passports/").json()
    assert [r["id"] for r in rows] == [str(her_passport.pk)]
    assert "health_team" in rows[0]["bases"]
    mine = login(APIClient(), young_person).get(f"/api/v1/passports/{her_passport.pk}/").json()
    assert "owner" in mine["bases"] and {"section": "sexual_health", "title": "Sexual health",
                                         "read": True, "write": True} in mine["sections"]
    assert login(APIClient(), her_nurse).get(
        f"/api/v1/passports/{other_passport.pk}/").status_code == 404


def test_she_shares_and_stops_sharing(her_passport, young_person, other_nurse, admin_user):
    self_managed(her_passport)
    api = login(APIClient(), young_person)
    url = f"/api/v1/passports/{her_passport.pk}/grants/"
    refused = api.post(url, {"username": admin_user.username, "sections": ["conditions"]},
                       format="json")
    unknown = api.post(url, {"username": "nobody-here", "sections": ["conditions"]},
                       format="json")
    assert refused.status_code == unknown.status_code == 400
    assert refused.json()["errors"] == unknown.json()["errors"]  # nothing learnt
    made = api.post(url, {"username": other_nurse.username, "sections": ["conditions"]},
                    format="json")
    assert made.status_code == 201
    assert [g["grantee"] for g in api.get(url).json()] == ["Olu Other"]
    grant = made.json()["id"]
    assert api.post(f"{url}{grant}/revoke/", {}, format="json").status_code == 204
    assert Grant.objects.get(pk=grant).revoked_at is not None
    # Her nurse, while she manages her own sharing, cannot share for her.
    nurse = login(APIClient(), her_passport.assignments.first().professional)
    assert nurse.post(url, {"username": other_nurse.username, "sections": ["conditions"]},
                      format="json").status_code == 403


def test_share_links_and_hide_now(her_passport, young_person, her_nurse):
    self_managed(her_passport)
    api = login(APIClient(), young_person)
    url = f"/api/v1/passports/{her_passport.pk}/share-links/"
    made = api.post(url, {"sections": ["immunisations"], "hours": 24}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert "/share/" in body["url"] and body["code"].replace(" ", "") not in body["url"]
    assert [row["state"] for row in api.get(url).json()] == ["active"]
    assert api.post(f"{url}{body['id']}/revoke/", {}, format="json").status_code == 204
    assert ShareLink.objects.get().revoked_at is not None
    hide = f"/api/v1/passports/{her_passport.pk}/hide-now/"
    assert login(APIClient(), her_nurse).post(hide, {"on": True},
                                              format="json").status_code == 403
    assert api.post(hide, {"on": True}, format="json").status_code == 204
    assert Passport.objects.get(pk=her_passport.pk).hidden_now_since is not None
    assert api.post(hide, {"on": False}, format="json").status_code == 204
    assert Passport.objects.get(pk=her_passport.pk).hidden_now_since is None


def test_the_schedule_and_who_has_looked(her_passport, young_person, nurse_reach):
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "mmr", "given_on": datetime.date(2012, 7, 1), "source": "red_book"})
    nurse = login(APIClient(), nurse_reach.user)
    lines = nurse.get(f"/api/v1/passports/{her_passport.pk}/immunisations/schedule/").json()
    mmr = next(line for line in lines if line["programme"] == "mmr")
    # Born 1 June 2011, one MMR dose at 13 months: the second is due (docs/clinical-rules.md 3),
    # with why.
    assert mmr["status"] in ("due", "overdue") and mmr["why"]
    looked = login(APIClient(), young_person).get(
        f"/api/v1/passports/{her_passport.pk}/who-has-looked/").json()
    assert any("Priya Shah" in look["who"] for look in looked)
    assert nurse.get(f"/api/v1/passports/{her_passport.pk}/who-has-looked/").status_code == 403
