"""A carer helping a child under 11 say what she thinks before her review, from the carer's own
account (passport/care/before_review.py; decision 0056): only the carer of a current placement,
only for a young child, only while she is being asked; the entry is hers, private and says who
helped; the carer sees only the draft they are writing together, never once it is sent, and
never what she wrote on her own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from passport.access import sharing
from passport.access.policy import reach, visible
from passport.care import before_review
from passport.models import AuditEvent, BeforeReview, Passport, Role
from passport.records import actions
from tests.conftest import make_user

TODAY = timezone.localdate()
SAID = {"going_well": "Swimming", "worries": "Shouting at night", "talk_about": "My ears",
        "where_to_meet": "At home", "who_there": "My carer", "seen_alone": "not_sure"}


def _child(admin_user, her_nurse, *, age: int, review_in_days: int = 20) -> Passport:
    owner = make_user(f"yp.child{age}", Role.YOUNG_PERSON)
    passport = actions.do_create_passport(
        admin_user, legal_name="Mia Test", date_of_birth=TODAY.replace(year=TODAY.year - age),
        owner=owner)
    actions.do_assign_professional(admin_user, passport, her_nurse)
    Passport.objects.filter(pk=passport.pk).update(
        next_assessment_on=TODAY + datetime.timedelta(days=review_in_days),
        next_assessment_kind="review")
    passport.refresh_from_db()
    return passport


@pytest.fixture
def mia(admin_user, her_nurse):
    return _child(admin_user, her_nurse, age=8)


@pytest.fixture
def carer(admin_user, mia):
    carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, mia, carer, TODAY)
    return carer


def _reach(user, passport):
    return reach(user, passport.pk)


def test_a_carer_writes_it_with_her_and_cannot_read_it_once_sent(mia, carer, her_nurse):
    kim = _reach(carer, mia)
    draft = before_review.do_help_write(kim, dict(SAID))
    assert draft.is_private and draft.added_by_young_person and draft.helped_by == carer
    assert draft.sent_on is None
    assert before_review.helping_now(kim).draft.pk == draft.pk
    # Her draft is hers too: she sees it, with who helped; her nurse does not yet.
    hers = _reach(mia.owner, mia)
    assert [e.pk for e in visible(hers, BeforeReview.objects.filter(passport=mia))] == [draft.pk]
    nurse = _reach(her_nurse, mia)
    assert before_review.for_health_team(nurse) == []

    changed = before_review.do_help_write(kim, dict(SAID, worries="Shouting, and my ears"),
                                          expected_version=draft.version)
    sent = before_review.do_send(kim, changed, expected_version=changed.version)
    assert sent.sent_on == TODAY
    assert before_review.helping_now(kim).draft is None
    assert before_review.helping_now(kim).sent_on == TODAY
    assert visible(kim, BeforeReview.objects.filter(passport=mia)) == []
    assert not kim.can("wellbeing")
    read = before_review.for_health_team(nurse)
    assert [(e.pk, e.worries, e.helped_by) for e in read] == [
        (sent.pk, "Shouting, and my ears", carer)]
    # Sent, it is locked: the carer cannot change it either.
    with pytest.raises(PermissionDenied):
        before_review.do_send(kim, sent, expected_version=sent.version)
    assert AuditEvent.objects.filter(actor=carer, action="entry_added",
                                     basis="placement", object_id=draft.pk).exists()
    assert AuditEvent.objects.filter(actor=carer, action="before_review_sent",
                                     basis="placement", object_id=draft.pk).exists()


def test_the_carer_never_sees_what_she_wrote_on_her_own(mia, carer):
    hers = _reach(mia.owner, mia)
    own = actions.do_add_entry(hers, BeforeReview, {"worries": "Kim shouts"})
    kim = _reach(carer, mia)
    assert before_review.helping_now(kim).draft is None
    with pytest.raises(PermissionDenied):
        before_review.do_send(kim, own, expected_version=own.version)
    helped = before_review.do_help_write(kim, {"going_well": "Swimming"})
    assert helped.pk != own.pk
    kept = BeforeReview.objects.get(pk=own.pk)  # hers, unchanged
    assert (kept.version, kept.worries, kept.helped_by) == (own.version, "Kim shouts", None)


def test_another_carer_does_not_see_the_first_carers_draft(mia, carer, admin_user):
    before_review.do_help_write(_reach(carer, mia), {"going_well": "Swimming"})
    other = make_user("carer.sol", Role.CARER, "Sol Day")
    sharing.do_place(admin_user, mia, other, TODAY)  # a new placement ends Kim's
    assert before_review.helping_now(_reach(other, mia)).draft is None
    assert _reach(carer, mia) is None or before_review.helping_now(_reach(carer, mia)) is None


@pytest.mark.parametrize(("age", "review_in_days", "may"), [
    (8, 20, True), (10, 42, True), (11, 20, False), (15, 20, False), (8, 43, False)])
def test_only_a_young_child_and_only_while_she_is_asked(admin_user, her_nurse, age,
                                                         review_in_days, may):
    child = _child(admin_user, her_nurse, age=age, review_in_days=review_in_days)
    carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, child, carer, TODAY)
    kim = _reach(carer, child)
    assert (before_review.helping_now(kim) is not None) is may
    if not may:
        with pytest.raises(PermissionDenied):
            before_review.do_help_write(kim, dict(SAID))


def test_nobody_else_writes_her_words(mia, her_nurse, admin_user):
    gp = make_user("doctor.gp", Role.DOCTOR, "Dr Bell")
    nurse = _reach(her_nurse, mia)
    sharing.do_grant(nurse, grantee=gp, sections_=["wellbeing"], until=None,
                     wishes="She asked for her GP to see it.")
    for who in (nurse, _reach(gp, mia), _reach(mia.owner, mia)):
        assert before_review.helping_now(who) is None
        with pytest.raises(PermissionDenied):
            before_review.do_help_write(who, dict(SAID))


def test_what_a_carer_writes_is_checked_like_any_write(mia, carer):
    kim = _reach(carer, mia)
    with pytest.raises(ValidationError):
        before_review.do_help_write(kim, {"worries": ""})  # nothing said yet
    with pytest.raises(ValidationError):
        before_review.do_help_write(kim, {"is_private": False, "worries": "x"})
    with pytest.raises(ValidationError):
        before_review.do_help_write(kim, {"seen_alone": "<script>"})
    with pytest.raises(ValidationError):
        before_review.do_help_write(kim, {"worries": "x" * 5001})
    assert not BeforeReview.objects.filter(passport=mia).exists()


def test_what_she_adds_herself_is_never_shown_to_the_carer(mia, carer):
    """The reviewer's finding: she could carry on with the draft Kim started and type, on her
    own, what Kim then read. Once she changes it, it is hers alone."""
    kim = _reach(carer, mia)
    helped = before_review.do_help_write(kim, {"going_well": "Swimming"})
    hers = _reach(mia.owner, mia)
    assert before_review.asking(hers).draft.pk == helped.pk  # she may carry on with it
    actions.do_amend_entry(hers, helped, expected_version=helped.version, reason="mine",
                           changes={"worries": "Kim shouts at me"})
    assert before_review.helping_now(kim).draft is None
    with pytest.raises(PermissionDenied):
        before_review.do_send(kim, helped, expected_version=helped.version + 1)
    again = before_review.do_help_write(kim, {"going_well": "Football"})  # a new one, empty
    assert again.pk != helped.pk and again.worries in (None, "")


def test_her_own_draft_is_offered_before_one_written_with_her_carer(mia, carer):
    hers = _reach(mia.owner, mia)
    own = actions.do_add_entry(hers, BeforeReview, {"worries": "Only mine"})
    before_review.do_help_write(_reach(carer, mia), {"going_well": "Swimming"})
    assert before_review.asking(hers).draft.pk == own.pk


def test_hide_now_stops_the_helping(mia, carer):
    kim = _reach(carer, mia)
    before_review.do_help_write(kim, {"going_well": "Swimming"})
    sharing.do_hide_now(_reach(mia.owner, mia), True)
    kim = _reach(carer, mia)
    assert before_review.helping_now(kim) is None
    with pytest.raises(PermissionDenied):
        before_review.do_help_write(kim, {"going_well": "x"})


def test_her_carer_is_not_told_of_a_section_she_is_too_young_for(mia, carer):
    """The walk's Sam: Mia's page listed "Sexual health" among what Sam cannot see."""
    from passport.records import selectors

    hidden = selectors.not_shared(_reach(carer, mia)).sections
    assert "Sexual health" not in hidden and "Family health history" in hidden
