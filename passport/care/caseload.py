"""A health professional's caseload: each young person with her age, placement type
and when her next health assessment is due, sorted by what needs doing first. Worked out for
the whole list in a fixed number of queries, however long the caseload is."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from passport.access import capabilities
from passport.access.policy import Basis, reachable
from passport.clinical import assessment_due, immunisation
from passport.encryption import keys
from passport.models import (
    HOLDABLE_SECTIONS,
    Assessment,
    AssessmentState,
    CareEpisode,
    CareTeamAssignment,
    ContributionRequest,
    CorrectionRequest,
    ImmunisationDose,
    ImmunisationStatus,
    PlacementType,
    PlanAction,
    SdqResult,
    UnknownItem,
    UnknownStatus,
    User,
)
from passport.records import audit

SDQ_AHEAD_DAYS = 42  # 4 to 6 weeks before the review


@dataclass(frozen=True)
class Row:
    passport_id: UUID
    name: str
    age: int | None
    placement: str
    due: assessment_due.Due | None
    overdue_actions: int
    corrections: int
    vaccines_due: int = 0
    sdq_to_request: bool = False
    contributions_awaited: int = 0
    history_asked: int = 0  # birth and family history items asked for, not yet found
    catch_up_awaited: bool = False  # a catch-up asked of the GP, not yet confirmed
    drafts: int = 0  # assessments still drafts
    returned: int = 0  # assessments returned by quality assurance
    nurses: str = ""  # for the team lead: who the young person's nurses are

    @property
    def urgency(self) -> tuple:
        """Overdue first (oldest first), then by due date; nothing due last."""
        if self.due is None:
            return (2, datetime.date.max, self.name)
        return (0 if self.due.overdue else 1, self.due.due_on, self.name)


def caseload(user: User, today: datetime.date | None = None) -> list[Row]:
    if not capabilities.is_health_professional(user):
        return []
    today = today or timezone.localdate()
    reaches = [r for r in reachable(user, today) if Basis.HEALTH_TEAM in r.bases]
    ids = [r.passport.pk for r in reaches]
    keys.preload(ids)
    episodes: dict[UUID, list[CareEpisode]] = {}
    for episode in CareEpisode.objects.filter(passport__in=ids).order_by("started_on"):
        episodes.setdefault(episode.passport_id, []).append(episode)
    held: dict[UUID, list[assessment_due.Held]] = {}
    drafts: Counter = Counter()
    returned: Counter = Counter()
    # Only the columns the caseload reads: the words of assessments and plan actions are
    # neither fetched nor decrypted (about 600 entries for a caseload of 50).
    for a in Assessment.objects.filter(passport__in=ids).only(
            "id", "passport_id", "state", "held_on", "kind", "outcome"):
        if a.held_on and a.kind and a.outcome:
            held.setdefault(a.passport_id, []).append(
                assessment_due.Held(a.kind, a.held_on, a.outcome))
        drafts[a.passport_id] += a.state == AssessmentState.DRAFT
        returned[a.passport_id] += a.state == AssessmentState.RETURNED
    awaited = Counter(ContributionRequest.objects.filter(passport__in=ids,
                                                         received_on__isnull=True)
                      .values_list("passport_id", flat=True))
    history_asked = Counter(item.passport_id for item in UnknownItem.objects.filter(
        passport__in=ids, section__in=HOLDABLE_SECTIONS) if item.status == UnknownStatus.ASKED)
    nurses: dict[UUID, list[str]] = {}
    if capabilities.sees_caseload_nurses(user):
        for passport_id, name in (CareTeamAssignment.objects.filter(
                passport__in=ids, ended_at__isnull=True).order_by("professional__display_name")
                .values_list("passport_id", "professional__display_name")):
            nurses.setdefault(passport_id, []).append(name)
    late_actions: dict[UUID, int] = {}
    for action in PlanAction.objects.filter(passport__in=ids).only(
            "id", "passport_id", "status", "due_on"):
        if action.status in (None, "", "open", "in_progress") and action.due_on and (
                action.due_on < today):
            late_actions[action.passport_id] = late_actions.get(action.passport_id, 0) + 1
    doses: dict[UUID, list[ImmunisationDose]] = {}
    for dose in ImmunisationDose.objects.filter(passport__in=ids):
        doses.setdefault(dose.passport_id, []).append(dose)
    statuses = {s.passport_id: s for s in ImmunisationStatus.objects.filter(passport__in=ids)}
    sdq_dates: dict[UUID, list[datetime.date]] = {}
    for result in SdqResult.objects.filter(passport__in=ids).only(
            "id", "passport_id", "completed_on"):
        if result.completed_on:
            sdq_dates.setdefault(result.passport_id, []).append(result.completed_on)
    asked: dict[UUID, int] = {}
    for request in CorrectionRequest.objects.filter(passport__in=ids,
                                                    dealt_with_at__isnull=True).only(
            "id", "passport_id"):
        asked[request.passport_id] = asked.get(request.passport_id, 0) + 1
    rows = []
    for found in reaches:
        passport = found.passport
        born = passport.date_of_birth
        current = (episodes.get(passport.pk) or [None])[-1]
        placement = current.placement_type if current else ""
        due = assessment_due.next_due(
            born=born, care_started_on=current.started_on if current else None,
            care_ended_on=current.ended_on if current else None,
            assessments=held.get(passport.pk, []), today=today,
            short_breaks_only=placement == PlacementType.SHORT_BREAKS) if born else None
        status = statuses.get(passport.pk)
        vaccines = [line for line in immunisation.assess_recorded(
            born, doses.get(passport.pk, []), status, today, sex=passport.sex or "",
            explain=False)
            if line.status in (immunisation.DUE, immunisation.OVERDUE)] if born else []
        # Ask the carer for an SDQ 4 to 6 weeks before a review, unless one came since the
        # last assessment (docs/clinical-rules.md 2; ages 4 to 16).
        last = max((h.held_on for h in held.get(passport.pk, [])), default=None)
        fresh = any(last is None or day > last for day in sdq_dates.get(passport.pk, []))
        age = relativedelta(today, born).years if born else None
        sdq_due = bool(due and due.kind == "review" and age is not None and 4 <= age <= 16
                       and (due.due_on - today).days <= SDQ_AHEAD_DAYS and not fresh)
        rows.append(Row(passport.pk, passport.display_name, age,
                        str(PlacementType(placement).label) if placement in PlacementType.values
                        else "", due, late_actions.get(passport.pk, 0),
                        asked.get(passport.pk, 0), len(vaccines), sdq_due,
                        awaited[passport.pk], history_asked[passport.pk],
                        bool(status and status.gp_catch_up_requested_on
                             and not status.gp_catch_up_confirmed_on),
                        drafts[passport.pk], returned[passport.pk],
                        ", ".join(nurses.get(passport.pk, []))))
    audit.record_event(actor=user, action="list_viewed")  # a list: logged once
    return sorted(rows, key=lambda r: r.urgency)
