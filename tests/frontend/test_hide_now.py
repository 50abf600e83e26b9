""""Hide now" (docs/access.md): one action narrows every basis but owner and health team to
conditions and emergency contacts (and her carer's own tasks in the health plan); undoing it
leaves every view exactly as before."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from passport.models import (
    AuditEvent,
    Contact,
    Control,
    Passport,
    PlanAction,
    UnknownItem,
)
from passport.records import actions
from tests.conftest import login
from tests.support.people import decide_sharing, her_people

TODAY = timezone.localdate()
SECTIONS = ["about_me", "contacts", "immunisations", "birth_history", "family_history",
            "conditions", "assessments", "health_plan", "wellbeing", "sexual_health",
            "appointments", "my_services", "care"]


@pytest.fixture
def people(her_passport, young_person, her_nurse, nurse_reach, asthma):
    # Every grantable section, sexual health too: only she shares that (see
    # tests/frontend/test_permission_matrix.py).
    decide_sharing(her_passport, Control.SELF_MANAGED)
    cast = her_people(her_passport,
                      granted=[s for s in SECTIONS if s not in {"my_services", "care"}])
    decide_sharing(her_passport, Control.SUPPORTED)
    actions.do_add_entry(nurse_reach, Contact, {"role": "gp", "name": "Dr Patel"})
    actions.do_add_entry(nurse_reach, Contact, {"role": "emergency", "name": "Aunt Jo"})
    actions.do_add_entry(nurse_reach, Contact, {"role": "other", "name": "Uncle Ray",
                                                "is_emergency": True})
    actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Give her inhaler before PE", "responsible": "carer", "status": "open"})
    actions.do_add_entry(nurse_reach, PlanAction, {
        "action": "Refer to the asthma clinic", "responsible": "nurse", "status": "open"})
    actions.do_add_entry(nurse_reach, UnknownItem, {
        "section": "health_plan", "item": "Whether the school nurse has a plan"})
    return cast | {"owner": young_person, "health_team": her_nurse}


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _views(passport, people) -> dict:
    """Every basis's full responses, pages and API, for every section."""
    seen = {}
    for basis, user in people.items():
        page, api = login(Client(), user), login(APIClient(), user)
        for section in SECTIONS:
            for kind, client, url in (
                    ("page", page, f"/p/{passport.pk}/{section}/"),
                    ("api", api, f"/api/v1/passports/{passport.pk}/{section}/")):
                response = client.get(url)
                body = response.content.decode()
                if kind == "page":  # the CSP nonce and CSRF token differ on every request
                    body = body.split("<main", 1)[-1].split("</main>", 1)[0]
                    body = CSRF.sub("", body)
                seen[(basis, section, kind)] = (response.status_code, body)
    return seen


def _without_who_else(body: str) -> str:
    import re

    return re.sub(r"<p>Besides your health team, .*?</p>", "", body)


def test_hide_now_narrows_and_undo_restores_every_view_exactly(her_passport, people):
    before = _views(her_passport, people)
    owner = login(Client(), people["owner"])
    response = owner.post(f"/p/{her_passport.pk}/hide-now/", {"on": "1"})
    assert response.status_code == 302
    hidden = _views(her_passport, people)
    for (basis, section, kind), (status, body) in hidden.items():
        if basis in ("owner", "health_team"):
            # Her page's line on who else sees a section follows "hide now" (it is true);
            # nothing else of hers or her health team's changes.
            was = before[(basis, section, kind)]
            assert (status, _without_who_else(body)) == (was[0], _without_who_else(was[1])), (
                basis, section, kind)
        elif section in ("conditions", "contacts") or (basis, section) == ("placement",
                                                                           "health_plan"):
            # Kept, but never opened: a social worker reads conditions only if granted. Her
            # carer keeps her own tasks (hazard log H-30).
            assert status == before[(basis, section, kind)][0], (basis, section, kind)
            if status != 200:
                continue
            if section == "health_plan":
                assert "Give her inhaler before PE" in body, kind
                assert "Refer to the asthma clinic" not in body, kind
                assert "Whether the school nurse has a plan" not in body, kind
            elif section == "conditions":
                assert "Asthma" in body, (basis, kind)
            else:
                assert "Aunt Jo" in body and "Uncle Ray" in body, (basis, kind)
                assert "Dr Patel" not in body, (basis, kind)
        else:
            assert status == 403, (basis, section, kind, status)
    assert owner.post(f"/p/{her_passport.pk}/hide-now/", {"on": "0"}).status_code == 302
    assert _views(her_passport, people) == before


def test_the_nurse_is_told_and_only_she_can_turn_it_on(her_passport, people):
    for basis in ("health_team", "placement", "grant"):
        response = login(Client(), people[basis]).post(f"/p/{her_passport.pk}/hide-now/",
                                                       {"on": "1"})
        assert response.status_code == 403, basis
    assert Passport.objects.get(pk=her_passport.pk).hidden_now_since is None
    login(Client(), people["owner"]).post(f"/p/{her_passport.pk}/hide-now/", {"on": "1"})
    page = login(Client(), people["health_team"]).get(f"/p/{her_passport.pk}/")
    assert 'turned on "hide now"' in page.content.decode().replace("&quot;", '"')
    assert AuditEvent.objects.filter(action="hide_now_on").count() == 1
    carer_page = login(Client(), people["placement"]).get(f"/p/{her_passport.pk}/")
    assert "hide now" not in carer_page.content.decode().lower()


def test_hide_now_never_opens_sexual_health(her_passport, people):
    login(Client(), people["owner"]).post(f"/p/{her_passport.pk}/hide-now/", {"on": "1"})
    for basis in ("placement", "social_work", "health_team"):
        response = login(Client(), people[basis]).get(f"/p/{her_passport.pk}/sexual_health/")
        assert response.status_code == 403, basis
