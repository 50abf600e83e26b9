"""/api/v1/passports/<id>/conditions/condition/: the same actions and policy as the pages."""

import pytest
from rest_framework.test import APIClient

from passport.models import AuditEvent, Condition, Revision
from tests.conftest import login


@pytest.fixture
def api():
    return APIClient()


def url(passport, entry=None, suffix=""):
    base = f"/api/v1/passports/{passport.pk}/conditions/condition/"
    return base + (f"{entry.pk}/" if entry else "") + suffix


def test_it_lists_entries_for_her_nurse(api, her_passport, her_nurse, asthma):
    response = login(api, her_nurse).get(url(her_passport))
    assert response.status_code == 200
    assert [e["name"] for e in response.json()] == ["Asthma"]
    assert response.json()[0]["version"] == 1


def test_it_logs_her_nurses_read_with_its_basis(api, her_passport, her_nurse, asthma):
    login(api, her_nurse).get(url(her_passport))
    event = AuditEvent.objects.filter(passport=her_passport, action="section_viewed").get()
    assert (event.actor, event.basis, event.section) == (her_nurse, "health_team", "conditions")


def test_the_young_persons_own_reads_are_not_logged(api, her_passport, young_person, asthma):
    response = login(api, young_person).get(url(her_passport))
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="section_viewed").exists()


@pytest.mark.parametrize("who", ["stranger", "other_nurse"])
def test_it_hides_the_passport_from_others(api, request, her_passport, asthma, who):
    api = login(api, request.getfixturevalue(who))
    assert api.get(url(her_passport)).status_code == 404
    assert api.get(url(her_passport, asthma)).status_code == 404
    assert api.post(url(her_passport), {"kind": "allergy", "name": "x"},
                    format="json").status_code in (403, 404)
    assert Condition.objects.count() == 1


def test_anonymous_callers_are_refused(api, her_passport, asthma):
    assert api.get(url(her_passport)).status_code == 403


def test_her_nurse_adds_an_entry(api, her_passport, her_nurse):
    response = login(api, her_nurse).post(url(her_passport), {
        "kind": "allergy", "name": "Latex", "details": "Hives", "is_private": False,
    }, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["added_by_young_person"] is False
    assert response["ETag"] == f'"{body["id"]}-v1"'
    assert Condition.objects.get(pk=body["id"]).name == "Latex"


def test_an_entry_the_young_person_adds_is_marked_as_hers(api, her_passport, young_person):
    response = login(api, young_person).post(url(her_passport), {
        "kind": "medicine", "name": "Hay fever tablets"}, format="json")
    assert response.status_code == 201
    assert response.json()["added_by_young_person"] is True


def test_fields_a_caller_may_not_set_are_refused(api, her_passport, her_nurse):
    response = login(api, her_nurse).post(url(her_passport), {
        "kind": "allergy", "name": "Latex", "added_by_young_person": True, "version": 9,
    }, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"added_by_young_person", "version"}
    assert Condition.objects.count() == 0


def test_bad_input_gets_a_clear_error_and_changes_nothing(api, her_passport, her_nurse):
    response = login(api, her_nurse).post(url(her_passport), {
        "kind": "rash", "name": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["title"]
    assert {"kind", "name"} <= set(body["errors"])
    assert Condition.objects.count() == 0 and Revision.objects.count() == 0


def test_a_change_needs_if_match(api, her_passport, her_nurse, asthma):
    response = login(api, her_nurse).patch(url(her_passport, asthma), {
        "details": "x", "reason": "y"}, format="json")
    assert response.status_code == 428
    assert Condition.objects.get(pk=asthma.pk).version == 1


def test_a_change_with_the_current_etag_is_saved(api, her_passport, her_nurse, asthma):
    api = login(api, her_nurse)
    tag = api.get(url(her_passport, asthma))["ETag"]
    response = api.patch(url(her_passport, asthma), {"details": "Once a day",
                                                     "reason": "Review"},
                         format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] != tag
    history = api.get(url(her_passport, asthma, "revisions/")).json()
    assert [(r["version"], r["reason"]) for r in history] == [(2, "Review"), (1, None)]
    assert history[0]["changed_by"] == "Priya Shah"


def test_a_change_with_a_stale_etag_is_refused(api, her_passport, her_nurse, asthma):
    api = login(api, her_nurse)
    tag = api.get(url(her_passport, asthma))["ETag"]
    assert api.patch(url(her_passport, asthma), {"details": "first", "reason": "a"},
                     format="json", HTTP_IF_MATCH=tag).status_code == 200
    response = api.patch(url(her_passport, asthma), {"details": "second", "reason": "b"},
                         format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert "Someone else changed this" in response.json()["detail"]
    assert Condition.objects.get(pk=asthma.pk).details == "first"


def test_a_change_needs_a_reason(api, her_passport, her_nurse, asthma):
    api = login(api, her_nurse)
    tag = api.get(url(her_passport, asthma))["ETag"]
    response = api.patch(url(her_passport, asthma), {"details": "x"}, format="json",
                         HTTP_IF_MATCH=tag)
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_the_young_person_cannot_rewrite_her_nurses_entry(api, her_passport, young_person,
                                                          asthma):
    api = login(api, young_person)
    tag = api.get(url(her_passport, asthma))["ETag"]
    response = api.patch(url(her_passport, asthma), {"name": "Nothing", "reason": "no"},
                         format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 403
    assert Condition.objects.get(pk=asthma.pk).name == "Asthma"


def test_writes_need_the_csrf_token_in_a_browser_session(her_passport, her_nurse):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, her_nurse)
    response = client.post(url(her_passport), {"kind": "allergy", "name": "Latex"},
                           content_type="application/json")
    assert response.status_code == 403
    assert Condition.objects.count() == 0
