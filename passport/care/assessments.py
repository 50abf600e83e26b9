"""Recording a health assessment through to quality assurance.

    draft ──submit──▶ submitted ──sign off──▶ signed off (locked; corrections by addendum)
      ▲                   │
      └──── returned ◀────┘ (with comments)

- A draft is the health team's: nobody else sees the assessment until it is signed off.
- Submitting checks the record is whole (an initial assessment led by a nurse names the
  supervising doctor and why; a late one says why) and that every open action of earlier plans
  has been reviewed at this assessment: done, carried on, or dropped with a reason.
- Quality assurance is by the team lead or a second clinician, never the author, against a
  checklist drawn from NICE NG205 rather than the old BAAF form.
- Signing off writes the assessment's timeliness (due date, on time or not, the reason from a
  fixed list) once, for the area figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from passport.access import capabilities
from passport.access.policy import Basis, Reach
from passport.clinical import assessment_due
from passport.errors import found
from passport.models import (
    ActionDecision,
    ActionReview,
    Addendum,
    Assessment,
    AssessmentState,
    AssessmentTiming,
    CareEpisode,
    PlacementType,
    PlanAction,
    QualityDecision,
    QualityReview,
)
from passport.records import actions, audit, revisions

OPEN = (None, "", "open")
EDITABLE = (AssessmentState.DRAFT, AssessmentState.RETURNED)

# The quality-assurance checklist (the old tool followed BAAF forms, not NICE
# NG205). Each item is answered met, not met or not applicable; sign-off needs no "not met".
CHECKLIST = (
    ("voice", gettext_lazy("The young person's own words are quoted, and their view of their "
                           "health is clear.")),
    ("her_say", gettext_lazy("What the young person sent before the assessment was read and "
                             "considered (not applicable if they sent nothing).")),
    ("seen_alone", gettext_lazy("They were offered time alone (if old enough), and where the "
                                "assessment happened was their choice.")),
    ("consent", gettext_lazy("Consent is recorded: who gave it and on what basis.")),
    ("history", gettext_lazy("Birth and family health history is recorded, or what is missing "
                             "has been asked for.")),
    ("immunisations", gettext_lazy("Immunisations were checked against the schedule and any "
                                   "catch-up was asked of the GP.")),
    ("physical", gettext_lazy("Growth with centiles, teeth, sight and hearing (and development "
                              "for an under-five) are recorded.")),
    ("wellbeing", gettext_lazy("Emotional wellbeing is assessed, informed by the SDQ and by "
                               "CAMHS or KITE where involved.")),
    ("contributions", gettext_lazy("The GP and other services involved were asked for their "
                                   "contribution.")),
    ("plan", gettext_lazy("Every plan action is SMART: what, who (including the carer's "
                          "part), by when.")),
    ("carry_over", gettext_lazy("The earlier plan's open actions were reviewed.")),
)
ANSWERS = ("met", "not_met", "not_applicable")


def _editable(assessment: Assessment) -> None:
    if assessment.state not in EDITABLE:
        raise ValidationError(_("This assessment is no longer a draft."), code="locked")


# --- the plan and its carry-over ----------------------------------------------------------


def plan_of(assessment: Assessment) -> list[PlanAction]:
    """This assessment's plan: the actions it added and the ones it carried on."""
    carried = ActionReview.objects.filter(assessment=assessment,
                                          decision=ActionDecision.CARRIED).values("action_id")
    return list(PlanAction.objects.filter(
        Q(assessment=assessment) | Q(pk__in=carried), passport_id=assessment.passport_id,
    ).order_by("created_at"))


def to_review(assessment: Assessment) -> tuple[list[PlanAction], dict]:
    """The actions from before this assessment still open when it was recorded, and the
    review of each made at it so far ({action id: ActionReview})."""
    reviews = {r.action_id: r for r in ActionReview.objects.filter(assessment=assessment)}
    still_open = assessment.state in EDITABLE
    earlier = [a for a in PlanAction.objects.filter(passport_id=assessment.passport_id)
               .exclude(assessment=assessment).order_by("created_at")
               if a.pk in reviews or (still_open and a.status in OPEN)]
    return earlier, reviews


@transaction.atomic
def do_add_plan_action(reach: Reach, assessment: Assessment, data: dict[str, Any]
                       ) -> PlanAction:
    reach.require_health_team("assessments")
    assessment = _fresh(assessment)
    _editable(assessment)
    data = dict(data)
    data.setdefault("status", "open")
    return actions.do_add_entry(reach, PlanAction, data, plan_of=assessment)


def earlier_action(reach: Reach, action_id: UUID) -> PlanAction:
    """A plan action of this passport, by id (the page's form and the API alike): NotFound
    for any id that is not one of hers."""
    return found(PlanAction.objects.filter(pk=action_id, passport=reach.passport).first())


@transaction.atomic
def do_review_action(reach: Reach, assessment: Assessment, action: PlanAction, *,
                     decision: str, note: str = "", due_on: datetime.date | None = None,
                     ) -> ActionReview:
    """Review an open action of an earlier plan at this assessment. Done and dropped close
    the action (a new version of it, with the note as its outcome); carried keeps it open
    in the new plan, with a new date if one is given."""
    reach.require_health_team("assessments")
    assessment = _fresh(assessment)
    _editable(assessment)
    if action.passport_id != assessment.passport_id or action.assessment_id == assessment.pk:
        raise PermissionDenied
    if decision not in ActionDecision.values:
        raise ValidationError({"decision": _("Choose what became of this action.")})
    note = (note or "").strip()
    if decision == ActionDecision.DROPPED and not note:
        raise ValidationError({"note": _("Say why it is no longer needed.")})
    if (decision == ActionDecision.CARRIED and not due_on and action.due_on
            and action.due_on < timezone.localdate()):
        # Carried on with a date already past, it would be overdue in the new plan from its
        # first day.
        raise ValidationError({"due_on": _("Its date has passed: give it a new one.")})
    if ActionReview.objects.filter(assessment=assessment, action=action).exists():
        raise ValidationError(_("This action has already been reviewed at this assessment."))
    if action.status not in OPEN:
        raise ValidationError(_("This action is already closed."))
    changes: dict[str, Any] = {}
    if decision == ActionDecision.DONE:
        changes = {"status": "done"} | ({"outcome": note} if note else {})
    elif decision == ActionDecision.DROPPED:
        changes = {"status": "dropped", "outcome": note}
    elif due_on:
        changes = {"due_on": due_on}
    if changes:
        actions.do_amend_entry(reach, action, expected_version=action.version,
                               reason=str(ActionDecision(decision).label), changes=changes)
    review = ActionReview(passport_id=assessment.passport_id, assessment=assessment,
                          action=action, decision=decision, note=note, reviewed_by=reach.user,
                          reviewed_at=timezone.now())
    review.save(force_insert=True)
    audit.record_event(actor=reach.user, action="plan_action_reviewed", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section="health_plan", object_id=action.pk)
    return review


# --- submitting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    kind: str
    due_on: datetime.date | None
    area_id: Any

    def late(self, held_on: datetime.date) -> bool:
        return self.due_on is not None and held_on > self.due_on


def due_now(passport, assessments: list[Assessment],
            today: datetime.date | None = None) -> assessment_due.Due | None:
    """Her next assessment by the clock, as the caseload reads it: only a signed-off
    assessment meets the duty. `assessments`: all of hers (her health team sees drafts)."""
    today = today or timezone.localdate()
    born = passport.born
    current = CareEpisode.objects.filter(passport=passport).order_by("started_on").last()
    if born is None or current is None:
        return None
    held = [assessment_due.Held(a.kind, a.held_on, a.outcome) for a in assessments
            if a.held_on and a.kind and a.outcome and a.state == AssessmentState.SIGNED_OFF]
    return assessment_due.next_due(
        born=born, care_started_on=current.started_on, care_ended_on=current.ended_on,
        assessments=held, today=today,
        short_breaks_only=current.placement_type == PlacementType.SHORT_BREAKS)


def timing_of(assessment: Assessment) -> Timing:
    """When this assessment was due by the clock (docs/clinical-rules.md 1), from the care episode
    it falls in and the assessments before it."""
    passport = assessment.passport
    born = passport.born
    held_on = assessment.held_on
    episode = next((e for e in CareEpisode.objects.filter(passport=passport)
                    .order_by("-started_on")
                    if e.started_on <= held_on and (e.ended_on is None or e.ended_on >= held_on)),
                   None)
    if episode is None or born is None:
        return Timing(assessment.kind or "", None, episode.placing_authority_id if episode
                      else None)
    # Only signed-off assessments met the duty: a draft beside this one (a second one started
    # by mistake, or one never finished) does not make this one look on time.
    earlier = [assessment_due.Held(a.kind, a.held_on, a.outcome)
               for a in Assessment.objects.filter(passport=passport,
                                                  state=AssessmentState.SIGNED_OFF)
               .exclude(pk=assessment.pk)
               if a.held_on and a.kind and a.outcome and a.held_on < held_on]
    short_breaks = episode.placement_type == PlacementType.SHORT_BREAKS
    due = assessment_due.next_due(born=born, care_started_on=episode.started_on,
                                  assessments=earlier, today=held_on,
                                  short_breaks_only=short_breaks)
    if due is None or due.kind != assessment.kind:
        # A review with no initial assessment on record (it was held before the passport
        # existed), or an initial one where a review was due: when it fell due is not known
        # here, so it is not counted as on time or late.
        return Timing(assessment.kind or "", None, episode.placing_authority_id)
    return Timing(due.kind, due.due_on, episode.placing_authority_id)


def submission_errors(assessment: Assessment) -> dict[str, list[str]]:
    """Everything that stops this draft being submitted, every problem at once."""
    errors: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        if getattr(assessment, field) in (None, ""):
            errors.setdefault(field, []).append(message)

    for field in (*Assessment.REQUIRED, "outcome"):
        need(field, Assessment.missing(field))
    if errors:
        return errors
    if assessment.outcome == "done":
        need("done_by", _("Say who did the assessment."))
        need("summary", _("Write a summary."))
        if assessment.kind == "initial":
            need("led_by", _("Say whether a doctor or a nurse led it."))
            if assessment.led_by == "nurse":
                need("nurse_led_rationale", _("Say why a nurse led an initial assessment."))
                need("supervising_doctor", _("Name the supervising doctor."))
        earlier, reviews = to_review(assessment)
        waiting = [a for a in earlier if a.pk not in reviews]
        if waiting:
            errors.setdefault("__all__", []).append(ngettext(
                "%(count)d action from an earlier plan is not reviewed yet: say whether it "
                "is done, carried on or dropped.",
                "%(count)d actions from earlier plans are not reviewed yet: say whether each "
                "is done, carried on or dropped.", len(waiting)) % {"count": len(waiting)})
    if (assessment.outcome in assessment_due.COUNTS
            and timing_of(assessment).late(assessment.held_on)):
        need("late_reason_kind", _("It was late: say why."))
    return errors


def _fresh(assessment: Assessment) -> Assessment:
    """The assessment as it is now, its row locked until the transaction ends."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _move(reach: Reach, assessment: Assessment, expected_version: int, reason: str,
          **changes: Any) -> Assessment:
    return revisions.amend_entry(assessment, reach.user, expected_version, reason, changes)


@transaction.atomic
def do_submit(reach: Reach, assessment: Assessment, *, expected_version: int) -> Assessment:
    reach.require_health_team("assessments")
    assessment = _fresh(assessment)
    _editable(assessment)
    errors = submission_errors(assessment)
    if errors:
        raise ValidationError(errors)
    assessment = _move(reach, assessment, expected_version, "Submitted for sign-off",
                       state=AssessmentState.SUBMITTED, submitted_at=timezone.now(),
                       submitted_by=reach.user)
    audit.record_event(actor=reach.user, action="assessment_submitted", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section="assessments", object_id=assessment.pk)
    return assessment


# --- quality assurance --------------------------------------------------------------------


def may_review(reach: Reach, assessment: Assessment) -> bool:
    """The team lead or a second clinician of her health team: never the one who wrote or
    submitted it."""
    return (assessment.state == AssessmentState.SUBMITTED
            and capabilities.is_health_professional(reach.user)
            and reach.as_health_team("assessments")
            and reach.user.pk not in (assessment.created_by_id, assessment.submitted_by_id))


@transaction.atomic
def do_quality_review(reach: Reach, assessment: Assessment, *, decision: str,
                      checklist: dict[str, str], comments: str, expected_version: int
                      ) -> QualityReview:
    assessment = _fresh(assessment)
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError(_("This assessment is not waiting for sign-off."), code="state")
    if not may_review(reach, assessment):
        raise PermissionDenied
    comments = (comments or "").strip()
    answers = {key: checklist.get(key, "") for key, _label in CHECKLIST}
    errors: dict[str, list[str]] = {}
    if decision == QualityDecision.SIGNED_OFF:
        for key, answer in answers.items():
            if answer not in ANSWERS:
                errors.setdefault(key, []).append(_("Answer this."))
            elif answer == "not_met":
                errors.setdefault(key, []).append(_(
                    "This is not met: return the assessment with comments instead."))
    elif decision == QualityDecision.RETURNED:
        if not comments:
            errors.setdefault("comments", []).append(_("Say what needs to change."))
        answers = {k: v for k, v in answers.items() if v in ANSWERS}
    else:
        errors.setdefault("decision", []).append(_("Sign it off or return it."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    review = QualityReview(passport_id=assessment.passport_id, assessment=assessment,
                           decision=decision, checklist=answers, comments=comments,
                           reviewed_by=reach.user, reviewed_at=now)
    review.save(force_insert=True)
    if decision == QualityDecision.SIGNED_OFF:
        _move(reach, assessment, expected_version, "Signed off",
              state=AssessmentState.SIGNED_OFF, signed_off_at=now, signed_off_by=reach.user)
        timing = timing_of(assessment)
        on_time = (None if assessment.outcome not in assessment_due.COUNTS or timing.due_on is None
                   else not timing.late(assessment.held_on))
        AssessmentTiming.objects.create(
            assessment=assessment, passport_id=assessment.passport_id, area_id=timing.area_id,
            kind=assessment.kind, due_on=timing.due_on, held_on=assessment.held_on,
            outcome=assessment.outcome, on_time=on_time,
            late_reason=(assessment.late_reason_kind or "") if on_time is False else "")
        event = "assessment_signed_off"
    else:
        _move(reach, assessment, expected_version, "Returned with comments",
              state=AssessmentState.RETURNED)
        event = "assessment_returned"
    audit.record_event(actor=reach.user, action=event, passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section="assessments", object_id=assessment.pk)
    return review


def quality_reviews(assessment: Assessment) -> list[QualityReview]:
    return list(QualityReview.objects.filter(assessment=assessment)
                .select_related("reviewed_by").order_by("reviewed_at"))


# --- addenda ------------------------------------------------------------------------------


@transaction.atomic
def do_add_addendum(reach: Reach, assessment: Assessment, text: str) -> Addendum:
    reach.require_health_team("assessments")
    assessment = _fresh(assessment)
    if assessment.state != AssessmentState.SIGNED_OFF:
        raise ValidationError(_("Only a signed-off assessment takes an addendum: change the "
                                "draft instead."), code="state")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the addendum.")})
    addendum = Addendum(passport_id=assessment.passport_id, assessment=assessment, text=text,
                        written_by=reach.user, written_at=timezone.now())
    addendum.save(force_insert=True)
    audit.record_event(actor=reach.user, action="addendum_added", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section="assessments", object_id=assessment.pk)
    return addendum


def addenda(assessment_ids: list) -> dict[Any, list[Addendum]]:
    found: dict[Any, list[Addendum]] = {}
    for addendum in (Addendum.objects.filter(assessment_id__in=assessment_ids)
                     .select_related("written_by").order_by("written_at")):
        found.setdefault(addendum.assessment_id, []).append(addendum)
    return found


def waiting_for_sign_off(user, among: list | None = None) -> list[Assessment]:
    """Submitted assessments this clinician may sign off (not her own), oldest first.
    `among`: the passports her caseload already found her health-team basis to (its rows),
    so the caseload page does not ask the policy twice."""
    from passport.access.policy import reachable

    if not capabilities.is_health_professional(user):
        return []
    ids = among if among is not None else [
        r.passport.pk for r in reachable(user) if Basis.HEALTH_TEAM in r.bases]
    return list(Assessment.objects.filter(passport__in=ids, state=AssessmentState.SUBMITTED)
                .exclude(created_by=user).exclude(submitted_by=user)
                .select_related("passport", "submitted_by").order_by("submitted_at"))
