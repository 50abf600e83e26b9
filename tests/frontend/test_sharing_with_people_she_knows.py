"""Sharing by choosing someone already in her record (by name and who they are to her), or a
share link for someone without an account; a care leaver's page speaks of after care; problems
are listed at the top; no sharing form makes an account."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from passport.access.policy import reach
from passport.care import placements
from passport.models import (
    Area,
    CareEpisode,
    Contact,
    Grant,
    Passport,
    Placement,
    Role,
    SocialWorkAssignment,
    User,
)
from passport.records import actions
from tests.conftest import login, make_user

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def jay(her_passport, young_person, her_nurse, nurse_reach):
    """18, left care last month as a care leaver; his key worker's placement ended with it; his
    personal adviser stays; his GP is one of his contacts (no account here)."""
    actions.do_change_date_of_birth(nurse_reach, TODAY - relativedelta(years=18, months=2),
                                    reason="Test")
    area = Area.objects.create(name="Stockport", code="E08000007")
    actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": datetime.date(2020, 1, 5), "legal_status": "s20",
        "placement_type": "supported", "placing_authority": area, "host_area": area.pk})
    carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    adviser = make_user("pa.leah", Role.PERSONAL_ADVISER, "Leah Novak")
    Placement.objects.create(passport=her_passport, carer=carer, started_on=TODAY - 900 * DAY,
                             confirmed_on=TODAY - 40 * DAY, ended_on=TODAY - 30 * DAY)
    SocialWorkAssignment.objects.create(passport=her_passport, worker=adviser,
                                        started_at=timezone.now())
    actions.do_add_entry(nurse_reach, Contact, {"role": "gp", "name": "Dr Hannah Bell",
                                                "organisation": "Brinnington Surgery"})
    placements.do_record_care_ending(reach(her_nurse, her_passport.pk), ended_on=TODAY - 30 * DAY,
                                  outcome="care_leaver", adviser_agreed=False, reason="18")
    return {"passport": her_passport, "carer": carer, "adviser": adviser,
            "client": login(Client(), young_person)}


def page(client, passport) -> str:
    response = client.get(f"/p/{passport.pk}/sharing/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_care_leavers_page_speaks_of_after_care_and_names_the_people_he_knows(
        jay, her_nurse):
    html = page(jay["client"], jay["passport"])
    assert "Now you have left care" in html
    for in_care_words in ("Hide from your carer", "nurses only", "while you are in care",
                          "What your social worker gets anyway"):
        assert in_care_words not in html
    # Who they are to him now: his adviser still; his carer and nurse were.
    for label in ("Leah Novak, your personal adviser", "Kim Lee, was your carer",
                  "Priya Shah, was on your health team",
                  "Someone else with a My Health account"):
        assert label in html
    assert "Make a share link for Dr Hannah Bell (GP)" in html
    assert f'href="/p/{jay["passport"].pk}/share-links/?ready=gp#new"' in html


def test_he_shares_with_his_former_carer_by_choosing_her_and_no_account_is_made(jay):
    accounts = User.objects.count()
    response = jay["client"].post(f"/p/{jay['passport'].pk}/sharing/", {
        "person": str(jay["carer"].pk), "sections": ["conditions"]}, follow=True)
    assert "Shared." in response.content.decode()
    grant = Grant.objects.get()
    assert (grant.grantee, grant.sections) == (jay["carer"], ["conditions"])
    assert User.objects.count() == accounts
    kim = login(Client(), jay["carer"])
    assert kim.get(f"/p/{jay['passport'].pk}/conditions/").status_code == 200


def test_problems_are_listed_at_the_top_in_the_order_of_the_form(jay):
    response = jay["client"].post(f"/p/{jay['passport'].pk}/sharing/", {})
    html = response.content.decode()
    assert response.status_code == 400
    summary = html.index('class="error-summary"')
    assert summary < html.index("People who can see it because of their job")
    who = html.index("Who to share with: Choose who to share with, or enter their username.")
    what = html.index("What they can see: Choose at least one thing they can see.")
    assert summary < who < what
    assert not Grant.objects.exists()


def test_family_history_to_a_carer_he_chose_says_why_and_shares_nothing(jay):
    response = jay["client"].post(f"/p/{jay['passport'].pk}/sharing/", {
        "person": str(jay["carer"].pk), "sections": ["family_history", "conditions"],
        "family_history_understood": "on"})
    assert response.status_code == 400
    assert ("Family history is never shared with a carer. Untick it to share the rest."
            in response.content.decode())
    assert not Grant.objects.exists()


def test_someone_not_in_his_record_cannot_be_chosen_by_id(jay, other_nurse, admin_user):
    for stranger in (other_nurse, admin_user):
        response = jay["client"].post(f"/p/{jay['passport'].pk}/sharing/", {
            "person": str(stranger.pk), "sections": ["conditions"]})
        assert response.status_code == 400
        assert stranger.display_name not in response.content.decode()
    assert not Grant.objects.exists()


def test_in_care_the_page_keeps_the_carer_and_council_panels(her_passport, young_person):
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    html = page(login(Client(), young_person), her_passport)
    assert "What your social worker gets anyway" in html
    assert "Now you have left care" not in html
    assert "Priya Shah, your nurse" in html
    assert "nurses only" not in html  # her own words need no go-between


def test_no_way_of_posting_the_form_skips_the_limit_on_username_guesses(jay, other_nurse):
    client, url = jay["client"], f"/p/{jay['passport'].pk}/sharing/"
    for n in range(10):  # the field left empty, or "someone else": both are guesses
        client.post(url, {"person": "" if n % 2 else "username", "username": f"guess{n}",
                          "sections": ["conditions"]})
    for person in ("", "username"):
        response = client.post(url, {"person": person, "username": other_nurse.username,
                                     "sections": ["conditions"]})
        assert "Too many usernames" in response.content.decode(), person
    assert not Grant.objects.exists()
    # Someone chosen from his record is not a guess: still possible.
    chosen = client.post(url, {"person": str(jay["adviser"].pk), "sections": ["conditions"]})
    assert chosen.status_code == 302


def test_a_nurse_managing_sharing_reads_her_contacts_there_as_a_logged_read(
        her_passport, her_nurse):
    from passport.models import AuditEvent

    before = AuditEvent.objects.filter(actor=her_nurse, section="contacts").count()
    assert login(Client(), her_nurse).get(f"/p/{her_passport.pk}/sharing/").status_code == 200
    assert AuditEvent.objects.filter(actor=her_nurse, section="contacts").count() > before
