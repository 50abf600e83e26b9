"""Contributions from the GP, CAMHS and KITE before a review, the GP's
immunisation catch-up confirmed back, and what the caseload shows of both."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import (
    Area,
    CareEpisode,
    ContributionRequest,
    ImmunisationStatus,
    UnknownItem,
)
from passport.records import actions
from tests.conftest import login

TODAY = timezone.localdate()


@pytest.fixture
def in_care(nurse_reach):
    area = Area.objects.create(name="Stockport")
    return actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": TODAY - datetime.timedelta(days=500), "legal_status": "care_order",
        "placement_type": "foster", "placing_authority": area, "host_area": area.pk})


def caseload_row(client, name="Sam") -> str:
    page = client.get("/").content.decode()
    start = page.index(name, page.index('id="caseload-title"'))  # her row in the table
    return page[start:page.index("</tr>", start)]


def test_a_request_is_awaited_then_received_with_a_summary(her_passport, nurse_reach,
                                                            in_care):
    client = login(Client(), nurse_reach.user)
    url = f"/p/{her_passport.pk}/contributions/"
    response = client.post(url, {"step": "request", "contributor": "camhs",
                                 "contact": "KITE team duty worker"})
    assert response.status_code == 302
    assert "1 contribution awaited" in caseload_row(client)
    request = ContributionRequest.objects.get()
    assert request.requested_on == TODAY and request.received_on is None

    # A summary is needed, and nothing changes without one.
    response = client.post(url, {"step": "received", "request_id": request.pk, "summary": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert ContributionRequest.objects.get().received_on is None

    response = client.post(url, {"step": "received", "request_id": request.pk,
                                 "summary": "Seen fortnightly; sleeping better."})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Seen fortnightly; sleeping better." in page and "Received on" in page
    assert "contribution awaited" not in caseload_row(client)


def test_a_request_in_the_future_or_answered_before_it_was_asked_is_refused(
        her_passport, nurse_reach, in_care):
    client = login(Client(), nurse_reach.user)
    url = f"/p/{her_passport.pk}/contributions/"
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"step": "request", "contributor": "gp",
                                 "requested_on": tomorrow})
    assert response.status_code == 400 and "This date is in the future." in (
        response.content.decode())
    assert not ContributionRequest.objects.exists()
    client.post(url, {"step": "request", "contributor": "gp"})
    request = ContributionRequest.objects.get()
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"step": "received", "request_id": request.pk,
                                 "summary": "Nothing new", "received_on": yesterday})
    assert response.status_code == 400
    assert "This is before the day it was asked for." in response.content.decode()


def test_only_her_health_team_sees_or_asks(her_passport, nurse_reach, young_person, stranger,
                                           in_care, people_placed):
    login(Client(), nurse_reach.user).post(f"/p/{her_passport.pk}/contributions/", {
        "step": "request", "contributor": "camhs", "contact": "Dr Who at CAMHS"})
    for user in (young_person, stranger, people_placed):
        client, api = login(Client(), user), login(APIClient(), user)
        response = client.get(f"/p/{her_passport.pk}/contributions/")
        assert response.status_code in (403, 404)
        assert "Dr Who at CAMHS" not in response.content.decode()
        assert api.post(f"/api/v1/passports/{her_passport.pk}/contributions/",
                        {"contributor": "gp"}, format="json").status_code in (403, 404)
    assert ContributionRequest.objects.count() == 1


@pytest.fixture
def people_placed(her_passport):
    """Her foster carer, who reads some sections but is not her health team."""
    from passport.models import Placement, Role
    from tests.conftest import make_user

    carer = make_user("carer.jo", Role.CARER, "Jo Carer")
    Placement.objects.create(passport=her_passport, carer=carer,
                             started_on=TODAY - datetime.timedelta(days=30),
                             confirmed_on=TODAY)
    return carer


def test_contributions_through_the_api(her_passport, nurse_reach, in_care):
    api = login(APIClient(), nurse_reach.user)
    base = f"/api/v1/passports/{her_passport.pk}/contributions/"
    response = api.post(base, {"contributor": "kite", "requested_by": "x"}, format="json")
    assert response.status_code == 400  # a field a caller may not set
    response = api.post(base, {"contributor": "kite"}, format="json")
    assert response.status_code == 201
    made = response.json()["id"]
    response = api.post(f"{base}{made}/received/", {"summary": "Attending group sessions."},
                        format="json")
    assert response.status_code == 200 and response.json()["received_on"] == TODAY.isoformat()
    assert api.get(base).json()[0]["summary"] == "Attending group sessions."


def test_the_catch_up_is_asked_then_confirmed_back(her_passport, nurse_reach, in_care,
                                                    people_placed):
    client = login(Client(), nurse_reach.user)
    url = f"/p/{her_passport.pk}/immunisations/catch-up/"
    # Confirming before asking is refused and changes nothing.
    client.post(url, {"step": "confirmed"})
    assert not ImmunisationStatus.objects.exists()
    assert client.post(url, {"step": "asked"}).status_code == 302
    assert "Catch-up: waiting for the GP to confirm" in caseload_row(client)
    page = client.get(f"/p/{her_passport.pk}/immunisations/").content.decode()
    assert "waiting for the GP to confirm" in page
    # Her carer cannot record it.
    carer = login(Client(), people_placed)
    assert carer.post(url, {"step": "confirmed"}).status_code in (403, 404)
    assert ImmunisationStatus.objects.get().gp_catch_up_confirmed_on is None
    assert client.post(url, {"step": "confirmed"}).status_code == 302
    status = ImmunisationStatus.objects.get()
    assert (status.gp_catch_up_requested_on, status.gp_catch_up_confirmed_on) == (TODAY, TODAY)
    assert status.version == 2  # each step a version of the status, in its history
    assert "Catch-up" not in caseload_row(client)


def test_the_caseload_counts_history_items_asked_for(her_passport, nurse_reach, in_care):
    for item, status in (("Birth weight", "asked"), ("Gestation", "asked"),
                         ("Father's health", "not_asked")):
        actions.do_add_entry(nurse_reach, UnknownItem, {
            "section": "birth_history" if item != "Father's health" else "family_history",
            "item": item, "status": status})
    assert UnknownItem.objects.count() == 3
    assert "2 history items asked for" in caseload_row(login(Client(), nurse_reach.user))
