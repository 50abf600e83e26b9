"""The same refusal gets the same status from the pages and the API (decision 0039): 404 for
an id that means nothing to this person (it does not exist, or it is another passport's), 403
where she knows the thing is there and may not do this. The expected statuses are written here
by hand from the decision, not read from the code."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import Assessment, Control, Passport
from passport.records import actions
from tests.conftest import login


def self_managed(passport):
    Passport.objects.filter(pk=passport.pk).update(control=Control.SELF_MANAGED)


def both(user, page, api, page_data, api_data):
    """(the page's status, the API's status) for the same request, at addresses named as the
    faces name them (so a 404 is the view's answer, never a mistyped address)."""
    on_page = login(Client(), user).post(reverse(*page), page_data)
    on_api = login(APIClient(), user).post(reverse(*api), api_data, format="json")
    return on_page.status_code, on_api.status_code


def at(name, **kwargs):
    return (name, None, None, {k: str(v) for k, v in kwargs.items()})


def test_stopping_a_share_that_is_not_hers_is_not_found_on_both(her_passport, young_person):
    nothing = uuid.uuid4()
    p = her_passport.pk
    assert both(young_person, at("sharing-revoke", passport_id=p, grant_id=nothing),
                at("api-grant-revoke", passport_id=p, grant_id=nothing), {}, {}) == (404, 404)


def test_stopping_a_share_by_someone_who_does_not_manage_it_is_refused_on_both(
        her_passport, her_nurse):
    """Refused before any lookup: the answer never says whether such a share exists."""
    self_managed(her_passport)
    nothing = uuid.uuid4()
    p = her_passport.pk
    assert both(her_nurse, at("sharing-revoke", passport_id=p, grant_id=nothing),
                at("api-grant-revoke", passport_id=p, grant_id=nothing), {}, {}) == (403, 403)


def test_sharing_for_her_when_she_decides_is_refused_on_both(her_passport, her_nurse,
                                                             other_nurse):
    self_managed(her_passport)
    p = her_passport.pk
    data = {"username": other_nurse.username, "sections": ["conditions"]}
    assert both(her_nurse, at("sharing", passport_id=p), at("api-grants", passport_id=p),
                data, data) == (403, 403)


def test_a_contribution_that_is_not_hers_is_not_found_on_both(her_passport, her_nurse):
    nothing = uuid.uuid4()
    p = her_passport.pk
    assert both(her_nurse, at("contributions", passport_id=p),
                at("api-contribution-received", passport_id=p, request_id=nothing),
                {"step": "received", "request_id": str(nothing), "summary": "Seen at clinic"},
                {"summary": "Seen at clinic"}) == (404, 404)


@pytest.fixture
def draft(nurse_reach):
    return actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "review", "outcome": "done",
        "held_on": timezone.localdate() - datetime.timedelta(days=1)})


def test_reviewing_an_action_that_is_not_hers_is_not_found_on_both(her_passport, her_nurse,
                                                                   draft):
    nothing = uuid.uuid4()
    p = her_passport.pk
    assert both(her_nurse, at("assessment", passport_id=p, entry_id=draft.pk),
                at("api-assessment-action-reviews", passport_id=p, entry_id=draft.pk),
                {"step": "review_action", "action_id": str(nothing), "decision": "done",
                 "note": "Done at clinic"},
                {"action": str(nothing), "decision": "done", "note": "Done at clinic"},
                ) == (404, 404)


def test_a_hold_is_not_found_by_whoever_may_not_know_of_holds(her_passport, her_nurse,
                                                              young_person):
    nothing = uuid.uuid4()
    url = reverse("api-hold", kwargs={"passport_id": her_passport.pk, "hold_id": nothing})
    data = {"step": "review", "note": "Still meets the test"}
    assert login(APIClient(), her_nurse).post(url, data, format="json").status_code == 404
    # She reaches her passport but never learns of holds: the same answer (it was 403).
    assert login(APIClient(), young_person).post(url, data, format="json").status_code == 404


def test_adding_an_entry_of_a_kind_the_section_does_not_hold_is_not_found_on_both(
        her_passport, her_nurse):
    """The address names no such kind of entry (it was 403 on the page)."""
    p = her_passport.pk
    data = {"name": "Asthma"}
    assert both(her_nurse, at("entry-add", passport_id=p, section="conditions", type_key="dose"),
                at("api-entries", passport_id=p, section="conditions", type_key="dose"),
                data, data) == (404, 404)


def test_a_not_known_yet_item_belongs_to_the_section_it_is_added_in_on_both(
        her_passport, her_nurse):
    from passport.models import UnknownItem

    p = her_passport.pk
    kind = "not_known_yet"
    both(her_nurse, at("entry-add", passport_id=p, section="birth_history", type_key=kind),
         at("api-entries", passport_id=p, section="family_history", type_key=kind),
         {"item": "Birth weight", "where_to_find": "The maternity unit"},
         {"item": "Father's health", "where_to_find": "Birth family"})
    sections = {u.item: u.section for u in UnknownItem.objects.filter(passport=her_passport)}
    assert sections == {"Birth weight": "birth_history", "Father's health": "family_history"}


def test_a_new_entry_is_added_and_held_back_in_one_step_on_both(her_passport, her_nurse,
                                                               young_person):
    """Her health team holds a new family history entry back as it is added, on either face:
    she never sees it, not even for a moment."""
    from passport.models import FamilyHistory, HeldBack

    p = her_passport.pk
    why = "Seeing it now would be likely to cause serious harm: a planned talk first."
    page, api = both(
        her_nurse, at("entry-add", passport_id=p, section="family_history",
                      type_key="family_history"),
        at("api-entries", passport_id=p, section="family_history", type_key="family_history"),
        {"relative": "birth_mother", "condition": "Huntington's disease",
         "what_this_means": "Talk to your GP.", "hold-hold_back": "on", "hold-opinion": why},
        {"relative": "birth_father", "condition": "Bipolar disorder",
         "what_this_means": "Talk to your GP.", "hold_back_opinion": why})
    assert (page, api) == (302, 201)
    added = set(FamilyHistory.objects.filter(passport=her_passport).values_list("pk", flat=True))
    assert len(added) == 2
    assert set(HeldBack.objects.values_list("entry_id", flat=True)) == added
    hers = login(APIClient(), young_person).get(reverse(
        "api-entries", kwargs={"passport_id": p, "section": "family_history",
                               "type_key": "family_history"}))
    assert hers.status_code == 200 and hers.json() == []


def test_an_entry_whose_hold_fails_is_not_added_either(her_passport, nurse_reach):
    """Added and held in one transaction: when the hold is refused (no opinion recorded), the
    entry is not left behind for her to see."""
    from django.core.exceptions import ValidationError

    from passport.models import FamilyHistory

    with pytest.raises(ValidationError) as refused:
        actions.do_add(nurse_reach, "family_history", "family_history", {
            "relative": "birth_mother", "condition": "Huntington's disease",
            "what_this_means": "Talk to your GP."}, hold_opinion="   ")
    assert "opinion" in refused.value.message_dict
    assert not FamilyHistory.objects.filter(passport=her_passport).exists()
