"""No mass assignment: fields a caller may not set (owner, passport, section, version, grant
fields, workflow state) are refused and change nothing. Two clients with one ETag: exactly one
change is saved, the other is told (412); also with real threads."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from passport.models import Condition, Grant
from tests.conftest import login

FORBIDDEN = {"owner": "00000000-0000-0000-0000-000000000000",
             "passport": "00000000-0000-0000-0000-000000000000", "section": "sexual_health",
             "version": 99, "grantee": "x", "sections": ["conditions"], "state": "signed_off",
             "added_by_young_person": True, "created_by": "x", "id": "x"}


@pytest.mark.parametrize("field", sorted(FORBIDDEN))
def test_fields_a_caller_may_not_set_change_nothing(field, her_passport, her_nurse, asthma):
    api = login(APIClient(), her_nurse)
    url = f"/api/v1/passports/{her_passport.pk}/conditions/condition/"
    before = Condition.objects.count()
    added = api.post(url, {"kind": "allergy", "name": "Nuts", field: FORBIDDEN[field]},
                     format="json")
    assert added.status_code == 400 and field in added.json()["errors"]
    assert Condition.objects.count() == before
    changed = api.patch(f"{url}{asthma.pk}/", {"name": "Changed", "reason": "x",
                                               field: FORBIDDEN[field]},
                        format="json", HTTP_IF_MATCH=f'"{asthma.pk}-v1"')
    assert changed.status_code == 400
    fresh = Condition.objects.get(pk=asthma.pk)
    assert (fresh.name, fresh.version, fresh.passport_id) == ("Asthma", 1, her_passport.pk)
    assert not Grant.objects.exists()


def test_two_clients_one_etag_exactly_one_wins(her_passport, her_nurse, asthma):
    first, second = login(APIClient(), her_nurse), login(APIClient(), her_nurse)
    url = f"/api/v1/passports/{her_passport.pk}/conditions/condition/{asthma.pk}/"
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag
    a = first.patch(url, {"details": "Two puffs", "reason": "review"}, format="json",
                    HTTP_IF_MATCH=etag)
    b = second.patch(url, {"details": "Four puffs", "reason": "review"}, format="json",
                     HTTP_IF_MATCH=etag)
    assert (a.status_code, b.status_code) == (200, 412)
    assert b["Content-Type"] == "application/problem+json"
    assert Condition.objects.get(pk=asthma.pk).details == "Two puffs"


def test_two_clients_one_etag_with_real_threads(committed_db, her_passport, her_nurse,
                                                asthma):
    url = f"/api/v1/passports/{her_passport.pk}/conditions/condition/{asthma.pk}/"
    etag = login(APIClient(), her_nurse).get(url)["ETag"]
    clients = [login(APIClient(), her_nurse) for _n in range(2)]
    barrier, codes = threading.Barrier(2), []

    def write(client, words):
        try:
            barrier.wait(timeout=10)
            codes.append(client.patch(url, {"details": words, "reason": "review"},
                                      format="json", HTTP_IF_MATCH=etag).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(c, w))
               for c, w in zip(clients, ("Two puffs", "Four puffs"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [200, 412], codes
    saved = Condition.objects.get(pk=asthma.pk)
    assert saved.version == 2 and saved.details in ("Two puffs", "Four puffs")
