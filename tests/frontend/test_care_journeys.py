"""Care journeys: when care ends, each outcome of docs/access.md's table the day before and the
day after, for every basis; placements re-confirmed and ended; Staying Put; back into care.
The expectations are copied by hand from docs/access.md, never from the code."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from passport.access import sharelinks
from passport.access.policy import reach
from passport.models import (
    Area,
    AuditEvent,
    BreakGlass,
    CareEpisode,
    Grant,
    HealthTeam,
    Organisation,
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

# docs/access.md, "When care ends", copied by hand: who still reaches the passport the day
# after care ends. (The day before, everyone does: care has not ended.)
AFTER = {
    #              owner  health_team placement social_worker adviser grant share_link
    #              break_glass
    "care_leaver": (True, False, False, False, True, True, True, False),
    "home": (True, False, False, False, False, True, True, False),
    "special_guardianship": (True, False, False, False, False, True, True, False),
    "adopted": (False, False, False, False, False, False, False, False),
}
BASES = ("owner", "health_team", "placement", "social_worker", "adviser", "grant",
         "share_link", "break_glass")


def _age(her_passport, her_nurse, years: int) -> None:
    born = TODAY - relativedelta(years=years, months=2)
    actions.do_change_date_of_birth(reach(her_nurse, her_passport.pk), born, reason="Test")


@pytest.fixture
def people(her_passport, young_person, her_nurse, nurse_reach):
    stockport = Area.objects.create(name="Stockport", code="E08000007")
    actions.do_add_entry(nurse_reach, CareEpisode, {
        "started_on": datetime.date(2020, 1, 5), "legal_status": "care_order",
        "placement_type": "foster", "placing_authority": stockport, "host_area": stockport.pk})
    carer = make_user("carer.sam", Role.CARER, "Sam Jones")
    worker = make_user("sw.marcus", Role.SOCIAL_WORKER, "Marcus Reid")
    adviser = make_user("pa.leah", Role.PERSONAL_ADVISER, "Leah Novak")
    gp = make_user("gp.grace", Role.DOCTOR, "Dr Grace GP")
    Placement.objects.create(passport=her_passport, carer=carer, started_on=TODAY - 99 * DAY,
                             confirmed_on=TODAY - 9 * DAY)
    for person in (worker, adviser):
        SocialWorkAssignment.objects.create(passport=her_passport, worker=person,
                                            started_at=timezone.now())
    Grant.objects.create(passport=her_passport, grantee=gp, granted_by=young_person,
                         granted_at=timezone.now(), sections=["immunisations"])
    # Someone she showed a link to (while supported, her nurse made it), who opened it.
    new = sharelinks.do_create_link(nurse_reach, sections_=["immunisations"],
                                    wishes="She wants her new GP to see it.")
    viewer = Client()
    viewer.get(f"/share/{new.token}/")
    viewer.post("/share/", {"step": "who", "viewer_name": "Dr New", "organisation": "GP"})
    assert viewer.post("/share/", {"step": "code", "code": new.code}).status_code == 302
    # A colleague of her team who broke glass for one section.
    trust = Organisation.objects.create(name="Trust")
    team = HealthTeam.objects.create(organisation=trust, name="Team")
    Passport.objects.filter(pk=her_passport.pk).update(health_team=team)
    colleague = make_user("dr.ali", Role.DOCTOR, "Dr Ali Khan")
    colleague.team, colleague.organisation = team, trust
    colleague.save()
    now = timezone.now()
    BreakGlass(passport=her_passport, user=colleague, section="immunisations", reason="Test",
               opened_at=now, expires_at=now + datetime.timedelta(hours=24), show_from=now,
               review_due_on=TODAY).save(force_insert=True)
    return dict(zip(BASES, (young_person, her_nurse, carer, worker, adviser, gp, viewer,
                            colleague), strict=True))


def _reaches(user, passport) -> bool:
    if isinstance(user, Client):  # the share link's viewer: no account
        status = user.get("/share/").status_code
        assert status in (200, 410), status
        return status == 200
    status = login(Client(), user).get(f"/p/{passport.pk}/immunisations/").status_code
    assert status in (200, 404), status
    return status == 200


def _record_ending(people, passport, ended_on, outcome, adviser_agreed=True):
    data = {"ended_on": ended_on.isoformat(), "outcome": outcome, "reason": "Planned"}
    if adviser_agreed and outcome == "care_leaver":
        data["adviser_agreed"] = "on"
    if outcome == "adopted":
        data["sealing_confirmed"] = "on"
    # The social worker records it (the nurse may too).
    response = login(Client(), people["social_worker"]).post(f"/p/{passport.pk}/care-ending/",
                                                            data)
    assert response.status_code == 302, response.content.decode()[:2000]
    if outcome == "adopted":  # a second person confirms it
        confirm_adoption(passport)


def second_social_worker(passport) -> User:
    second = make_user("sw.ruth", Role.SOCIAL_WORKER, "Ruth Okoro")
    SocialWorkAssignment.objects.create(passport=passport, worker=second,
                                        started_at=timezone.now())
    return second


def confirm_adoption(passport, person=None):
    person = person or second_social_worker(passport)
    return login(Client(), person).post(f"/p/{passport.pk}/care-ending/",
                                        {"step": "confirm_adoption"})


def test_one_person_recording_adopted_seals_nothing_until_a_second_confirms(
        her_passport, her_nurse, people):
    _age(her_passport, her_nurse, 12)
    data = {"ended_on": (TODAY + 10 * DAY).isoformat(), "outcome": "adopted",
            "reason": "Order expected", "sealing_confirmed": "on"}
    recorder = login(Client(), people["social_worker"])
    assert recorder.post(f"/p/{her_passport.pk}/care-ending/", data).status_code == 302
    page = recorder.get(f"/p/{her_passport.pk}/care-ending/").content.decode()
    assert "Adoption: awaiting confirmation" in page and "Confirm the adoption" not in page
    # Not the person who recorded it, nor a carer.
    assert confirm_adoption(her_passport, people["social_worker"]).status_code == 403
    assert confirm_adoption(her_passport, people["placement"]).status_code in (403, 404)
    # The day comes without a second person: nothing is sealed, she still opens it.
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=TODAY - DAY)
    assert _reaches(people["owner"], her_passport)
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=TODAY + 10 * DAY)
    second = second_social_worker(her_passport)
    assert "Confirm the adoption" in login(Client(), second).get(
        f"/p/{her_passport.pk}/care-ending/").content.decode()
    assert confirm_adoption(her_passport, second).status_code == 302
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=TODAY - DAY)
    assert not _reaches(people["owner"], her_passport)  # sealed on the day, now confirmed
    assert AuditEvent.objects.filter(passport=her_passport, action="adoption_confirmed",
                                     actor=second).exists()


@pytest.mark.parametrize("outcome", list(AFTER))
def test_each_outcome_the_day_before_and_the_day_after(her_passport, her_nurse, people,
                                                       outcome):
    _age(her_passport, her_nurse, 17)
    _record_ending(people, her_passport, TODAY + DAY, outcome)  # ends tomorrow
    for basis in BASES:
        assert _reaches(people[basis], her_passport), (outcome, "day before", basis)
    # The same record, seen the day after: move the date back instead of the clock.
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=TODAY - DAY)
    for basis, expected in zip(BASES, AFTER[outcome], strict=True):
        assert _reaches(people[basis], her_passport) is expected, (outcome, "day after", basis)


def test_a_personal_adviser_keeps_access_only_if_she_agreed(her_passport, her_nurse, people):
    _age(her_passport, her_nurse, 18)
    _record_ending(people, her_passport, TODAY - DAY, "care_leaver", adviser_agreed=False)
    assert not _reaches(people["adviser"], her_passport)
    _record_ending_again = login(Client(), people["owner"])
    page = _record_ending_again.get(f"/p/{her_passport.pk}/").content.decode()
    assert "Your care ended on" in page
    assert "Your passport is yours for good: you decide who sees it." in page
    assert "can no longer see your passport" in page


def test_she_can_stop_her_adviser_after_care(her_passport, her_nurse, people):
    _age(her_passport, her_nurse, 18)
    _record_ending(people, her_passport, TODAY - DAY, "care_leaver")
    assert _reaches(people["adviser"], her_passport)
    owner = login(Client(), people["owner"])
    assert "Your personal adviser can still see it" in owner.get(
        f"/p/{her_passport.pk}/").content.decode()
    assert owner.post(f"/p/{her_passport.pk}/adviser/stop/").status_code == 302
    assert not _reaches(people["adviser"], her_passport)


@pytest.mark.parametrize(("years", "she_decides"), [(14, False), (17, True)])
def test_going_home_under_16_is_dormant_and_from_16_hers(her_passport, her_nurse, people,
                                                         years, she_decides):
    _age(her_passport, her_nurse, years)
    _record_ending(people, her_passport, TODAY - DAY, "home")
    owner = login(Client(), people["owner"])
    response = owner.post(f"/p/{her_passport.pk}/sharing/", {
        "username": "sw.marcus", "sections": ["conditions"]})
    assert (response.status_code == 302) is she_decides, response.status_code
    # Stopping a share she can always do, dormant or not.
    grant = Grant.objects.get(grantee=people["grant"])
    assert owner.post(f"/p/{her_passport.pk}/sharing/{grant.pk}/stop/").status_code == 302
    page = owner.get(f"/p/{her_passport.pk}/").content.decode()
    if she_decides:
        assert "you decide who sees it" in page
    else:
        assert "Nobody can change who sees it until you are 16" in page


def test_a_care_leaver_manages_her_own_sharing_from_the_day_care_ends(her_passport, her_nurse,
                                                                      people):
    _age(her_passport, her_nurse, 17)
    Passport.objects.filter(pk=her_passport.pk).update(control="supported")
    _record_ending(people, her_passport, TODAY + DAY, "care_leaver")
    owner = login(Client(), people["owner"])
    share = {"username": "sw.marcus", "sections": ["conditions"]}
    assert owner.post(f"/p/{her_passport.pk}/sharing/", share).status_code == 403
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=TODAY)
    assert owner.post(f"/p/{her_passport.pk}/sharing/", share).status_code == 302


def test_recording_the_end_is_for_the_nurse_and_social_worker_only(her_passport, people):
    data = {"ended_on": TODAY.isoformat(), "outcome": "home"}
    for basis in ("owner", "placement", "adviser", "grant"):
        response = login(Client(), people[basis]).post(f"/p/{her_passport.pk}/care-ending/",
                                                       data)
        assert response.status_code in (403, 404), basis  # 404: an adviser before 16
    assert Passport.objects.get(pk=her_passport.pk).care_ended_on is None
    nurse = login(Client(), people["health_team"])
    bad = nurse.post(f"/p/{her_passport.pk}/care-ending/", {"ended_on": "", "outcome": "x"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    assert Passport.objects.get(pk=her_passport.pk).care_ended_on is None
    assert nurse.post(f"/p/{her_passport.pk}/care-ending/", data).status_code == 302
    episode = CareEpisode.objects.get()
    assert episode.ended_on == TODAY and episode.version == 2  # amended, history kept
    assert AuditEvent.objects.filter(action="care_ending_recorded").count() == 1


# --- placements ----------------------------------------------------------------------------


def test_the_nurse_or_social_worker_reconfirms_and_the_carer_comes_back(her_passport, people):
    lapsed = TODAY - relativedelta(months=6) - DAY
    Placement.objects.update(confirmed_on=lapsed)
    assert not _reaches(people["placement"], her_passport)
    placement = Placement.objects.get()
    for basis in ("placement", "adviser", "grant", "owner"):
        response = login(Client(), people[basis]).post(
            f"/p/{her_passport.pk}/placements/", {"step": "confirm", "placement": placement.pk})
        assert response.status_code in (403, 404), basis
    assert Placement.objects.get().confirmed_on == lapsed
    worker = login(Client(), people["social_worker"])
    page = worker.get(f"/p/{her_passport.pk}/placements/").content.decode()
    assert "Sam Jones" in page and "lapses after" in page
    response = worker.post(f"/p/{her_passport.pk}/placements/",
                           {"step": "confirm", "placement": placement.pk})
    assert response.status_code == 302
    assert Placement.objects.get().confirmed_on == TODAY
    assert _reaches(people["placement"], her_passport)
    looked = login(Client(), people["owner"]).get(f"/p/{her_passport.pk}/who-has-looked/")
    assert "confirmed you still live with your carer" in looked.content.decode()


def test_ending_a_placement_closes_access_on_that_day(her_passport, people):
    nurse = login(Client(), people["health_team"])
    placement = Placement.objects.get()
    url = f"/p/{her_passport.pk}/placements/"
    before_start = (placement.started_on - DAY).isoformat()
    response = nurse.post(url, {"step": "end", "placement": placement.pk,
                                "end-ended_on": before_start})
    assert response.status_code == 400
    assert Placement.objects.get().ended_on is None
    response = nurse.post(url, {"step": "end", "placement": placement.pk,
                                "end-ended_on": (TODAY + DAY).isoformat()})
    assert response.status_code == 302
    assert _reaches(people["placement"], her_passport)  # the day before its end
    Placement.objects.update(ended_on=TODAY)
    assert not _reaches(people["placement"], her_passport)  # the day of its end


def test_staying_put_keeps_what_she_agreed_and_nothing_else(her_passport, her_nurse, people):
    _age(her_passport, her_nurse, 18)
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    _record_ending(people, her_passport, TODAY + DAY, "care_leaver")
    owner = login(Client(), people["owner"])
    placement = Placement.objects.get()
    response = owner.post(f"/p/{her_passport.pk}/placements/", {
        "step": "staying_put", "placement": placement.pk, "stay-sections": ["conditions"]})
    assert response.status_code == 302
    grant = Grant.objects.get(grantee=people["placement"], revoked_at__isnull=True)
    assert grant.sections == ["conditions"]
    born = TODAY - relativedelta(years=18, months=2)
    assert grant.until == born + relativedelta(years=21)
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=TODAY - DAY)
    carer = login(Client(), people["placement"])
    assert carer.get(f"/p/{her_passport.pk}/conditions/").status_code == 200
    assert carer.get(f"/p/{her_passport.pk}/immunisations/").status_code == 403
    # Family history is never a carer's, Staying Put or not.
    response = owner.post(f"/p/{her_passport.pk}/placements/", {
        "step": "staying_put", "placement": placement.pk,
        "stay-sections": ["conditions", "family_history"]})
    assert response.status_code == 400


def test_back_into_care_reopens_as_it_was_and_people_are_reassigned(her_passport, people,
                                                                    admin_user):
    from passport.care import placements

    _record_ending(people, her_passport, TODAY - DAY, "home")
    passport = Passport.objects.get(pk=her_passport.pk)
    placements.do_back_into_care(admin_user, passport)
    passport.refresh_from_db()
    assert passport.care_ended_on is None and passport.care_outcome == ""
    # The old team does not come back by itself: they are reassigned.
    for basis in ("health_team", "placement", "social_worker"):
        assert not _reaches(people[basis], her_passport), basis
    actions.do_assign_professional(admin_user, passport, people["health_team"])
    assert _reaches(people["health_team"], her_passport)
    assert _reaches(people["owner"], her_passport) and _reaches(people["grant"], her_passport)


def test_a_new_placement_ends_the_old_carers_access(her_passport, people, admin_user):
    from passport.access import sharing

    new_carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, Passport.objects.get(pk=her_passport.pk), new_carer, TODAY)
    assert not _reaches(people["placement"], her_passport)
    assert _reaches(new_carer, her_passport)


def test_outcomes_must_fit_her_age_and_adoption_is_confirmed(her_passport, her_nurse, people):
    nurse = login(Client(), people["health_team"])
    url = f"/p/{her_passport.pk}/care-ending/"
    _age(her_passport, her_nurse, 12)
    assert nurse.post(url, {"ended_on": TODAY.isoformat(),
                            "outcome": "care_leaver"}).status_code == 400
    assert nurse.post(url, {"ended_on": TODAY.isoformat(),
                            "outcome": "adopted"}).status_code == 400  # not confirmed
    _age(her_passport, her_nurse, 18)
    assert nurse.post(url, {"ended_on": TODAY.isoformat(), "outcome": "home"}).status_code == 400
    assert Passport.objects.get(pk=her_passport.pk).care_ended_on is None


def test_she_is_told_before_an_adoption_closes_her_passport(her_passport, her_nurse, people):
    _age(her_passport, her_nurse, 12)
    _record_ending(people, her_passport, TODAY + 10 * DAY, "adopted")
    page = login(Client(), people["owner"]).get(f"/p/{her_passport.pk}/").content.decode()
    assert "your passport will be closed on that day" in page
    assert "you decide who sees it" not in page


def test_a_new_placement_ends_an_old_one_with_a_later_recorded_end(her_passport, people,
                                                                  admin_user):
    from passport.access import sharing

    Placement.objects.update(ended_on=TODAY + 30 * DAY)
    new_carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, Passport.objects.get(pk=her_passport.pk), new_carer, TODAY)
    assert not _reaches(people["placement"], her_passport)


def test_the_sharing_page_names_only_who_still_sees_it_after_care(her_passport, her_nurse,
                                                                 people):
    _age(her_passport, her_nurse, 18)
    _record_ending(people, her_passport, TODAY - DAY, "care_leaver", adviser_agreed=False)
    page = login(Client(), people["owner"]).get(f"/p/{her_passport.pk}/sharing/")
    body = page.content.decode()
    assert page.status_code == 200
    by_their_job = body[body.index("because of their job"):body.index(
        "People you have shared with")]
    for name in ("Marcus Reid", "Leah Novak", "Priya Shah", "Sam Jones"):
        assert name not in by_their_job, name
    # Each is offered to share with, as who they were to her.
    for name in ("Marcus Reid, was your social worker", "Leah Novak, your personal adviser",
                 "Priya Shah, was on your health team", "Sam Jones, was your carer"):
        assert name in body, name


def test_over_16_lacking_capacity_stays_supported_after_care(her_passport, her_nurse, people):
    from passport.access import sharing as sharing_actions

    _age(her_passport, her_nurse, 17)
    sharing_actions.do_set_control(reach(her_nurse, her_passport.pk), "supported",
                                   reason="Lacks capacity to manage sharing (assessed).")
    _record_ending(people, her_passport, TODAY - DAY, "care_leaver")
    owner = login(Client(), people["owner"])
    share = {"username": "sw.marcus", "sections": ["conditions"]}
    assert owner.post(f"/p/{her_passport.pk}/sharing/", share).status_code == 403


def test_staying_put_needs_a_care_leaver_ending_first(her_passport, her_nurse, people):
    _age(her_passport, her_nurse, 17)
    Passport.objects.filter(pk=her_passport.pk).update(control="self_managed")
    owner = login(Client(), people["owner"])
    response = owner.post(f"/p/{her_passport.pk}/placements/", {
        "step": "staying_put", "placement": Placement.objects.get().pk,
        "stay-sections": ["conditions"]})
    assert response.status_code == 400
    assert not Grant.objects.filter(grantee=people["placement"]).exists()


def test_an_earlier_confirmation_never_lets_one_person_seal_a_passport(her_passport, her_nurse,
                                                                      people):
    _age(her_passport, her_nurse, 12)
    _record_ending(people, her_passport, TODAY + 10 * DAY, "adopted")  # confirmed by two
    assert Passport.objects.get(pk=her_passport.pk).adoption_confirmed_at is not None
    # One person changes the ending (brought forward to today, in the care episode itself):
    # the confirmation does not carry over.
    episode = CareEpisode.objects.get(passport=her_passport)
    actions.do_amend_entry(reach(her_nurse, her_passport.pk), episode,
                           expected_version=episode.version, reason="Order brought forward",
                           changes={"ended_on": TODAY})
    assert Passport.objects.get(pk=her_passport.pk).adoption_confirmed_at is None
    assert _reaches(people["owner"], her_passport)  # not sealed on one person's word
