"""The immunisation schedule engine (RULES.md 3): for a date of birth, a history and a date, what
is complete, due, overdue, not yet due, past its age limit, or was never offered to the child's
birth cohort; every line says why. It advises the nurse; it never prescribes.

The schedule is data (`PROGRAMMES`), versioned, judged by birth cohort so that a vaccine that
was not in the schedule when a child was a baby shows as "not offered when you were a baby",
never as missing. RULES.md marks the programme history as to be checked by a clinician: the
table is the one place to correct it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta as rd
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

SCHEDULE_VERSION = "UK routine schedule from 1 January 2026, with earlier cohorts (RULES.md 3)"
D = datetime.date
GRACE = datetime.timedelta(days=28)  # "due" for 4 weeks, then "overdue"
CATCH_UP_GAP = rd(weeks=4)  # doses about 4 weeks apart when catching up
VERBAL = frozenset({"young_persons_word", "carers_word"})

COMPLETE, DUE, OVERDUE, NOT_YET = "complete", "due", "overdue", "not_yet_due"
NOT_OFFERED, PAST_LIMIT = "not_offered", "past_age_limit"
# Not needed because she is protected another way (she had chickenpox): never "complete",
# which means the doses were given.
NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class Plan:
    """What one programme asks of a child born on a given date."""

    ages: tuple[rd, ...]  # when each dose is due
    counts: frozenset[str]  # vaccines that count as a dose of it
    min_age: rd = field(default_factory=rd)  # a dose given younger does not count
    until: rd | None = None  # not given from this age on
    note: object = ""  # a lazy translation: plans are cached, the language is per request
    from_date: D | None = None  # a catch-up offered only from this date...
    until_date: D | None = None  # ...to this one
    # Boosters of one course: this plan's doses are the course's doses beyond `after`, and
    # they wait until the `after` doses before them are given.
    after: int = 0


@dataclass(frozen=True)
class Programme:
    key: str
    name: str
    plan: object  # (born) -> Plan | None: None means not offered to this cohort


def _mmr(born: D) -> Plan | None:
    measles = frozenset({"mmr", "mmrv"})
    if born >= D(2024, 7, 1):  # MMR or MMRV at 1, 18 months (and 3y4m for H2 2024)
        ages = (rd(years=1), rd(months=18)) + ((rd(years=3, months=4),)
                                               if born < D(2025, 1, 1) else ())
    else:
        ages = (rd(years=1), rd(years=3, months=4))
    return Plan(ages, measles, min_age=rd(years=1))


def _varicella(born: D) -> Plan | None:
    mmrv = frozenset({"mmrv"})
    if born >= D(2025, 1, 1):
        return Plan((rd(years=1), rd(months=18)), mmrv, min_age=rd(years=1))
    if born >= D(2024, 7, 1):
        return Plan((rd(months=18), rd(years=3, months=4)), mmrv, min_age=rd(years=1))
    if born >= D(2022, 9, 1):
        return Plan((rd(years=3, months=4),), mmrv, min_age=rd(years=1))
    if born >= D(2020, 1, 1):
        return Plan((rd(years=3, months=4),), mmrv, min_age=rd(years=1), note=_(
            "One MMRV catch-up dose, November 2026 to March 2028, if no chickenpox and fewer "
            "than 2 varicella doses."), from_date=D(2026, 11, 1), until_date=D(2028, 3, 31))
    return None


# Every tetanus- and polio-containing dose is one of the same course: 3 first doses, then
# the pre-school booster (the 4th) and the teenage booster (the 5th). A catch-up resumes it.
TETANUS = frozenset({"6in1", "5in1", "td_ipv", "dtap_ipv"})
BOOSTER_GAP = rd(years=1)  # a booster at least a year after the dose before (unconfirmed)
# Born on or after this day: a 4th 6-in-1 at 18 months, before the pre-school booster.
EIGHTEEN_MONTH_COHORT = D(2024, 7, 1)


def _first_doses(born: D) -> int:
    """Tetanus-containing doses before the pre-school booster: the 3 infant doses, and the
    18-month 6-in-1 for children born from 1 July 2024."""
    return 4 if born >= EIGHTEEN_MONTH_COHORT else 3

PROGRAMMES: tuple[Programme, ...] = (
    Programme("primary", _("Diphtheria, tetanus, whooping cough, polio (first course)"),
              lambda born: Plan((rd(weeks=8), rd(weeks=12), rd(weeks=16)),
                                TETANUS, min_age=rd(weeks=6))),
    Programme("hepb", _("Hepatitis B (in the 6-in-1)"),
              lambda born: Plan((rd(weeks=8), rd(weeks=12), rd(weeks=16)),
                                frozenset({"6in1", "hepb"}), min_age=rd(weeks=6))
              if born >= D(2017, 8, 1) else None),
    Programme("rotavirus", _("Rotavirus"),
              lambda born: Plan((rd(weeks=8), rd(weeks=12)), frozenset({"rotavirus"}),
                                min_age=rd(weeks=6), until=rd(weeks=24))
              if born >= D(2013, 5, 1) else None),
    Programme("menb", _("MenB"),
              lambda born: Plan((rd(weeks=8), rd(weeks=12), rd(years=1)), frozenset({"menb"}),
                                min_age=rd(weeks=6), until=rd(years=2))
              if born >= D(2015, 7, 1) else None),
    Programme("pcv", _("Pneumococcal (PCV)"),
              lambda born: (Plan((rd(weeks=16), rd(years=1)), frozenset({"pcv"}),
                                 min_age=rd(weeks=6), until=rd(years=2))
                            if born >= D(2020, 1, 1) else
                            Plan((rd(months=2), rd(months=4), rd(months=13)), frozenset({"pcv"}),
                                 min_age=rd(weeks=6), until=rd(years=2)))
              if born >= D(2006, 9, 4) else None),
    Programme("hib_menc", _("Hib/MenC booster"),
              lambda born: Plan((rd(years=1),), frozenset({"hib_menc"}), min_age=rd(years=1),
                                until=rd(years=10))
              if D(2005, 9, 1) <= born < D(2024, 7, 1) else None),
    Programme("mmr", _("Measles, mumps and rubella (MMR or MMRV)"), _mmr),
    Programme("varicella", _("Chickenpox (MMRV)"), _varicella),
    # UKHSA, complete routine immunisation schedule from 1 January 2026, "18 months old":
    # "Born on or after 1 July 2024: DTaP/IPV/Hib/HepB ... Born on or before 30 June 2024: No
    # appointment". Cases: docs/clinical-safety/cases/eighteen-month-booster.md.
    Programme("booster_18m", _("6-in-1 booster at 18 months"),
              lambda born: Plan((rd(months=18),), TETANUS, min_age=rd(weeks=6), after=3)
              if born >= EIGHTEEN_MONTH_COHORT else None),
    Programme("preschool", _("Pre-school booster (dTaP/IPV)"),
              lambda born: Plan((rd(years=3, months=4),), TETANUS, min_age=rd(weeks=6),
                                after=_first_doses(born))),
    Programme("hpv", _("HPV"),
              lambda born: Plan((rd(years=12),), frozenset({"hpv"}), min_age=rd(years=9),
                                until=rd(years=25))),
    Programme("td_ipv", _("Teenage booster (Td/IPV)"),
              lambda born: Plan((rd(years=14),), TETANUS, min_age=rd(weeks=6),
                                after=_first_doses(born) + 1)),
    Programme("menacwy", _("MenACWY"),
              lambda born: Plan((rd(years=14),), frozenset({"menacwy"}), min_age=rd(years=10),
                                until=rd(years=25))),
)


@lru_cache(maxsize=4096)
def _plans(born: D) -> tuple[tuple[Programme, Plan | None], ...]:
    """Each programme's plan for a birth date (a caseload asks for many children)."""
    return tuple((programme, programme.plan(born)) for programme in PROGRAMMES)


@dataclass(frozen=True)
class Dose:
    vaccine: str
    given_on: D | None
    source: str = "gp_record"


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    status: str
    due_on: D | None
    counted: int
    needed: int
    why: str


def assess(born: D, doses: list[Dose], on: D, *, history_reliable: bool = True,
           had_chickenpox: bool = False, explain: bool = True) -> list[Line]:
    """Each programme's status on `on`. Without a reliable history, doses on someone's word do
    not count (plan as unimmunised: RULES.md 3); a partial course is resumed, never restarted.
    `explain=False` leaves the names and reasons empty: a caseload only counts what is due,
    and translating thousands of reasons it never shows was a third of its time."""

    def say(text, **values) -> str:
        if not explain:
            return ""
        return str(text % values if values else text)

    usable = [d for d in doses if d.given_on is not None
              and (history_reliable or d.source not in VERBAL)]
    lines = []
    for programme, plan in _plans(born):
        name = str(programme.name) if explain else programme.key
        if plan is None:
            lines.append(Line(programme.key, name, NOT_OFFERED, None, 0, 0, say(_(
                "Not offered to children born when you were: not missing."))))
            continue
        if programme.key == "varicella" and had_chickenpox:
            lines.append(Line(programme.key, name, NOT_NEEDED, None, 0, 0, say(_(
                "Had chickenpox: no varicella vaccine needed."))))
            continue
        given = sorted(d.given_on for d in usable if d.vaccine in plan.counts)
        youngest = born + plan.min_age
        early = [g for g in given if g < youngest]
        valid = [g for g in given if g not in early]
        if plan.after and len(valid) < plan.after:
            lines.append(Line(programme.key, name, NOT_YET, None, 0, len(plan.ages), say(_(
                "After the first course and the booster before it are complete."))))
            continue
        counted = max(0, len(valid) - plan.after)
        needed = len(plan.ages)
        if counted >= needed:
            # Never "All 1 doses", never 5 of 3: one dose is "The dose", and extra doses
            # (a repeat, a dose from abroad) do not make more than the course.
            lines.append(Line(programme.key, name, COMPLETE, None, needed, needed, say(
                ngettext("The dose is recorded.", "All %(n)d doses are recorded.", needed),
                n=needed) if explain else ""))
            continue
        if plan.until is not None and on >= born + plan.until:
            lines.append(Line(programme.key, name, PAST_LIMIT, None, counted, needed, say(_(
                "Not given from this age: no dose is needed now."))))
            continue
        if plan.until_date is not None and on > plan.until_date:
            lines.append(Line(programme.key, name, PAST_LIMIT, None, counted, needed, say(_(
                "The catch-up offer has ended."))))
            continue
        last = max(valid, default=None)
        due_on = born + plan.ages[counted]
        gap = BOOSTER_GAP if plan.after else CATCH_UP_GAP
        if last is not None and (counted or plan.after) and due_on < last + gap:
            due_on = last + gap  # resume the course after the last dose, never restart
        if plan.from_date is not None and due_on < plan.from_date:
            due_on = plan.from_date
        if on < due_on:
            status, why = NOT_YET, say(_("Dose %(k)d of %(n)d is due from %(date)s."),
                                       k=counted + 1, n=needed,
                                       date=due_on.strftime("%d/%m/%Y"))
        else:
            status = OVERDUE if on > due_on + GRACE else DUE
            why = say(_("Dose %(k)d of %(n)d: resume the course, never restart it."),
                      k=counted + 1, n=needed) if counted else say(
                _("No dose recorded yet: %(n)d needed."), n=needed)
        if early and explain:
            why += " " + say(_("A dose given too young does not count."))
        if plan.note and status != COMPLETE and explain:
            why += " " + say(plan.note)
        lines.append(Line(programme.key, name, status, due_on, counted, needed, why))
    return lines


def assess_recorded(born: D, dose_entries, status, on: D, *, explain: bool = True
                    ) -> list[Line]:
    """The schedule for what is recorded: the dose entries a reader may see (those without a
    date do not count) and the immunisation status entry, or None. Every page, export and the
    caseload read the record this one way."""
    doses = [Dose(d.vaccine or "", d.given_on, d.source or "gp_record")
             for d in dose_entries if d.given_on]
    return assess(born, doses, on, history_reliable=not (status and status.history == "none"),
                  had_chickenpox=bool(status and status.had_chickenpox == "yes"),
                  explain=explain)
