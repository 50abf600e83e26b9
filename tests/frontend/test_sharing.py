"""Sharing, who has looked, and who manages sharing, through the pages."""

import datetime

import pytest
from django.test import Client

from passport.access.policy import reach
from passport.models import Control, ControlDecision, Grant, Passport, Role
from tests.conftest import login, make_user


@pytest.fixture
def dentist(db):
    return make_user("dentist.dee", Role.NURSE, "Dee Dentist")


@pytest.fixture
def self_managed(her_passport):
    Passport.objects.filter(pk=her_passport.pk).update(control=Control.SELF_MANAGED)
    return her_passport


def test_a_self_managing_young_person_shares_and_stops_sharing(self_managed, young_person,
                                                               dentist, asthma):
    client = login(Client(), young_person)
    response = client.post(f"/p/{self_managed.pk}/sharing/", {
        "username": dentist.username, "sections": ["conditions", "immunisations"]},
        follow=True)
    assert "Shared." in response.content.decode()
    dee = login(Client(), dentist)
    assert dee.get(f"/p/{self_managed.pk}/conditions/").status_code == 200
    assert dee.get(f"/p/{self_managed.pk}/assessments/").status_code == 403
    grant = Grant.objects.get()
    client.post(f"/p/{self_managed.pk}/sharing/{grant.pk}/stop/")
    assert dee.get(f"/p/{self_managed.pk}/conditions/").status_code == 404  # at once


def test_family_history_needs_her_confirmation_for_someone_not_in_health(self_managed,
                                                                        young_person):
    friend = make_user("aunt.jo", Role.SOCIAL_WORKER, "Jo Aunt")
    client = login(Client(), young_person)
    response = client.post(f"/p/{self_managed.pk}/sharing/", {
        "username": friend.username, "sections": ["family_history"]})
    assert response.status_code == 400
    assert "Family history is about your birth family" in response.content.decode()
    assert Grant.objects.count() == 0
    client.post(f"/p/{self_managed.pk}/sharing/", {
        "username": friend.username, "sections": ["family_history"],
        "family_history_understood": "on"})
    assert Grant.objects.count() == 1


def test_while_supported_the_nurse_shares_recording_her_wishes(her_passport, her_nurse,
                                                              young_person, dentist):
    own = login(Client(), young_person)
    assert own.post(f"/p/{her_passport.pk}/sharing/", {
        "username": dentist.username, "sections": ["conditions"]}).status_code == 403
    nurse = login(Client(), her_nurse)
    missing = nurse.post(f"/p/{her_passport.pk}/sharing/", {
        "username": dentist.username, "sections": ["conditions"]})
    assert missing.status_code == 400 and "Record what the young person wants" in (
        missing.content.decode())
    nurse.post(f"/p/{her_passport.pk}/sharing/", {
        "username": dentist.username, "sections": ["conditions"],
        "wishes": "She wants her dentist to know about her allergy."})
    assert reach(dentist, her_passport.pk).can("conditions")
    page = own.get(f"/p/{her_passport.pk}/sharing/").content.decode()
    assert "Dee Dentist" in page and "What your social worker gets anyway" in page


def test_who_has_looked_says_it_in_plain_words(her_passport, her_nurse, young_person, asthma):
    login(Client(), her_nurse).get(f"/p/{her_passport.pk}/conditions/")
    login(Client(), young_person).get(f"/p/{her_passport.pk}/conditions/")  # her own: not shown
    page = login(Client(), young_person).get(f"/p/{her_passport.pk}/who-has-looked/")
    body = page.content.decode()
    assert "Priya Shah, your nurse, looked at Conditions, allergies and medicines on" in body
    assert body.count("your nurse, looked at") == 1  # once, and her own reading is not shown


def test_only_she_sees_who_has_looked(her_passport, her_nurse):
    response = login(Client(), her_nurse).get(f"/p/{her_passport.pk}/who-has-looked/")
    assert response.status_code == 403


def test_the_nurse_records_who_manages_sharing_with_the_reason(her_passport, her_nurse,
                                                               young_person):
    client = login(Client(), her_nurse)
    assert client.post(f"/p/{her_passport.pk}/who-manages-sharing/",
                       {"control": "self_managed"}).status_code == 400
    client.post(f"/p/{her_passport.pk}/who-manages-sharing/", {
        "control": "self_managed", "reason": "Judged competent to decide (Gillick), age 15"})
    assert Passport.objects.get(pk=her_passport.pk).control == Control.SELF_MANAGED
    decision = ControlDecision.objects.get()
    assert (decision.decided_by, decision.reason) == (
        her_nurse, "Judged competent to decide (Gillick), age 15")
    own = login(Client(), young_person)
    assert own.post(f"/p/{her_passport.pk}/who-manages-sharing/", {
        "control": "supported", "reason": "x"}).status_code == 403


def test_hiding_conditions_from_her_carer_asks_first_and_tells_the_nurse(self_managed,
                                                                       young_person,
                                                                       her_nurse, asthma):
    import datetime

    from django.utils import timezone

    from passport.models import AuditEvent, Placement

    carer = make_user("carer.sam", Role.CARER, "Sam Jones")
    Placement.objects.create(passport=self_managed, carer=carer, started_on=timezone.localdate(),
                             confirmed_on=timezone.localdate() - datetime.timedelta(days=1))
    sam, own = login(Client(), carer), login(Client(), young_person)
    assert sam.get(f"/p/{self_managed.pk}/conditions/").status_code == 200
    unconfirmed = own.post(f"/p/{self_managed.pk}/sharing/carer/", {"hidden": ["conditions"]})
    assert unconfirmed.status_code == 400
    assert "Your carer uses this to keep you safe" in unconfirmed.content.decode()
    assert sam.get(f"/p/{self_managed.pk}/conditions/").status_code == 200
    own.post(f"/p/{self_managed.pk}/sharing/carer/", {"hidden": ["conditions"],
                                                      "conditions_confirmed": "on"})
    assert sam.get(f"/p/{self_managed.pk}/conditions/").status_code == 403
    assert sam.get(f"/p/{self_managed.pk}/contacts/").status_code == 200
    assert AuditEvent.objects.filter(action="carer_conditions_hidden").exists()
    nurse_page = login(Client(), her_nurse).get(f"/p/{self_managed.pk}/").content.decode()
    assert "hidden conditions, allergies and medicines from their carer" in nurse_page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CALDICOTT, Role.DESIGNATED])
def test_accounts_that_never_read_content_cannot_be_granted_any(self_managed, young_person,
                                                                asthma, role):
    other = make_user(f"no.{role}", role, "No Content")
    response = login(Client(), young_person).post(f"/p/{self_managed.pk}/sharing/", {
        "username": other.username, "sections": ["conditions"]})
    assert response.status_code == 400
    unknown = login(Client(), young_person).post(f"/p/{self_managed.pk}/sharing/", {
        "username": "nobody-has-this-name", "sections": ["conditions"]})
    # The same words for an account that exists and one that does not: no username oracle.
    assert "We could not share with that account" in response.content.decode()
    assert "We could not share with that account" in unknown.content.decode()
    Grant.objects.create(passport=self_managed, grantee=other, granted_by=young_person,
                         granted_at=datetime.datetime.now(datetime.UTC),
                         sections=["conditions"])  # even a grant row made some other way
    assert reach(other, self_managed.pk) is None
    page = login(Client(), other).get(f"/p/{self_managed.pk}/conditions/")
    assert page.status_code in (302, 404) and "Asthma" not in page.content.decode()


def test_only_she_shares_her_sexual_health(her_passport, her_nurse, other_nurse):
    response = login(Client(), her_nurse).post(f"/p/{her_passport.pk}/sharing/", {
        "username": other_nurse.username, "sections": ["sexual_health"], "wishes": "x"})
    assert response.status_code == 400
    assert "Only the young person can share her sexual health." in response.content.decode()
    assert Grant.objects.count() == 0


def test_a_carer_never_reads_family_history_even_after_the_placement(self_managed,
                                                                      young_person):
    from django.utils import timezone

    carer = make_user("carer.old", Role.CARER, "Old Carer")
    refused = login(Client(), young_person).post(f"/p/{self_managed.pk}/sharing/", {
        "username": carer.username, "sections": ["family_history"],
        "family_history_understood": "on"})
    assert refused.status_code == 400
    Grant.objects.create(passport=self_managed, grantee=carer, granted_by=young_person,
                         granted_at=timezone.now(), sections=["family_history", "contacts"])
    found = reach(carer, self_managed.pk)
    assert found.can("contacts") and not found.can("family_history")


def test_who_has_looked_shows_changes_to_who_can_see_her_passport(her_passport, young_person,
                                                                  admin_user):
    from django.utils import timezone

    from passport.access import sharing as sharing_actions

    carer = make_user("carer.new", Role.CARER, "New Carer")
    sharing_actions.do_place(admin_user, her_passport, carer, timezone.localdate())
    body = login(Client(), young_person).get(
        f"/p/{her_passport.pk}/who-has-looked/").content.decode()
    assert "recorded where you now live and who looks after you" in body
    # The admin's assignment (conftest), naming whom it added.
    assert "added Priya Shah (Nurse) to your health team" in body


def test_the_sharing_page_names_who_can_see_what(her_passport, young_person, her_nurse,
                                                 admin_user):
    from django.utils import timezone

    from passport.access import sharing as sharing_actions

    carer = make_user("carer.kim", Role.CARER, "Kim Carer")
    sharing_actions.do_place(admin_user, her_passport, carer, timezone.localdate())
    Passport.objects.filter(pk=her_passport.pk).update(placement_hidden=["contacts"])
    body = login(Client(), young_person).get(f"/p/{her_passport.pk}/sharing/").content.decode()
    assert "Priya Shah, your nurse" in body
    assert "Kim Carer, your carer" in body
    carer_line = body[body.index("Kim Carer"):body.index("Kim Carer") + 300]
    assert "Conditions, allergies and medicines" in carer_line and "Contacts" not in carer_line


def test_guessing_usernames_is_limited(self_managed, young_person, dentist):
    client = login(Client(), young_person)
    for n in range(10):
        client.post(f"/p/{self_managed.pk}/sharing/", {"username": f"guess{n}",
                                                       "sections": ["conditions"]})
    response = client.post(f"/p/{self_managed.pk}/sharing/", {
        "username": dentist.username, "sections": ["conditions"]})
    assert response.status_code == 400 and "Too many usernames" in response.content.decode()
    assert Grant.objects.count() == 0


def test_the_nurse_records_her_wishes_beside_every_sharing_decision(her_passport, her_nurse,
                                                                   dentist):
    from passport.models import SharingWishes

    nurse = login(Client(), her_nurse)
    nurse.post(f"/p/{her_passport.pk}/sharing/", {
        "username": dentist.username, "sections": ["conditions"],
        "wishes": "She wants her dentist to know."})
    grant = Grant.objects.get()
    nurse.post(f"/p/{her_passport.pk}/sharing/{grant.pk}/stop/", {})
    assert Grant.objects.get().revoked_at is None  # refused without her wishes
    nurse.post(f"/p/{her_passport.pk}/sharing/{grant.pk}/stop/",
               {"wishes": "She changed dentist."})
    assert Grant.objects.get().revoked_at is not None
    refused = nurse.post(f"/p/{her_passport.pk}/sharing/carer/", {"hidden": ["appointments"]})
    assert refused.status_code == 400
    nurse.post(f"/p/{her_passport.pk}/sharing/carer/", {
        "hidden": ["appointments"], "wishes": "She would rather tell her carer herself."})
    assert Passport.objects.get(pk=her_passport.pk).placement_hidden == ["appointments"]
    kept = sorted((w.decision, w.wishes) for w in SharingWishes.objects.all())
    assert kept == [("carer_view_changed", "She would rather tell her carer herself."),
                    ("grant_revoked", "She changed dentist.")]


def test_the_sharing_form_tells_nothing_about_an_account(self_managed, young_person, her_nurse):
    """An unknown username, a carer asked for family history, a nurse, her own
    name: the same answer for every refusal, each counted towards the same limit, and the
    family-history question asked whoever it is (asking only some would tell who they are)."""
    from django.core.cache import cache

    cache.clear()
    carer = make_user("carer.sam", Role.CARER, "Sam Carer")
    client = login(Client(), young_person)

    def share(username: str, *chosen: str, understood: bool = True):
        data = {"username": username, "sections": list(chosen) or ["conditions"]}
        return client.post(f"/p/{self_managed.pk}/sharing/", data | (
            {"family_history_understood": "on"} if understood else {}))

    def summary(response) -> str:
        body = response.content.decode()
        return body[body.index('class="error-summary"'):].split("</div>")[0]

    refusals = [share("nobody-has-this-name", "family_history"),
                share(carer.username, "family_history"),
                share(young_person.username, "family_history")]
    assert {r.status_code for r in refusals} == {400}
    assert len({summary(r) for r in refusals}) == 1
    assert "We could not share with that account" in summary(refusals[0])
    nurse, unknown = (share(her_nurse.username, "family_history", understood=False),
                      share("nobody-either", "family_history", understood=False))
    assert "Tick the box" in summary(nurse) and "Tick the box" in summary(unknown)
    for n in range(7):  # ten misses in all, whatever the reason
        share(f"guess-{n}")
    assert "Too many usernames" in share(carer.username).content.decode()
    assert not Grant.objects.filter(passport=self_managed).exists()
