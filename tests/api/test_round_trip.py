"""No edit loses data, through the API, for every entry type: what a GET gives, sent
back untouched, changes nothing (same JSON, same ETag, no revision, no audit of a change); one
changed field changes that field alone; a stale or missing If-Match is refused however little
it changes; a stranger changes nothing."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import AuditEvent, Revision, User
from passport.records import sections
from tests.conftest import login
from tests.support.complete_entries import Added, add_complete_entries

TYPES = sorted(sections.TYPES)


@pytest.fixture
def added(loaded) -> dict[str, Added]:
    return add_complete_entries()


def complete(added: dict[str, Added], type_key: str) -> Added:
    assert type_key in added, f"tests/support/complete_entries.py has no complete {type_key}"
    return added[type_key]


def editor_of(entry: Added) -> APIClient:
    return login(APIClient(), User.objects.get(username=entry.editor))


def url_of(entry: Added) -> str:
    e = entry.entry
    return f"/api/v1/passports/{e.passport_id}/{entry.section}/{e.TYPE}/{e.pk}/"


def read(api: APIClient, url: str) -> tuple[dict, str]:
    response = api.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.json(), response["ETag"]


def content_of(body: dict, entry: Added) -> dict:
    """Everything a writer may send back: the content fields and whether it is private."""
    return {name: body[name] for name in (*type(entry.entry).content_names(), "is_private")}


def as_json(value: Any) -> Any:
    """A value in the form the API gives and takes."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def revisions(entry: Added) -> int:
    return Revision.objects.filter(entry_id=entry.entry.pk).count()


def audit_actions(entry: Added) -> list[str]:
    return sorted(AuditEvent.objects.filter(object_id=entry.entry.pk)
                  .values_list("action", flat=True))


@pytest.mark.parametrize("type_key", TYPES)
def test_an_untouched_save_changes_nothing(added, type_key):
    entry = complete(added, type_key)
    api = editor_of(entry)
    url = url_of(entry)
    body, tag = read(api, url)
    sent = content_of(body, entry)
    assert not [n for n, v in sent.items() if v in (None, "")], f"{type_key}: not complete"
    revisions_before, audit_before = revisions(entry), audit_actions(entry)

    response = api.patch(url, sent | {"reason": "checked"}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 204, (type_key, response.content[:500])
    assert response.content == b"", type_key  # nothing changed, nothing read out
    assert response["ETag"] == tag, type_key
    assert revisions(entry) == revisions_before, type_key
    assert audit_actions(entry) == audit_before, type_key
    assert read(api, url) == (body, tag), type_key


@pytest.mark.parametrize("type_key", TYPES)
def test_one_changed_field_changes_that_field_alone(added, type_key):
    entry = complete(added, type_key)
    api = editor_of(entry)
    url = url_of(entry)
    before, tag = read(api, url)
    name, value = entry.change
    assert as_json(value) != before[name], f"{type_key}: the change changes nothing"
    revisions_before, audit_before = revisions(entry), audit_actions(entry)

    response = api.patch(url, {name: as_json(value), "reason": "corrected"}, format="json",
                         HTTP_IF_MATCH=tag)

    assert response.status_code == 200, (type_key, response.content[:500])
    assert audit_actions(entry) == sorted([*audit_before, "entry_amended"]), type_key
    assert response["ETag"] == f'"{entry.entry.pk}-v{before["version"] + 1}"', type_key
    after, new_tag = read(api, url)
    assert new_tag == response["ETag"], type_key
    differs = {key for key in before if before[key] != after[key]}
    assert differs == {name, "version", "updated_at"}, type_key
    assert after[name] == as_json(value), type_key
    assert revisions(entry) == revisions_before + 1, type_key


@pytest.mark.parametrize("type_key", TYPES)
def test_a_stale_or_missing_if_match_is_refused_even_for_no_change(added, type_key):
    entry = complete(added, type_key)
    api = editor_of(entry)
    url = url_of(entry)
    _first, stale = read(api, url)
    name, value = entry.change
    changed = api.patch(url, {name: as_json(value), "reason": "corrected"}, format="json",
                        HTTP_IF_MATCH=stale)
    assert changed.status_code == 200, (type_key, changed.content[:500])
    current, tag = read(api, url)
    untouched = content_of(current, entry) | {"reason": "checked"}
    revisions_before = revisions(entry)

    refused = api.patch(url, untouched, format="json", HTTP_IF_MATCH=stale)
    assert refused.status_code == 412, (type_key, refused.content[:500])
    assert refused["Content-Type"] == "application/problem+json"
    missing = api.patch(url, untouched, format="json")
    assert missing.status_code == 428, (type_key, missing.content[:500])
    assert missing["Content-Type"] == "application/problem+json"

    assert read(api, url) == (current, tag), type_key
    assert revisions(entry) == revisions_before, type_key


@pytest.mark.parametrize("type_key", TYPES)
def test_a_stranger_changes_nothing(added, stranger, type_key):
    entry = complete(added, type_key)
    api = editor_of(entry)
    url = url_of(entry)
    before, tag = read(api, url)
    name, value = entry.change
    revisions_before, audit_before = revisions(entry), audit_actions(entry)

    outsider = login(APIClient(), stranger)
    response = outsider.patch(url, {name: as_json(value), "reason": "mine now"},
                              format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 404, (type_key, response.content[:500])
    assert outsider.get(url).status_code == 404, type_key
    assert (revisions(entry), audit_actions(entry)) == (revisions_before, audit_before)
    assert read(api, url) == (before, tag), type_key


def test_a_stored_choice_no_longer_offered_goes_back_unchanged(added):
    """A value from before a list of choices changed: the API gives it, so it must take it back
    untouched (as the edit page does), but not accept it as a new choice."""
    entry = complete(added, "plan_action")
    stored = type(entry.entry).objects.get(pk=entry.entry.pk)
    stored.responsible = "health_visitor"  # stored as an earlier release would have
    stored.save(update_fields=["responsible"])
    api, url = editor_of(entry), url_of(entry)
    body, tag = read(api, url)
    untouched = content_of(body, entry) | {"reason": "checked"}

    kept = api.patch(url, untouched, format="json", HTTP_IF_MATCH=tag)
    assert (kept.status_code, kept["ETag"]) == (204, tag), kept.content[:500]
    assert read(api, url) == (body, tag)
    other = api.patch(url, untouched | {"due_on": timezone.localdate().isoformat()}, format="json",
                      HTTP_IF_MATCH=tag)
    assert other.status_code == 200, other.content[:500]
    assert other.json()["responsible"] == "health_visitor"

    moved = api.patch(url, {"responsible": "gp", "reason": "GP now"}, format="json",
                      HTTP_IF_MATCH=other["ETag"])
    assert moved.status_code == 200, moved.content[:500]
    back = api.patch(url, {"responsible": "health_visitor", "reason": "back"}, format="json",
                     HTTP_IF_MATCH=moved["ETag"])
    assert back.status_code == 400
    assert "responsible" in back.json()["errors"]


def test_text_longer_than_todays_limit_goes_back_unchanged(added):
    """Text the API took before the limits were one rule: sent back as it is, it is no change;
    as a new value it is refused."""
    entry = complete(added, "plan_action")
    stored = type(entry.entry).objects.get(pk=entry.entry.pk)
    stored.responsible_name = "Dr " + "A" * 700  # as an earlier release took it
    stored.save(update_fields=["responsible_name"])
    api, url = editor_of(entry), url_of(entry)
    body, tag = read(api, url)
    untouched = content_of(body, entry) | {"reason": "checked"}
    kept = api.patch(url, untouched, format="json", HTTP_IF_MATCH=tag)
    assert (kept.status_code, kept["ETag"]) == (204, tag), kept.content[:500]
    longer = api.patch(url, {"responsible_name": body["responsible_name"] + "B",
                             "reason": "longer"}, format="json", HTTP_IF_MATCH=tag)
    assert longer.status_code == 400
    assert read(api, url) == (body, tag)
