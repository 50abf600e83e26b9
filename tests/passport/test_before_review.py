"""Her say before a health review (passport/care/before_review.py; decision 0054): hers alone
while a draft, her health team's once sent, never anyone else's; it stays as it was once sent;
each time her health team reads it, her "who has looked" has a line for it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from passport.access import sharelinks, sharing
from passport.access.policy import reach, reach_by_link, visible
from passport.care import before_review
from passport.models import AuditEvent, BeforeReview, Passport, Role
from passport.records import actions
from tests.conftest import make_user

WORDS = {"going_well": "School is better", "worries": "My teeth hurt",
         "talk_about": "Sleeping", "where_to_meet": "At school", "who_there": "Nobody",
         "seen_alone": "yes"}


@pytest.fixture
def her_reach(her_passport, young_person):
    return reach(young_person, her_passport.pk)


@pytest.fixture
def draft(her_reach):
    return actions.do_add_entry(her_reach, BeforeReview, dict(WORDS))


def _seen_by(who_reach) -> list:
    return visible(who_reach, BeforeReview.objects.filter(passport=who_reach.passport))


def test_a_draft_is_hers_alone(draft, her_reach, nurse_reach):
    assert draft.is_private and draft.added_by_young_person and draft.sent_on is None
    assert _seen_by(her_reach) == [draft]
    assert _seen_by(nurse_reach) == []
    assert before_review.for_health_team(nurse_reach) == []


def test_sent_it_reaches_her_health_team_and_stays_as_it_was(draft, her_reach, nurse_reach):
    sent = before_review.do_send(her_reach, draft, expected_version=draft.version)
    assert sent.sent_on == timezone.localdate()
    assert [e.pk for e in _seen_by(nurse_reach)] == [draft.pk]
    with pytest.raises(ValidationError):
        actions.do_amend_entry(her_reach, sent, expected_version=sent.version, reason="x",
                               changes={"worries": "Nothing"})
    with pytest.raises(ValidationError):
        before_review.do_send(her_reach, sent, expected_version=sent.version)


def test_her_health_team_reading_it_is_in_her_log(draft, her_reach, nurse_reach, her_nurse):
    before_review.do_send(her_reach, draft, expected_version=draft.version)
    read = before_review.for_health_team(nurse_reach)
    assert [e.pk for e in read] == [draft.pk]
    assert AuditEvent.objects.filter(action="before_review_read", actor=her_nurse,
                                     object_id=draft.pk).count() == 1


def test_never_through_a_carer_a_grant_or_a_link(draft, her_reach, her_passport, admin_user,
                                                  nurse_reach):
    sent = before_review.do_send(her_reach, draft, expected_version=draft.version)
    carer = make_user("carer.kim", Role.CARER, "Kim Lee")
    sharing.do_place(admin_user, her_passport, carer, timezone.localdate())
    gp = make_user("doctor.gp", Role.DOCTOR, "Dr Bell")
    sharing.do_grant(nurse_reach, grantee=gp, sections_=["wellbeing"], until=None,
                     wishes="She asked for her GP to see it.")
    link = sharelinks.do_create_link(nurse_reach, sections_=["wellbeing"],
                                     wishes="She asked for a link for her GP.").link
    for other in (reach(carer, her_passport.pk), reach(gp, her_passport.pk),
                  reach_by_link(link, None)):
        assert other is not None
        assert _seen_by(other) == [], other.bases
    assert sent.pk in {e.pk for e in _seen_by(nurse_reach)}


def test_always_private_whoever_asks(her_reach, draft):
    with pytest.raises(ValidationError):
        actions.do_add_entry(her_reach, BeforeReview, dict(WORDS, is_private=False))
    with pytest.raises(ValidationError):
        actions.do_amend_entry(her_reach, draft, expected_version=draft.version, reason="x",
                               changes={"is_private": False})


def test_only_she_writes_and_sends_it(nurse_reach, her_reach, draft):
    with pytest.raises(PermissionDenied):
        actions.do_add_entry(nurse_reach, BeforeReview, dict(WORDS))
    with pytest.raises(PermissionDenied):
        before_review.do_send(nurse_reach, draft, expected_version=draft.version)
    empty = actions.do_add_entry(her_reach, BeforeReview, {"worries": ""})
    with pytest.raises(ValidationError):
        before_review.do_send(her_reach, empty, expected_version=empty.version)


@pytest.mark.parametrize(("days_to_review", "asked"), [(43, False), (42, True), (0, True),
                                                       (-10, True)])
def test_asked_from_six_weeks_before_a_review(her_passport, her_reach, days_to_review, asked):
    today = timezone.localdate()
    Passport.objects.filter(pk=her_passport.pk).update(
        next_assessment_on=today + datetime.timedelta(days=days_to_review),
        next_assessment_kind="review")
    her_reach.passport.refresh_from_db()
    assert (before_review.asking(her_reach, today) is not None) is asked


def test_the_draft_she_started_is_offered_again(her_passport, her_reach, draft):
    Passport.objects.filter(pk=her_passport.pk).update(
        next_assessment_on=timezone.localdate(), next_assessment_kind="review")
    her_reach.passport.refresh_from_db()
    asking = before_review.asking(her_reach)
    assert asking.draft.pk == draft.pk and asking.sent is None


def test_written_the_day_an_assessment_was_signed_off_counts_for_the_next(
        her_passport, her_reach, nurse_reach, admin_user):
    """What she writes after a sign-off is for the next review, even on the same day (the
    demo's walk found a draft started that afternoon not offered again, as if already read)."""
    from tests.support.assessments import second_clinician, signed_off

    second = second_clinician(her_passport, admin_user)
    signed_off(nurse_reach, second, kind="review", held_on=timezone.localdate(),
               outcome="done")
    her_reach.passport.refresh_from_db()
    Passport.objects.filter(pk=her_passport.pk).update(
        next_assessment_on=timezone.localdate(), next_assessment_kind="review")
    her_reach.passport.refresh_from_db()
    draft = actions.do_add_entry(her_reach, BeforeReview, dict(WORDS))
    assert before_review.asking(her_reach).draft.pk == draft.pk
    before_review.do_send(her_reach, draft, expected_version=draft.version)
    assert [e.pk for e in before_review.for_health_team(nurse_reach)] == [draft.pk]


def test_her_drafts_stay_hers_in_the_history_once_sent(her_reach, draft, nurse_reach):
    """The reviewer's finding: after she sent it, her nurse could read every earlier wording
    and why she changed it. Now her health team sees the version she sent."""
    from passport.records import selectors

    changed = actions.do_amend_entry(her_reach, draft, expected_version=draft.version,
                                     reason="changed my mind",
                                     changes={"worries": "Only my teeth"})
    sent = before_review.do_send(her_reach, changed, expected_version=changed.version)
    seen = selectors.entry_history(nurse_reach, sent)
    assert [r.version for r in seen] == [sent.version]
    assert all("My teeth hurt" not in str(r.fields) and r.reason != "changed my mind"
               for r in seen)
    assert len(selectors.entry_history(her_reach, sent)) == 3  # hers: every version


def test_a_draft_is_not_counted_or_printed(her_reach, draft, nurse_reach, her_passport):
    from passport.access.policy import Purpose
    from passport.care import leaver_summary
    from passport.records import selectors

    counted = {row.section: row.entries for row in leaver_summary.rows(nurse_reach)}
    assert counted.get("wellbeing", 0) == 0
    handout = selectors.section_view(her_reach, "wellbeing", Purpose.HANDOUT)
    assert not handout.of("before_review")


def test_every_reading_by_her_team_is_in_her_log(her_reach, draft, nurse_reach, her_nurse):
    from passport.records import selectors

    before_review.do_send(her_reach, draft, expected_version=draft.version)
    selectors.section_view(nurse_reach, "wellbeing")
    selectors.entries_for(nurse_reach, "wellbeing", "before_review")
    assert AuditEvent.objects.filter(action="before_review_read", actor=her_nurse).count() == 2
