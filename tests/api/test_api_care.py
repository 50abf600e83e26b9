"""Holds, corrections, placements, care ending, control and break glass through the API: the
same actions and refusals as the pages."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import (
    BreakGlass,
    Condition,
    ControlDecision,
    CorrectionRequest,
    FamilyHistory,
    HeldBack,
    Placement,
    Role,
)
from passport.records import actions
from tests.conftest import current_code, login, make_user

TODAY = timezone.localdate()


def test_a_hold_reviewed_then_released(her_passport, nurse_reach, young_person):
    entry = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": "Huntington's disease",
        "what_this_means": "Talk it through first."})
    nurse, her = login(APIClient(), nurse_reach.user), login(APIClient(), young_person)
    url = f"/api/v1/passports/{her_passport.pk}/holds/"
    body = {"section": "family_history", "type": "family_history", "entry_id": str(entry.pk),
            "opinion": "Serious harm now."}
    assert her.post(url, body, format="json").status_code == 403
    made = nurse.post(url, body, format="json")
    assert made.status_code == 201
    hold = made.json()["id"]
    listed = her.get(f"/api/v1/passports/{her_passport.pk}/family_history/").content.decode()
    assert "Huntington" not in listed
    assert nurse.post(f"{url}{hold}/", {"step": "review", "note": "Still met."},
                      format="json").status_code == 200
    assert nurse.post(f"{url}{hold}/", {"step": "release", "note": "Went gently.",
                                        "conversation_on": TODAY.isoformat()},
                      format="json").status_code == 200
    assert HeldBack.objects.get(pk=hold).released_at is not None
    assert "Huntington" in her.get(
        f"/api/v1/passports/{her_passport.pk}/family_history/").content.decode()


def test_a_correction_asked_and_dealt_with(her_passport, nurse_reach, young_person, asthma):
    her, nurse = login(APIClient(), young_person), login(APIClient(), nurse_reach.user)
    url = f"/api/v1/passports/{her_passport.pk}/conditions/condition/{asthma.pk}/not-right/"
    assert nurse.post(url, {"message": "x"}, format="json").status_code == 403
    assert her.post(url, {"message": "I stopped the inhaler in May."},
                    format="json").status_code == 201
    listed = nurse.get(f"/api/v1/passports/{her_passport.pk}/corrections/").json()
    assert [r["message"] for r in listed] == ["I stopped the inhaler in May."]
    assert her.get(f"/api/v1/passports/{her_passport.pk}/corrections/").json() == []
    done = f"/api/v1/passports/{her_passport.pk}/corrections/{listed[0]['id']}/done/"
    assert her.post(done, {}, format="json").status_code == 403
    assert nurse.post(done, {}, format="json").status_code == 200
    assert CorrectionRequest.objects.get().dealt_with_at is not None
    assert Condition.objects.get(pk=asthma.pk).version == 1  # the entry itself unchanged


def test_placements_control_and_care_ending(her_passport, nurse_reach, young_person):
    carer = make_user("carer.jo", Role.CARER, "Jo Carer")
    placement = Placement.objects.create(passport=her_passport, carer=carer,
                                         started_on=TODAY - datetime.timedelta(days=300),
                                         confirmed_on=TODAY - datetime.timedelta(days=170))
    nurse, her = login(APIClient(), nurse_reach.user), login(APIClient(), young_person)
    url = f"/api/v1/passports/{her_passport.pk}/placements/{placement.pk}/"
    assert her.post(url, {"step": "confirm"}, format="json").status_code == 403
    assert nurse.post(url, {"step": "confirm"}, format="json").status_code == 200
    assert Placement.objects.get(pk=placement.pk).confirmed_on == TODAY
    control = f"/api/v1/passports/{her_passport.pk}/who-manages-sharing/"
    assert nurse.post(control, {"control": "self_managed", "reason": ""},
                      format="json").status_code == 400
    assert not ControlDecision.objects.exists()
    ending = f"/api/v1/passports/{her_passport.pk}/care-ending/"
    assert her.post(ending, {"outcome": "eighteen"}, format="json").status_code in (400, 403)


def test_break_glass_needs_the_code_again(her_passport, other_nurse, admin_user):
    api = login(APIClient(), other_nurse)
    body = {"nhs_number": "943 476 5919", "section": "conditions",
            "reason": "Unconscious in A&E; allergies needed.", "code": "000000"}
    refused = api.post("/api/v1/break-glass/", body, format="json")
    assert refused.status_code in (400, 403)
    assert not BreakGlass.objects.exists()
    assert login(APIClient(), admin_user).post(
        "/api/v1/break-glass/", body | {"code": current_code(admin_user)},
        format="json").status_code in (400, 403)
    assert not BreakGlass.objects.exists()
