"""A carer's view of the young person's passport: what she can see, what she cannot, who
decides and whom to ask, in words that never hint at why (docs/access.md 3; hazard log H-30).
Through the real pages."""

import re

import pytest
from django.test import Client

from passport.access import sharing
from passport.access.policy import reach
from passport.access.sharing import PLACEMENT_DEFAULT
from passport.models import Control, PlanAction
from passport.records import actions
from tests.conftest import login
from tests.support.people import decide_sharing, place

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def carer(her_passport, nurse_reach, asthma):
    actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Give her inhaler before PE", "responsible": "carer", "status": "open"})
    return place(her_passport, "carer.sam", "Sam Jones")


def _main(response) -> str:
    body = response.content.decode()
    return CSRF.sub("", body.split("<main", 1)[-1].split("</main>", 1)[0])


def test_she_is_told_what_she_cannot_see_who_decides_and_whom_to_ask(her_passport, carer):
    page = login(Client(), carer)
    overview = _main(page.get(f"/p/{her_passport.pk}/"))
    assert "What you cannot see" in overview
    listed = overview.split("not shared with you:", 1)[1].split("</ul>", 1)[0]
    for title in ("Birth history", "Family health history", "Health assessments",
                  "Sexual health"):
        assert title in listed, title
    for title in ("Conditions, allergies and medicines", "Health plan"):
        assert title not in listed, title
    assert "Sam and their nurse decide who sees each part of the passport" in overview
    assert "ask their health team: Priya Shah" in overview

    refused = page.get(f"/p/{her_passport.pk}/birth_history/")
    assert refused.status_code == 403
    assert "This part of the passport is not shared with you." in _main(refused)
    assert "ask their health team: Priya Shah" in _main(refused)

    decide_sharing(her_passport, Control.SELF_MANAGED)
    overview = _main(page.get(f"/p/{her_passport.pk}/"))
    assert "Sam decides who sees each part of their passport" in overview


def test_what_she_cannot_see_reads_the_same_with_hide_now_on(her_passport, carer,
                                                             young_person):
    """"Hide now" looks, to her carer, exactly like the young person taking the same sections
    out of her view: the overview and each refused page, word for word."""
    decide_sharing(her_passport, Control.SELF_MANAGED)
    hers = reach(young_person, her_passport.pk)
    page = login(Client(), carer)
    # What "hide now" leaves a carer: conditions, contacts, and her own tasks in the plan.
    sharing.do_set_carer_view(hers, [s for s in PLACEMENT_DEFAULT
                                     if s not in ("conditions", "contacts", "health_plan")])
    taken_out = {url: (r.status_code, _main(r)) for url, r in (
        (url, page.get(url)) for url in (
            f"/p/{her_passport.pk}/", f"/p/{her_passport.pk}/appointments/",
            f"/p/{her_passport.pk}/conditions/",
            f"/p/{her_passport.pk}/immunisations/", f"/p/{her_passport.pk}/health_plan/"))}
    sharing.do_set_carer_view(reach(young_person, her_passport.pk), [])
    sharing.do_hide_now(reach(young_person, her_passport.pk), True)
    hidden = {url: (page.get(url).status_code, _main(page.get(url))) for url in taken_out}
    assert hidden == taken_out
    assert taken_out[f"/p/{her_passport.pk}/appointments/"][0] == 403
    assert "Give her inhaler before PE" in taken_out[f"/p/{her_passport.pk}/health_plan/"][1]


def test_her_home_lists_her_own_tasks_and_nothing_else_of_the_plan(her_passport, carer,
                                                                  nurse_reach):
    actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Refer to the asthma clinic", "responsible": "nurse", "status": "open"})
    actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Buy a spacer", "responsible": "carer", "status": "done"})
    home = _main(login(Client(), carer).get("/"))
    assert "The young people you look after" in home
    assert "For you to do (1):" in home and "Give her inhaler before PE" in home
    assert "Refer to the asthma clinic" not in home and "Buy a spacer" not in home
