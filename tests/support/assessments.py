"""Assessments as the service holds them: written by her nurse, submitted, and signed off by a
second clinician of her health team, through the actions (the duty is met only once signed
off, on the caseload as in the area figures)."""

from __future__ import annotations

from passport.access.policy import reach
from passport.care import assessments
from passport.models import Assessment, Role
from passport.records import actions
from tests.conftest import make_user


def second_clinician(passport, admin, username: str = "nurse.second"):
    """A second clinician on her health team, who may sign off what her nurse submits."""
    from passport.models import User

    other = User.objects.filter(username=username).first() or make_user(
        username, Role.NURSE, "Second Nurse")
    actions.do_assign_professional(admin, passport, other)
    return other


def signed_off(nurse_reach, second, **fields) -> Assessment:
    """An assessment with `fields` (kind, held_on, outcome...), completed as a submission
    needs, submitted by her nurse and signed off by `second`."""
    data = {"done_by": "Priya Shah", "summary": "Well.", "led_by": "nurse",
            "nurse_led_rationale": "No doctor was free.", "supervising_doctor": "Dr Lee"}
    assessment = actions.do_add_entry(nurse_reach, Assessment, data | fields)
    earlier, reviewed = assessments.to_review(assessment)
    for action in earlier:  # last time's actions, carried on into this plan
        if action.pk not in reviewed:
            assessments.do_review_action(nurse_reach, assessment, action, decision="carried",
                                         note="Still to do.")
    if "late_reason_kind" in assessments.submission_errors(assessment):
        assessment = actions.do_amend_entry(
            nurse_reach, assessment, expected_version=assessment.version, reason="Late",
            changes={"late_reason_kind": "notified_late"})
    assessment = assessments.do_submit(nurse_reach, assessment,
                                       expected_version=assessment.version)
    assessments.do_quality_review(
        reach(second, nurse_reach.passport.pk), assessment, decision="signed_off",
        comments="", checklist={key: "met" for key, _label in assessments.CHECKLIST},
        expected_version=assessment.version)
    assessment.refresh_from_db()
    return assessment
