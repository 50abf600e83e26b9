"""What each kind of account may do beyond reading sections, from a table typed by hand from
docs/access.md and docs/architecture.md 3 (never read from the code), checked against the
capability functions and against the links the home page shows.

Found while writing it: the home page compared the role with "caldicott", which no account has
(the role is "caldicott_guardian"), so a Caldicott guardian never saw "Break glass to review"."""

import uuid

import pytest
from django.test import Client

from passport.access import capabilities
from passport.models import Organisation, Role
from tests.conftest import login, make_user

# role: (area figures, review break glass, things to do, break glass, invite, caseload's
#        nurses, her own passport, API tokens offered on her home page)
EXPECTED = {
    Role.YOUNG_PERSON:     (0, 0, 0, 0, 0, 0, 1, 0),
    Role.NURSE:            (0, 0, 1, 1, 1, 0, 0, 1),
    Role.DOCTOR:           (0, 0, 1, 1, 1, 0, 0, 1),
    Role.TEAM_LEAD:        (1, 0, 1, 1, 1, 1, 0, 1),
    Role.DESIGNATED:       (1, 0, 0, 0, 0, 0, 0, 0),
    Role.CARER:            (0, 0, 0, 0, 0, 0, 0, 0),
    Role.SOCIAL_WORKER:    (0, 0, 1, 0, 0, 0, 0, 0),
    Role.PERSONAL_ADVISER: (0, 0, 0, 0, 0, 0, 0, 0),
    Role.CALDICOTT:        (0, 1, 0, 0, 0, 0, 0, 0),
    Role.ADMIN:            (0, 0, 0, 0, 1, 0, 0, 1),
    Role.INTEGRATION:      (0, 0, 0, 0, 0, 0, 0, 0),
}
def someone(role):
    """An account of `role` in an organisation, as every professional is."""
    user = make_user(f"someone.{role}", role, "Someone")
    user.organisation = Organisation.objects.create(name="Stockport NHS Foundation Trust")
    user.save()
    return user


LINKS = ("Area figures", "Break glass to review", "Things to do",
         "Break glass (emergencies only)", "Invite someone", "API tokens")


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_account_may_do_what_the_table_says(db, role):
    user = someone(role)
    got = capabilities.of(user)
    assert (got.view_figures, got.review_break_glass, got.tasks, got.break_glass, got.invite,
            got.caseload_nurses, got.own_passport, got.api_tokens_offered) == tuple(
        map(bool, EXPECTED[role]))


# role: (be granted sections, own a passport, make API tokens, must use a second factor,
#        authorise erasure, put back into care, manage care through social work, give a
#        recovery code through social work, lead a health team, invite with a second admin)
MORE = {
    Role.YOUNG_PERSON:     (1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
    Role.NURSE:            (1, 0, 1, 1, 0, 0, 0, 0, 0, 0),
    Role.DOCTOR:           (1, 0, 1, 1, 0, 0, 0, 0, 0, 0),
    Role.TEAM_LEAD:        (1, 0, 1, 1, 1, 0, 0, 0, 1, 0),
    Role.DESIGNATED:       (0, 0, 1, 1, 0, 0, 0, 0, 0, 0),
    Role.CARER:            (1, 0, 1, 1, 0, 0, 0, 0, 0, 0),
    Role.SOCIAL_WORKER:    (1, 0, 1, 1, 0, 0, 1, 0, 0, 0),
    Role.PERSONAL_ADVISER: (1, 0, 1, 1, 0, 0, 0, 1, 0, 0),
    Role.CALDICOTT:        (0, 0, 1, 1, 1, 0, 0, 0, 0, 0),
    Role.ADMIN:            (0, 0, 1, 1, 0, 1, 0, 0, 0, 1),
    Role.INTEGRATION:      (0, 0, 0, 1, 0, 0, 0, 0, 0, 1),
}
# Who each may invite (docs/access.md): an admin every professional, the health team the young
# person and her carer, nobody else anyone.
PROFESSIONALS = {Role.NURSE, Role.DOCTOR, Role.TEAM_LEAD, Role.DESIGNATED, Role.SOCIAL_WORKER,
                 Role.PERSONAL_ADVISER, Role.CALDICOTT, Role.ADMIN, Role.INTEGRATION}
INVITES = {Role.ADMIN: PROFESSIONALS,
           Role.NURSE: {Role.YOUNG_PERSON, Role.CARER},
           Role.DOCTOR: {Role.YOUNG_PERSON, Role.CARER},
           Role.TEAM_LEAD: {Role.YOUNG_PERSON, Role.CARER}}


@pytest.mark.parametrize("role", list(MORE))
def test_each_account_may_do_the_rest_the_table_says(db, role):
    user = someone(role)
    got = (capabilities.can_be_granted(user), capabilities.can_own_passport(user),
           capabilities.can_use_api_tokens(user), capabilities.must_use_second_factor(user),
           capabilities.can_authorise_erasure(user), capabilities.can_reopen_care(user),
           capabilities.manages_care_through_social_work(user),
           capabilities.helps_recovery_through_social_work(user),
           capabilities.leads_health_team(user), capabilities.needs_second_admin(user.role))
    assert got == tuple(map(bool, MORE[role]))
    assert set(capabilities.invitable_roles(user)) == INVITES.get(role, set())


def test_a_young_person_who_may_use_the_admin_needs_a_second_factor(db):
    user = make_user("odd.one", Role.YOUNG_PERSON, "")
    user.is_staff = True
    assert capabilities.must_use_second_factor(user)


def test_an_account_switched_off_authorises_nothing(db):
    user = someone(Role.CALDICOTT)
    user.is_active = False
    assert not capabilities.can_authorise_erasure(user)


def test_a_guardian_of_no_organisation_has_nothing_to_review(db):
    guardian = make_user("guardian.none", Role.CALDICOTT, "Nobody's Guardian")
    assert not capabilities.can_review_break_glass(guardian)


def test_nobody_signed_in_may_do_anything(db):
    from django.contrib.auth.models import AnonymousUser

    assert not any(vars(capabilities.of(AnonymousUser())).values())


@pytest.mark.parametrize("role", [r for r in EXPECTED if r != Role.INTEGRATION])
def test_the_home_page_links_only_what_the_person_may_do(db, role):
    user = someone(role)
    page = login(Client(), user).get("/", follow=True).content.decode()
    shown = {link for link in LINKS if f">{link}</a>" in page}
    figures, review, tasks, glass, invite, _nurses, _own, tokens = EXPECTED[role]
    expected = {link for link, on in zip(LINKS, (figures, review, tasks, glass, invite, tokens),
                                         strict=True) if on}
    assert shown == expected


def test_no_template_decides_by_role():
    """Templates ask `can`; what an account may do is decided in passport/access."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = [f"{path.relative_to(root)}:{n}" for top in ("frontend", "passport")
             for path in (root / top).rglob("*.html")
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if ".role" in line or "is_health_professional" in line]
    assert found == []


# Who may make a booklet of her passport (docs/access.md, the booklet), by how they reach it:
# typed by hand, not read from the code.
BOOKLET = {"owner": True, "share_link": True, "health_team": False,
           "health_team_once_ready": True, "placement": False, "grant": False}


def test_who_may_make_a_booklet_is_the_table(her_passport, young_person, nurse_reach):
    from passport.access import sharelinks
    from passport.access.policy import reach, reach_by_link
    from passport.care import leaver_summary
    from tests.support.people import her_people

    cast = her_people(her_passport, granted=["conditions"])
    link = sharelinks.do_create_link(nurse_reach, sections_=["conditions"],
                                     wishes="For her new GP.")
    got = {"owner": reach(young_person, her_passport.pk),
           "share_link": reach_by_link(link.link, uuid.uuid4()),
           "health_team": nurse_reach,
           "placement": reach(cast["placement"], her_passport.pk),
           "grant": reach(cast["grant"], her_passport.pk)}
    got = {how: capabilities.can_make_booklet(found) for how, found in got.items()}
    leaver_summary.do_save(nurse_reach, {key: {"reviewed": True, "up_to_date": True}
                                         for key in leaver_summary.CHECKED})
    leaver_summary.do_mark_ready(nurse_reach)
    got["health_team_once_ready"] = capabilities.can_make_booklet(
        reach(nurse_reach.user, her_passport.pk))
    assert got == BOOKLET
