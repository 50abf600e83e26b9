"""Notes for me (decision 0058): a note she keeps to herself alone. Nobody else reads it in the
app, by any basis, page or API, not even break glass; it is never printed, sent as FHIR or
counted; her own data download holds it; her page tells her so."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from passport.access import breakglass
from passport.access.policy import reach
from passport.models import MyNote, Role
from passport.records import actions
from tests.conftest import current_code, login, make_user, second_factor
from tests.support.people import her_people

SECRET = "The new boyfriend frightens me"


@pytest.fixture
def note(her_passport, young_person):
    return actions.do_add_entry(reach(young_person, her_passport.pk), MyNote,
                                {"about": "Private", "note": SECRET})


@pytest.fixture
def others(her_passport, her_nurse, admin_user):
    everything = ["about_me", "contacts", "immunisations", "birth_history", "family_history",
                  "conditions", "assessments", "health_plan", "wellbeing",
                  "appointments"]
    return her_people(her_passport, everything) | {
        "health_team": her_nurse, "admin": admin_user,
        "stranger": make_user("nosy", Role.CARER, "Nosy Neighbour")}


def _urls(passport, entry) -> list[tuple[str, str]]:
    page = f"/p/{passport.pk}/my_notes/"
    api = f"/api/v1/passports/{passport.pk}/my_notes/"
    return [("page", page), ("page", f"{page}my_note/{entry.pk}/edit/"),
            ("page", f"{page}my_note/{entry.pk}/history/"), ("api", api),
            ("api", f"{api}my_note/{entry.pk}/"), ("api", f"{api}my_note/{entry.pk}/revisions/"),
            ("api", f"/api/v1/passports/{passport.pk}/fhir/"),
            ("page", f"/p/{passport.pk}/"), ("page", "/")]


def test_nobody_but_her_reads_it_by_any_basis(her_passport, note, others):
    for who, user in others.items():
        clients = {"page": login(Client(), user), "api": login(APIClient(), user)}
        for kind, url in _urls(her_passport, note):
            response = clients[kind].get(url)
            body = response.content.decode()
            assert SECRET not in body, (who, url)
            if str(note.pk) not in url:  # (a refusal's page echoes its own address)
                assert str(note.pk) not in body, (who, url)
            if "my_note" in url or url.endswith("/my_notes/"):
                assert response.status_code in (403, 404), (who, url, response.status_code)


def test_break_glass_never_opens_it(her_passport, note, her_nurse):
    from django.core.exceptions import ValidationError

    safeguarding = make_user("nurse.nia", Role.NURSE, "Nia Roberts")
    safeguarding.named_safeguarding_nurse = True
    safeguarding.save()
    second_factor(safeguarding)
    with pytest.raises(ValidationError) as refused:
        breakglass.do_break_glass(safeguarding, her_passport, section="my_notes",
                                  reason="Found unconscious in the park, need to know more",
                                  code=current_code(safeguarding))
    assert "section" in refused.value.message_dict


def test_it_is_hers_her_download_holds_it_and_her_page_says_who_can_read_it(
        her_passport, note, young_person):
    client = login(Client(), young_person)
    page = client.get(f"/p/{her_passport.pk}/my_notes/").content.decode()
    assert SECRET in page
    assert "Only you" in page and "Private: you and your health team only" not in page
    assert "Only you can see them in the app" in page and "never in your booklet" in page
    assert 'name="privacy"' not in page  # nothing to choose: hers alone
    assert "Notes for me" in client.get("/").content.decode()
    download = client.get(f"/p/{her_passport.pk}/my-data/")
    data = json.loads(b"".join(download.streaming_content) if download.streaming
                      else download.content)
    assert SECRET in json.dumps(data["sections"]["my_notes"])


def test_she_writes_and_changes_it_through_the_usual_actions(her_passport, note, young_person):
    from passport.models import AuditEvent

    changed = actions.do_amend_entry(reach(young_person, her_passport.pk), note,
                                     expected_version=note.version, reason="Shorter",
                                     changes={"note": "Better now"})
    assert changed.version == 2 and changed.is_private
    logged = AuditEvent.objects.filter(passport=her_passport, section="my_notes")
    assert {e.action for e in logged} == {"entry_added", "entry_amended"}
    assert all(SECRET not in str(e.__dict__) for e in logged)


def test_a_type_of_another_section_is_not_found(her_passport, note, young_person):
    """The walk's nurse: a mistyped address was a server error."""
    client = login(Client(), young_person)
    assert client.get(f"/p/{her_passport.pk}/conditions/my_note/{note.pk}/history/"
                      ).status_code == 404


def test_her_own_medicine_form_asks_in_her_words_and_says_who_else_sees_it(
        her_passport, young_person, admin_user):
    """The walk's Chloe: her vitamins, added 'as usual', reached her carer, and nothing on
    her page said so; her form asked for a SNOMED CT code."""
    from django.utils import timezone

    from passport.access import sharing

    carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, her_passport, carer, timezone.localdate())
    page = login(Client(), young_person).get(f"/p/{her_passport.pk}/conditions/"
                                             ).content.decode()
    assert "Besides your health team, Kim Lee (your carer) can see what is not marked " \
           "private here." in page
    assert "Private: only me and my health team" in page
    assert "like my carer" in page
    assert "SNOMED" not in page
    notes = login(Client(), young_person).get(f"/p/{her_passport.pk}/my_notes/").content
    assert b"Besides your health team" not in notes
