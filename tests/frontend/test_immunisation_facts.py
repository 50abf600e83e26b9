"""The facts the schedule needs besides the doses are recorded and used: her sex for
vaccines (a private fact on her identity, recorded by her health team only) and a pregnancy with
its expected date of delivery (so it ends)."""

import datetime

from django.test import Client
from django.utils import timezone

from passport.models import ImmunisationStatus, Passport, Role
from passport.records import actions
from tests.conftest import login, make_user


def _immunisations(client, passport) -> str:
    return client.get(f"/p/{passport.pk}/immunisations/").content.decode()


def test_her_sex_decides_hpv_for_those_born_before_september_2006(her_passport, nurse_reach,
                                                                   her_nurse):
    actions.do_change_date_of_birth(nurse_reach, datetime.date(2004, 5, 1), "Age assessment")
    nurse = login(Client(), her_nurse)
    page = f"/p/{her_passport.pk}/about_me/identity/"
    form = {"legal_name": "Samantha Rose Jones", "chosen_name": "Sam",
            "nhs_number": "943 476 5919", "sex": "male"}
    assert nurse.post(page, form).status_code == 302
    assert "<strong>HPV</strong>" not in _immunisations(nurse, her_passport)  # not offered
    assert nurse.post(page, form | {"sex": "female"}).status_code == 302
    body = _immunisations(nurse, her_passport)
    assert "<strong>HPV</strong>: overdue" in body
    assert nurse.post(page, form | {"sex": ""}).status_code == 302
    assert "boys born before 1 September 2006 were not offered HPV" in _immunisations(
        nurse, her_passport)


def test_saving_her_identity_untouched_keeps_her_sex(her_passport, her_nurse):
    nurse = login(Client(), her_nurse)
    page = f"/p/{her_passport.pk}/about_me/identity/"
    nurse.post(page, {"legal_name": "Samantha Rose Jones", "chosen_name": "Sam",
                      "nhs_number": "943 476 5919", "sex": "female"})
    shown = nurse.get(page).content.decode()
    assert '<option value="female" selected>' in shown
    assert Passport.objects.get(pk=her_passport.pk).sex == "female"


def test_only_she_and_her_health_team_see_it_and_only_they_record_it(her_passport, her_nurse,
                                                                      young_person):
    from passport.access import sharing

    nurse = login(Client(), her_nurse)
    nurse.post(f"/p/{her_passport.pk}/about_me/identity/", {
        "legal_name": "Samantha Rose Jones", "nhs_number": "943 476 5919", "sex": "female"})
    about = f"/p/{her_passport.pk}/about_me/"
    assert "Sex for vaccines and growth charts" in nurse.get(about).content.decode()
    her = login(Client(), young_person)
    assert "Sex for vaccines and growth charts" in her.get(about).content.decode()
    # She may not record it (the form she gets has only her chosen name)...
    her.post(f"/p/{her_passport.pk}/about_me/identity/", {"chosen_name": "Sam", "sex": "male"})
    assert Passport.objects.get(pk=her_passport.pk).sex == "female"
    # ...and a social worker given "about me" does not see it.
    worker = make_user("sw.kim", Role.SOCIAL_WORKER, "Kim Social")
    sharing.do_grant(actions_reach(her_nurse, her_passport), grantee=worker,
                     sections_=["about_me"], until=None, wishes="She asked for it.")
    page = login(Client(), worker).get(about)
    assert page.status_code == 200
    assert "Sex for vaccines and growth charts" not in page.content.decode()


def actions_reach(user, passport):
    from passport.access.policy import reach

    return reach(user, passport.pk)


def test_a_pregnancy_needs_its_expected_date_and_defers_live_vaccines(her_passport,
                                                                     nurse_reach, her_nurse):
    nurse = login(Client(), her_nurse)
    add = f"/p/{her_passport.pk}/immunisations/immunisation_status/add/"
    refused = nurse.post(add, {"history": "documented", "pregnant": "yes", "reason": "Told"})
    assert refused.status_code == 400
    assert "Enter the expected date of delivery." in refused.content.decode()
    assert not ImmunisationStatus.objects.filter(passport=her_passport).exists()
    due = timezone.localdate() + datetime.timedelta(weeks=20)
    saved = nurse.post(add, {"history": "documented", "pregnant": "yes",
                             "expected_delivery_on": due.isoformat(), "privacy": "auto"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    body = _immunisations(nurse, her_passport)
    assert "Measles, mumps and rubella (MMR or MMRV)</strong>: not while pregnant" in body
    assert "Whooping cough vaccine in pregnancy" in body
    assert "RSV vaccine in pregnancy" in body


def test_what_others_read_never_depends_on_her_sex(her_passport, nurse_reach, her_nurse):
    """Review: a male care leaver born before September 2006 had no HPV line while a female
    had one, so anyone reading immunisations could tell. Others read it as if not recorded,
    with the same neutral words, and a standing caveat to check with her health team."""
    from passport.access import sharing

    actions.do_change_date_of_birth(nurse_reach, datetime.date(2004, 5, 1), "Age assessment")
    login(Client(), her_nurse).post(f"/p/{her_passport.pk}/about_me/identity/", {
        "legal_name": "Samantha Rose Jones", "nhs_number": "943 476 5919", "sex": "male"})
    worker = make_user("sw.kim", Role.SOCIAL_WORKER, "Kim Social")
    sharing.do_grant(actions_reach(her_nurse, her_passport), grantee=worker,
                     sections_=["immunisations"], until=None, wishes="She asked for it.")
    client = login(Client(), worker)
    body = _immunisations(client, her_passport)
    assert "<strong>HPV</strong>" in body and "were not offered HPV" in body
    assert "check with them before giving any vaccine" in body
    from rest_framework.test import APIClient

    api = login(APIClient(), worker).get(
        f"/api/v1/passports/{her_passport.pk}/immunisations/schedule/")
    assert api.status_code == 200
    hpv = next(line for line in api.json() if line["programme"] == "hpv")
    assert "were not offered HPV" in hpv["why"]
    assert all(line["status"] != "not_offered" for line in api.json())


def test_a_form_without_the_field_leaves_her_sex_as_it_is(her_passport, her_nurse):
    nurse = login(Client(), her_nurse)
    page = f"/p/{her_passport.pk}/about_me/identity/"
    nurse.post(page, {"legal_name": "Samantha Rose Jones", "sex": "female"})
    nurse.post(page, {"legal_name": "Samantha Rose Jones", "chosen_name": "Sammy"})
    assert Passport.objects.get(pk=her_passport.pk).sex == "female"


def test_a_pregnancy_past_its_expected_date_asks_to_be_updated(her_passport, nurse_reach,
                                                                her_nurse, young_person):
    due = timezone.localdate() - datetime.timedelta(days=10)
    actions.do_add_entry(nurse_reach, ImmunisationStatus, {
        "history": "documented", "pregnant": "yes", "expected_delivery_on": due})
    body = _immunisations(login(Client(), her_nurse), her_passport)
    assert "The expected date of delivery recorded with the pregnancy" in body
    assert "Measles, mumps and rubella (MMR or MMRV)</strong>: not while pregnant" not in body
    # Her own page does not nag her about it: her nurse updates the record.
    assert "has passed" not in _immunisations(login(Client(), young_person), her_passport)
