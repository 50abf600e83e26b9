"""The load bench's young people, written two ways.

`by_actions` writes one young person through the real actions, as the service would: a
passport, her nurse, a care episode, a placement with a foster carer, an allergy and a
condition, the vaccinations of her first year, an initial assessment with two plan actions,
submitted and signed off, and the carer's SDQ. About 75 ms each.

`in_bulk` writes a batch of young people with the same rows in a few statements per table: the
national variant's 150,000 would take the actions hours. tests/bench/test_bulk_seeding.py seeds
the same young people both ways and compares every row of every table, decrypted, with the
audit chains verified: a change to what the actions write fails it until the bulk path writes
it too.

Both need Django set up, an open key scope, and `seed_staff` run first.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models, transaction
from django.utils import timezone

from passport.access import sharing
from passport.access.policy import Basis, reach
from passport.care import assessments, placements
from passport.clinical import assessment_due
from passport.encryption import keys
from passport.models import (
    Area,
    Assessment,
    AssessmentState,
    AssessmentTiming,
    AuditChainHead,
    AuditEvent,
    Authenticator,
    CareEpisode,
    CareTeamAssignment,
    Condition,
    Entry,
    HealthTeam,
    ImmunisationDose,
    Organisation,
    Passport,
    Placement,
    PlanAction,
    QualityDecision,
    QualityReview,
    Revision,
    Role,
    SdqResult,
    User,
)
from passport.records import actions, audit, derived

CASELOAD = 50
SIGNED_OFF = {key: "met" for key, _label in assessments.CHECKLIST}
VACCINES = ("6in1", "pcv", "menb", "6in1", "mmr", "6in1")
SUMMARY = "Well; growth on the 50th centile; dental check booked."


@dataclass(frozen=True)
class Region:
    """How many passports, and so how many nurses (caseloads of 50) and foster carers (two
    children each)."""

    passports: int

    @property
    def nurses(self) -> int:
        return max(1, self.passports // CASELOAD)

    @property
    def carers(self) -> int:
        return max(1, self.passports // 2)

    def nurse_of(self, n: int) -> str:
        return f"nurse.{n // CASELOAD:05d}"

    def carer_of(self, n: int) -> str:
        return f"carer.{(n // 2) % self.carers:05d}"


@dataclass(frozen=True)
class Person:
    """The n-th young person's facts, the same whichever way she is written."""

    n: int
    today: datetime.date

    @property
    def born(self) -> datetime.date:
        return self.today - datetime.timedelta(days=400 + (self.n * 37) % (365 * 17))

    @property
    def care_started(self) -> datetime.date:
        return max(self.born + datetime.timedelta(days=30),
                   self.today - datetime.timedelta(days=60 + (self.n * 7) % 700))

    @property
    def placement_confirmed(self) -> bool:  # re-confirmed every 6 months
        return self.care_started < self.today - datetime.timedelta(days=150)

    @property
    def doses(self) -> list[tuple[str, datetime.date]]:
        given = ((vaccine, self.born + datetime.timedelta(days=60 * (k + 1)))
                 for k, vaccine in enumerate(VACCINES))
        return [(vaccine, day) for vaccine, day in given if day < self.today]

    @property
    def assessed(self) -> datetime.date:
        return min(self.care_started + datetime.timedelta(days=15), self.today)

    @property
    def has_sdq(self) -> bool:  # the carer's SDQ is for ages 4 to 17
        return 4 <= relativedelta(self.assessed, self.born).years <= 17

    def plan(self) -> list[dict]:
        return [{"action": f"Dental check {k}", "responsible": "carer", "status": "open",
                 "due_on": self.today + datetime.timedelta(days=20 + 30 * k)} for k in range(2)]

    def episode(self, area: Area) -> dict:
        return {"started_on": self.care_started, "legal_status": "care_order",
                "placement_type": "foster", "placing_authority": area, "host_area": area.pk}

    def conditions(self) -> list[dict]:
        return [{"kind": "allergy", "name": "Penicillin", "details": "Rash",
                 "what_to_do": "Avoid"},
                {"kind": "condition", "name": "Eczema", "details": "Emollient twice a day."}]

    def assessment(self) -> dict:
        return {"kind": "initial", "held_on": self.assessed, "outcome": "done",
                "done_by": "Dr Bench", "led_by": "doctor", "summary": SUMMARY}

    def sdq(self) -> dict:
        return {"completed_on": self.assessed, "informant": "carer", "emotional": 3,
                "conduct": 2, "hyperactivity": 5, "peer": 2, "prosocial": 8}


# --- the staff ----------------------------------------------------------------------------


def seed_staff(region: Region) -> None:
    """One area, trust and health team; an admin, a team lead, a designated professional, and
    the region's nurses and foster carers (no passwords: `can_sign_in` gives some one)."""
    area = Area.objects.create(name="Stockport")
    trust = Organisation.objects.create(name="Stockport NHS Foundation Trust")
    trust.areas.add(area)
    team = HealthTeam.objects.create(organisation=trust, name="Children in Care Health Team")
    User.objects.create(username="bench.admin", role=Role.ADMIN)
    User.objects.create(username="bench.lead", role=Role.TEAM_LEAD, team=team,
                        organisation=trust, display_name="Team Lead")
    User.objects.create(username="bench.designated", role=Role.DESIGNATED, organisation=trust,
                        display_name="Designated")
    for role, count, prefix in ((Role.NURSE, region.nurses, "nurse"),
                                (Role.CARER, region.carers, "carer")):
        people = []
        for n in range(count):
            user = User(username=f"{prefix}.{n:05d}", role=role, display_name=f"{prefix} {n}",
                        team=team if role == Role.NURSE else None,
                        organisation=trust if role == Role.NURSE else None)
            user.set_unusable_password()
            people.append(user)
        User.objects.bulk_create(people, batch_size=2000)


def can_sign_in(user: User, password: str, *, second_factor: bool) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    if second_factor:
        Authenticator.create_for(user, name="phone", confirmed=True, tolerance=1)


@dataclass
class Staff:
    admin: User
    lead: User
    team: HealthTeam
    area: Area

    @classmethod
    def load(cls) -> Staff:
        return cls(User.objects.get(username="bench.admin"),
                   User.objects.get(username="bench.lead"), HealthTeam.objects.get(),
                   Area.objects.get())


def young_person(n: int) -> User:
    owner = User(username=f"yp.{n:05d}", role=Role.YOUNG_PERSON)
    owner.set_unusable_password()
    return owner


# --- through the actions ------------------------------------------------------------------


def by_actions(n: int, owner: User, staff: Staff, region: Region) -> None:
    """The n-th young person, through the real actions (her account `owner` saved)."""
    person = Person(n, timezone.localdate())
    passport = actions.do_create_passport(
        staff.admin, legal_name=f"Young Person {n}", chosen_name=f"YP{n}",
        date_of_birth=person.born, owner=owner, health_team=staff.team)
    nurse = User.objects.get(username=region.nurse_of(n))
    actions.do_assign_professional(staff.admin, passport, nurse)
    carer = User.objects.get(username=region.carer_of(n))
    nurse_reach, lead_reach = reach(nurse, passport.pk), reach(staff.lead, passport.pk)
    actions.do_add_entry(nurse_reach, CareEpisode, person.episode(staff.area))
    placement = sharing.do_place(staff.admin, passport, carer, person.care_started)
    if person.placement_confirmed:
        placements.do_confirm_placement(nurse_reach, placement.pk)
    for condition in person.conditions():
        actions.do_add_entry(nurse_reach, Condition, condition)
    for vaccine, given in person.doses:
        actions.do_add_entry(nurse_reach, ImmunisationDose, {
            "vaccine": vaccine, "source": "gp_record", "given_on": given})
    # An initial assessment with its plan, recorded by the nurse, submitted and signed off
    # by the team lead: the real workflow.
    assessment = actions.do_add_entry(nurse_reach, Assessment, person.assessment())
    for action in person.plan():
        actions.do_add_entry(nurse_reach, PlanAction, action, plan_of=assessment)
    assessment = assessments.do_submit(nurse_reach, assessment,
                                       expected_version=assessment.version)
    assessments.do_quality_review(lead_reach, assessment, decision="signed_off",
                                  checklist=SIGNED_OFF, comments="",
                                  expected_version=assessment.version)
    if person.has_sdq:
        actions.do_add_entry(nurse_reach, SdqResult, person.sdq())


# --- in bulk ------------------------------------------------------------------------------


class _Writer:
    """What a batch of young people's actions would write, gathered in memory: rows per
    model in the order they are saved, and each passport's audit events in the order the
    actions would have recorded them."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.rows: dict[type, list] = {}
        self.events: dict[uuid.UUID, list[AuditEvent]] = {}

    def add(self, row):
        self.rows.setdefault(type(row), []).append(row)
        return row

    def event(self, passport: Passport, actor: User, action: str, *, basis: str = "",
              section: str = "", object_id: uuid.UUID | None = None) -> None:
        self.events.setdefault(passport.pk, []).append(AuditEvent(
            at=self.now, actor=actor, basis=basis, passport_id=passport.pk, section=section,
            action=action, object_id=object_id))

    def entry(self, passport: Passport, model: type[Entry], by: User, fields: dict,
              **more) -> Entry:
        """A new entry as `do_add_entry` writes it: version 1, its revision, its event."""
        entry = self.add(model(
            id=uuid.uuid4(), passport=passport, version=1, created_at=self.now, created_by=by,
            updated_at=self.now, updated_by=by, is_private=model.starts_private(fields),
            added_by_young_person=False, **fields, **more))
        self.revision(entry, by, "")
        self.event(passport, by, "entry_added", basis=Basis.HEALTH_TEAM,
                   section=entry.section_key, object_id=entry.pk)
        return entry

    def revision(self, entry: Entry, by: User, reason: str) -> None:
        content = {name: value.isoformat() if isinstance(value, datetime.date) else value
                   for name, value in entry.content().items()}
        self.add(Revision(
            passport_id=entry.passport_id, section=entry.section_key,
            entry_type=entry._meta.label_lower, entry_id=entry.pk, version=entry.version,
            content=content, reason=reason or None, changed_by=by, changed_at=self.now))

    def save(self) -> None:
        """Every row, parents first (the order the models were first added in), then the
        audit chains and their heads."""
        for model, rows in self.rows.items():
            # A plain queryset: the models' own refuse bulk writes, which would skip the
            # revisions and the audit row that this path writes itself. Encryption still
            # happens, in each field's pre_save.
            models.QuerySet(model).bulk_create(rows, batch_size=1000)
        events, heads = [], []
        for passport_id, chain in self.events.items():
            heads.append(audit.linked(audit.chain_for(passport_id, None), chain))
            events += chain
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        AuditChainHead.objects.bulk_create(heads, batch_size=2000)


@transaction.atomic
def in_bulk(ns: list[int], staff: Staff, region: Region) -> list[User]:
    """The young people numbered `ns`, with the rows `by_actions` writes for each, in one
    transaction: their accounts (returned), passports, data keys, nurses, episodes,
    placements, entries with their revisions, the assessment's sign-off, and the audit
    chains. Their derived dates are then worked out as at start-up (`derived.refresh_all`
    over passports not yet worked out)."""
    today, now = timezone.localdate(), timezone.now()
    names = {region.nurse_of(n) for n in ns} | {region.carer_of(n) for n in ns}
    staff_by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    write = _Writer(now)
    owners = []
    for n in ns:
        person = Person(n, today)
        nurse, carer = staff_by_name[region.nurse_of(n)], staff_by_name[region.carer_of(n)]
        owner = write.add(young_person(n))
        owners.append(owner)
        passport = write.add(Passport(id=uuid.uuid4(), owner=owner, date_of_birth=person.born,
                                      health_team=staff.team))
        passport.legal_name, passport.chosen_name = f"Young Person {n}", f"YP{n}"
        write.add(keys.create_data_key(passport.pk))
        write.event(passport, staff.admin, "passport_created")
        assignment = write.add(CareTeamAssignment(id=uuid.uuid4(), passport=passport,
                                                  professional=nurse, started_at=now))
        write.event(passport, staff.admin, "assignment_added", object_id=assignment.pk)
        episode = write.entry(passport, CareEpisode, nurse,  # the action takes the area's key
                              person.episode(staff.area) | {"host_area": staff.area})
        placement = write.add(Placement(
            id=uuid.uuid4(), passport=passport, carer=carer, started_on=person.care_started,
            confirmed_on=today if person.placement_confirmed else person.care_started))
        write.event(passport, staff.admin, "placement_started", object_id=placement.pk)
        if person.placement_confirmed:
            write.event(passport, nurse, "placement_confirmed", basis=Basis.HEALTH_TEAM,
                        object_id=placement.pk)
        for condition in person.conditions():
            write.entry(passport, Condition, nurse, condition)
        for vaccine, given in person.doses:
            write.entry(passport, ImmunisationDose, nurse,
                        {"vaccine": vaccine, "source": "gp_record", "given_on": given})
        _assessed(write, passport, person, episode, nurse, staff.lead)
        if person.has_sdq:
            write.entry(passport, SdqResult, nurse, person.sdq())
    write.save()
    derived.refresh_all(today, stale_only=True)
    return owners


def _assessed(write: _Writer, passport: Passport, person: Person, episode: CareEpisode,
              nurse: User, lead: User) -> None:
    """The initial assessment and its plan, submitted by the nurse and signed off by the
    team lead: each step's version kept, as `do_submit` and `do_quality_review` keep them."""
    assessment = write.entry(passport, Assessment, nurse, person.assessment())
    for action in person.plan():
        write.entry(passport, PlanAction, nurse, action, assessment=assessment)
    # Two more versions: submitted, then signed off (the row is saved once, as the last).
    assessment.state, assessment.submitted_at, assessment.submitted_by = (
        AssessmentState.SUBMITTED, write.now, nurse)
    assessment.version, assessment.updated_by = 2, nurse
    write.revision(assessment, nurse, "Submitted for sign-off")
    write.event(passport, nurse, "assessment_submitted", basis=Basis.HEALTH_TEAM,
                section="assessments", object_id=assessment.pk)
    write.add(QualityReview(passport_id=passport.pk, assessment=assessment,
                            decision=QualityDecision.SIGNED_OFF, checklist=SIGNED_OFF,
                            comments="", reviewed_by=lead, reviewed_at=write.now))
    assessment.state, assessment.signed_off_at, assessment.signed_off_by = (
        AssessmentState.SIGNED_OFF, write.now, lead)
    assessment.version, assessment.updated_by = 3, lead
    write.revision(assessment, lead, "Signed off")
    due = assessment_due.next_due(born=person.born, care_started_on=episode.started_on,
                                  assessments=[], today=assessment.held_on)
    write.add(AssessmentTiming(
        assessment=assessment, passport_id=passport.pk, area_id=episode.placing_authority_id,
        kind=assessment.kind, due_on=due.due_on, held_on=assessment.held_on,
        outcome=assessment.outcome, on_time=not assessment.held_on > due.due_on,
        late_reason=""))
    write.event(passport, lead, "assessment_signed_off", basis=Basis.HEALTH_TEAM,
                section="assessments", object_id=assessment.pk)
