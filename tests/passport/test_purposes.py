"""One item filter with a purpose, and one section view: what a page shows, what a booklet
prints and what an export carries differ only as decision 0041 says (a handout or an export
never holds an entry held back from her, nor an assessment before sign-off, whoever makes it),
and a section's extras are worked out once for every face."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from passport.access import held_back
from passport.access.policy import Purpose, reach
from passport.models import Assessment, FamilyHistory, ImmunisationDose
from passport.outputs import booklet
from passport.records import actions, selectors
from tests.conftest import login


def _held_and_draft(nurse_reach):
    held = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_father", "condition": "Huntington's disease",
        "what_this_means": "Held until a planned conversation."})
    held_back.do_hold_back(nurse_reach, held, opinion="Serious harm now; a planned talk.")
    shown = actions.do_add_entry(nurse_reach, FamilyHistory, {
        "relative": "birth_mother", "condition": "Asthma", "what_this_means": "Ask your GP."})
    draft = actions.do_add_entry(nurse_reach, Assessment, {
        "kind": "review", "outcome": "done",
        "held_on": timezone.localdate() - datetime.timedelta(days=2)})
    return held, shown, draft


def _ids(view, type_key):
    return {e.pk for e in view.of(type_key)}


def test_the_health_team_sees_held_and_unsigned_on_screen_only(nurse_reach):
    held, shown, draft = _held_and_draft(nurse_reach)
    expected = {  # written by hand: (family history ids, assessment ids) per purpose
        Purpose.SCREEN: ({held.pk, shown.pk}, {draft.pk}),
        Purpose.HANDOUT: ({shown.pk}, set()),
        Purpose.EXPORT: ({shown.pk}, set()),
    }
    for purpose, (family, assessments) in expected.items():
        assert _ids(selectors.section_view(nurse_reach, "family_history", purpose),
                    "family_history") == family, purpose
        assert _ids(selectors.section_view(nurse_reach, "assessments", purpose),
                    "assessment") == assessments, purpose


def test_she_sees_neither_for_any_purpose(nurse_reach, young_person, her_passport):
    _held, shown, _draft = _held_and_draft(nurse_reach)
    hers = reach(young_person, her_passport.pk)
    for purpose in Purpose:
        assert _ids(selectors.section_view(hers, "family_history", purpose),
                    "family_history") == {shown.pk}
        assert _ids(selectors.section_view(hers, "assessments", purpose), "assessment") == set()


def test_the_schedule_is_the_same_on_the_page_the_api_and_the_booklet(
        nurse_reach, her_nurse, her_passport, young_person):
    """One computation, three faces: the lines her nurse reads on the page and through the API
    are the lines her booklet prints, but for vaccines she is now too old for (not missing:
    her booklet leaves them out)."""
    actions.do_add_entry(nurse_reach, ImmunisationDose, {
        "vaccine": "6in1", "source": "red_book",
        "given_on": her_passport.born + datetime.timedelta(weeks=8)})
    page = login(Client(), her_nurse).get(
        reverse("section", kwargs={"passport_id": her_passport.pk, "section": "immunisations"}))
    api = login(APIClient(), her_nurse).get(
        reverse("api-schedule", kwargs={"passport_id": her_passport.pk})).json()
    [part] = booklet.gather(reach(young_person, her_passport.pk), ["immunisations"])
    printed = [(line.name, line.status) for line in part.extra["schedule"]]
    assert "past_age_limit" in {line["status"] for line in api}  # so the difference is seen
    assert printed and [(line["name"], line["status"]) for line in api
                        if line["status"] != "past_age_limit"] == printed
    shown = page.context["view"].extra["schedule"]
    assert [(line.name, line.status) for line in shown] == [
        (line["name"], line["status"]) for line in api]
    assert all(str(name) in page.content.decode() for name, _status in printed)
