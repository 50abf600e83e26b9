"""The bases beyond owner and health team: placement, social work, grant (docs/access.md)."""

import datetime

import pytest
from django.utils import timezone

from passport.access.policy import Action, Basis, reach
from passport.models import Control, Grant, Placement, Role
from passport.records import actions, sections, selectors
from tests.conftest import make_user
from tests.support.people import assign, decide_sharing, place, share

TODAY = timezone.localdate()


@pytest.fixture
def carer(db):
    return make_user("carer.sam", Role.CARER, "Sam Jones")


@pytest.fixture
def placed(her_passport, carer):
    place(her_passport, carer, started_on=TODAY - datetime.timedelta(days=30))
    return Placement.objects.get(passport=her_passport, carer=carer)


def test_a_carer_reads_what_the_placement_column_allows(placed, her_passport, carer):
    found = reach(carer, her_passport.pk)
    assert found.bases == {Basis.PLACEMENT}
    for section, readable in (("conditions", True), ("contacts", True), ("immunisations", True),
                              ("about_me", True), ("health_plan", True),
                              ("appointments", True), ("birth_history", False),
                              ("assessments", False), ("wellbeing", False),
                              ("family_history", False), ("sexual_health", False),
                              ("my_services", False), ("care", False)):
        assert found.can(section) is readable, section
        assert not found.can(section, Action.WRITE)


def test_a_carer_never_reads_family_history_even_by_grant(placed, her_passport, carer,
                                                          young_person):
    # A row no action writes (sharing refuses family history to a carer): the table holds
    # even so.
    Grant.objects.create(passport=her_passport, grantee=carer, granted_by=young_person,
                         granted_at=timezone.now(),
                         sections=["family_history", "birth_history"])
    found = reach(carer, her_passport.pk)
    assert found.can("birth_history")
    assert not found.can("family_history")


@pytest.mark.parametrize("change", [
    {"ended_on": TODAY - datetime.timedelta(days=1)},
    {"confirmed_on": TODAY - datetime.timedelta(days=200)},
    {"started_on": TODAY + datetime.timedelta(days=3)},
])
def test_a_placement_that_ended_or_lapsed_gives_nothing(placed, her_passport, carer, change):
    Placement.objects.filter(pk=placed.pk).update(**change)
    assert reach(carer, her_passport.pk) is None


def test_a_carer_sees_only_the_plan_actions_a_carer_owns(placed, her_passport, carer,
                                                         nurse_reach):
    model = sections.TYPES["plan_action"]
    actions.do_add_entry(nurse_reach, model, {"action": "Dentist", "responsible": "carer",
                                              "status": "open"})
    actions.do_add_entry(nurse_reach, model, {"action": "Blood test", "responsible": "gp",
                                              "status": "open"})
    view = selectors.section_view(reach(carer, her_passport.pk), "health_plan")
    assert [e.action for e in view.groups[0][1]] == ["Dentist"]


def test_a_social_worker_reads_the_plan_while_care_lasts(her_passport, db):
    worker = assign(her_passport, "sw.marcus", "Marcus Reid")
    found = reach(worker, her_passport.pk)
    assert found.can("health_plan") and not found.can("conditions")
    her_passport.__class__.objects.filter(pk=her_passport.pk).update(
        care_ended_on=TODAY - datetime.timedelta(days=1))
    assert reach(worker, her_passport.pk) is None


def test_a_personal_adviser_only_from_16(her_passport, db):
    adviser = assign(her_passport, "pa.leah", "Leah Novak", Role.PERSONAL_ADVISER)
    # her_passport: born 1 June 2011, so 16 on 1 June 2027
    assert reach(adviser, her_passport.pk, today=datetime.date(2027, 5, 31)) is None
    assert reach(adviser, her_passport.pk, today=datetime.date(2027, 6, 1)) is not None


def test_a_grant_opens_its_sections_until_its_date_or_revocation(her_passport, young_person,
                                                                 db):
    dentist = make_user("dentist", Role.NURSE, "Dee Dentist")
    grant = share(her_passport, dentist, ["conditions", "immunisations"],
                  until=TODAY + datetime.timedelta(days=2))
    found = reach(dentist, her_passport.pk)
    assert found.bases == {Basis.GRANT}
    assert found.can("conditions") and found.can("immunisations")
    assert not found.can("assessments") and not found.can("conditions", Action.WRITE)
    assert reach(dentist, her_passport.pk, today=TODAY + datetime.timedelta(days=3)) is None
    Grant.objects.filter(pk=grant.pk).update(revoked_at=timezone.now())
    assert reach(dentist, her_passport.pk) is None


def test_her_nurse_writes_sexual_health_only_when_granted(her_passport, her_nurse,
                                                          young_person):
    assert not reach(her_nurse, her_passport.pk).can("sexual_health")
    decide_sharing(her_passport, Control.SELF_MANAGED)  # only she shares her sexual health
    share(her_passport, her_nurse, ["sexual_health"])
    found = reach(her_nurse, her_passport.pk)
    assert found.can("sexual_health", Action.WRITE)
    assert found.basis_for("sexual_health", Action.READ) is Basis.HEALTH_TEAM
