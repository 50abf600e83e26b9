"""Every section's page and API endpoint, with the demo loaded: who may open what."""

import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient

from passport.models import Passport, User
from passport.operations import demo
from passport.records import sections
from tests.conftest import login

MIA = uuid.uuid5(demo.NAMESPACE, "yp.demo1")
AHMAD = uuid.uuid5(demo.NAMESPACE, "yp.demo4")


def client_for(username: str, api: bool = False):
    client = APIClient() if api else Client()
    login(client, User.objects.get(username=username))
    return client


@pytest.mark.parametrize("section", sorted(sections.TITLES))
def test_her_nurse_opens_every_section_she_may(loaded, section):
    response = client_for("nurse").get(f"/p/{MIA}/{section}/")
    # Sexual health not without the young person's grant; her notes and services never.
    if section in {"sexual_health", "my_services", "my_notes"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert str(sections.TITLES[section]) in response.content.decode()


@pytest.mark.parametrize("section", sorted(sections.TITLES))
def test_the_young_person_opens_every_section_of_her_own(loaded, section):
    response = client_for("yp.demo1").get(f"/p/{MIA}/{section}/")
    assert response.status_code == 200


# In the demo the carers, the social worker and the adviser reach Mia through their bases
# (tests/frontend/test_permission_matrix.py checks those); these people have none.
@pytest.mark.parametrize("who", ["residential", "designated", "admin", "caldicott",
                                 "yp.demo2"])
def test_people_without_a_basis_get_not_found(loaded, who):
    for section in sections.TITLES:
        assert client_for(who).get(f"/p/{MIA}/{section}/").status_code == 404
        assert client_for(who, api=True).get(
            f"/api/v1/passports/{MIA}/{section}/").status_code == 404


def test_the_team_lead_reaches_her_teams_young_people(loaded):
    response = client_for("teamlead").get("/")
    assert "Mia" in response.content.decode()
    assert client_for("teamlead").get(f"/p/{MIA}/immunisations/").status_code == 200


def test_the_immunisations_page_shows_doses_status_and_what_is_unknown(loaded):
    body = client_for("nurse").get(f"/p/{AHMAD}/immunisations/").content.decode()
    assert "No reliable history: plan as unimmunised" in body
    assert "All vaccinations before arriving in the UK" in body
    assert "Cannot be found" in body


def test_the_young_person_sees_unknown_items_only_when_she_asks(loaded):
    client = client_for("yp.demo1")
    hidden = client.get(f"/p/{MIA}/birth_history/").content.decode()
    assert "Gestation at birth" not in hidden
    assert "Show what is not known yet" in hidden
    shown = client.get(f"/p/{MIA}/birth_history/?unknown=show").content.decode()
    assert "Gestation at birth" in shown


def test_an_unknown_section_is_not_found(loaded):
    assert client_for("nurse").get(f"/p/{MIA}/horoscope/").status_code == 404
    assert client_for("nurse", api=True).get(
        f"/api/v1/passports/{MIA}/horoscope/").status_code == 404


def test_the_section_api_returns_every_entry_type(loaded):
    response = client_for("nurse", api=True).get(f"/api/v1/passports/{MIA}/immunisations/")
    assert response.status_code == 200
    body = response.json()
    assert {e["type"] for e in body["entries"]} == {"dose", "immunisation_status"}
    assert [u["item"] for u in body["not_known_yet"]] == ["Pre-school booster"]


def test_a_nurse_records_a_dose_through_the_api(loaded):
    api = client_for("nurse", api=True)
    url = f"/api/v1/passports/{MIA}/immunisations/dose/"
    response = api.post(url, {"vaccine": "mmr", "given_on": "2024-01-05", "dose_number": 2,
                              "source": "gp_record"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["vaccine"] == "mmr"
    before_birth = api.post(url, {"vaccine": "mmr", "given_on": "2001-01-05",
                                  "source": "gp_record"}, format="json")
    assert before_birth.status_code == 400
    assert before_birth.json()["errors"]["given_on"] == [
        "This date is before the date of birth."]


def test_a_nurse_adds_a_not_known_yet_item_on_the_page(loaded):
    client = client_for("nurse")
    response = client.post(f"/p/{MIA}/contacts/not_known_yet/add/", {
        "item": "Dentist", "where_to_find": "Ask the foster carer", "status": "not_asked",
    }, follow=True)
    assert response.status_code == 200
    assert "Ask the foster carer" in response.content.decode()


def test_a_care_episode_is_recorded_and_shown(loaded):
    passport = Passport.objects.get(pk=AHMAD)
    assert passport.legal_name == "Ahmad Karimi"
    body = client_for("nurse").get(f"/p/{AHMAD}/care/").content.decode()
    assert "Unaccompanied asylum-seeking child (section 20)" in body
    assert "Residential home" in body


def test_the_nurse_changes_a_date_of_birth_and_the_old_one_is_kept(loaded):
    client = client_for("nurse")
    response = client.post(f"/p/{AHMAD}/about_me/date-of-birth/", {
        "date_of_birth": "2011-01-01", "reason": "Age assessment by Stockport Council"},
        follow=True)
    assert "the old one is kept" in response.content.decode()
    page = client.get(f"/p/{AHMAD}/about_me/date-of-birth/").content.decode()
    assert "Age assessment by Stockport Council" in page
    assert "changed to 1 January 2011" in page
    future = client.post(f"/p/{AHMAD}/about_me/date-of-birth/", {
        "date_of_birth": "2999-01-01", "reason": "typo"})
    assert future.status_code == 400
    assert "The date of birth is in the future." in future.content.decode()


def test_the_young_person_changes_only_her_chosen_name(loaded):
    client = client_for("yp.demo1")
    form = client.get(f"/p/{MIA}/about_me/identity/").content.decode()
    assert 'name="chosen_name"' in form and 'name="legal_name"' not in form
    client.post(f"/p/{MIA}/about_me/identity/", {"chosen_name": "Mimi",
                                                  "legal_name": "Someone Else"})
    passport = Passport.objects.get(pk=MIA)
    assert (passport.chosen_name, passport.legal_name) == ("Mimi", "Mia Louise Hartley")
    assert client.get(f"/p/{MIA}/about_me/date-of-birth/").status_code == 403


def test_an_invalid_nhs_number_on_the_page_is_refused(loaded):
    response = client_for("nurse").post(f"/p/{MIA}/about_me/identity/", {
        "legal_name": "Mia Louise Hartley", "nhs_number": "943 476 5918"})
    assert response.status_code == 400
    assert "not a valid NHS number" in response.content.decode()
    assert Passport.objects.get(pk=MIA).nhs_number == "9990001111"


@pytest.mark.parametrize("who", ["fostercarer", "socialworker", "adviser", "yp.demo2"])
def test_others_cannot_change_identity_facts(loaded, who):
    client = client_for(who)
    for url in (f"/p/{MIA}/about_me/identity/", f"/p/{MIA}/about_me/date-of-birth/"):
        response = client.post(url, {"legal_name": "X", "date_of_birth": "2012-01-01",
                                     "reason": "x", "chosen_name": "X"})
        assert response.status_code in (403, 404), (who, url)
    assert Passport.objects.get(pk=MIA).legal_name == "Mia Louise Hartley"


def test_the_young_person_cannot_patch_a_clinical_entry_through_the_api(loaded):
    api = client_for("yp.demo1", api=True)
    entries = api.get(f"/api/v1/passports/{MIA}/immunisations/dose/").json()
    url = f"/api/v1/passports/{MIA}/immunisations/dose/{entries[0]['id']}/"
    tag = api.get(url)["ETag"]
    response = api.patch(url, {"batch": "X", "reason": "mine"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 403


def test_the_care_page_does_not_query_per_episode(loaded, django_assert_max_num_queries):
    client = client_for("nurse")
    with django_assert_max_num_queries(25):
        assert client.get(f"/p/{AHMAD}/care/").status_code == 200


def test_a_vaccine_not_needed_is_not_shown_as_done(admin_user, her_nurse):
    """Had chickenpox means no varicella vaccine is needed, which is not "done"."""
    import datetime

    from django.test import Client

    from passport.access.policy import reach
    from passport.models import ImmunisationStatus
    from passport.records import actions
    from tests.conftest import login

    passport = actions.do_create_passport(admin_user, legal_name="Lily Shaw",
                                          date_of_birth=datetime.date(2021, 2, 1))
    actions.do_assign_professional(admin_user, passport, her_nurse)
    actions.do_add_entry(reach(her_nurse, passport.pk), ImmunisationStatus, {
        "history": "documented", "had_chickenpox": "yes"})
    page = login(Client(), her_nurse).get(f"/p/{passport.pk}/immunisations/").content.decode()
    line = page[page.index("MMRV") - 200:page.index("Had chickenpox")]
    assert "not needed: protected already" in line and "done" not in line
