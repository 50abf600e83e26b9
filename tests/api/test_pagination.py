"""Long lists come in pages in a stable order (limit, offset; X-Total-Count and Link), and
entries can be filtered by when they changed."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import Condition
from passport.records import actions
from tests.conftest import login


def test_entries_come_in_pages_in_a_stable_order(her_passport, nurse_reach):
    for n in range(7):
        actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": f"A{n}"})
    api = login(APIClient(), nurse_reach.user)
    url = f"/api/v1/passports/{her_passport.pk}/conditions/condition/"
    first = api.get(url, {"limit": 3})
    assert [e["name"] for e in first.json()] == ["A0", "A1", "A2"]
    assert first["X-Total-Count"] == "7" and 'rel="next"' in first["Link"]
    assert "offset=3" in first["Link"]
    last = api.get(url, {"limit": 3, "offset": 6})
    assert [e["name"] for e in last.json()] == ["A6"]
    assert 'rel="prev"' in last["Link"] and 'rel="next"' not in last["Link"]
    everything = api.get(url)  # no paging asked: the first 100
    assert len(everything.json()) == 7 and "Link" not in everything
    assert api.get(url, {"limit": 0}).status_code == 400
    assert api.get(url, {"limit": 501}).status_code == 400


def test_entries_changed_since(her_passport, nurse_reach, asthma):
    api = login(APIClient(), nurse_reach.user)
    url = f"/api/v1/passports/{her_passport.pk}/conditions/condition/"
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    earlier = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    assert api.get(url, {"updated_since": later}).json() == []
    assert [e["name"] for e in api.get(url, {"updated_since": earlier}).json()] == ["Asthma"]
    assert api.get(url, {"updated_since": "yesterday"}).status_code == 400
    assert Condition.objects.count() == 1
