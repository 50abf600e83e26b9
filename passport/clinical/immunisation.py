"""The immunisation schedule engine: for a date of birth, the doses given and a date, what is
complete, due, overdue, not yet due, waiting for an earlier dose, deferred in pregnancy, past its
age limit, not needed, or was never offered to the child's birth cohort; every line says why. It
advises the nurse; it never prescribes.

Every number comes from the data table `passport.clinical.vaccine_schedule`, each row with its
published
source; the rules in words are in docs/clinical-safety/schedule.md and the cases worked by hand
in docs/clinical-safety/cases/immunisation.md. Each programme counts only the doses that belong
to it, by vaccine, age and interval: a dose given too young, too soon after the dose before, or
too late does not count, and the line says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta as rd
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from passport.clinical import vaccine_schedule as table

SCHEDULE_VERSION = table.VERSION
D = datetime.date
GRACE = datetime.timedelta(days=28)  # "due" for 4 weeks, then "overdue"
FIRST_BIRTHDAY = rd(years=1)

COMPLETE, DUE, OVERDUE, NOT_YET = "complete", "due", "overdue", "not_yet_due"
NOT_OFFERED, PAST_LIMIT = "not_offered", "past_age_limit"
# Not needed because she is protected another way (she had chickenpox): never "complete",
# which means the doses were given.
NOT_NEEDED = "not_needed"
WAITS = "waits"  # an earlier dose of the same course comes first
DEFERRED = "deferred"  # not while she is pregnant

DOCUMENTED_SOURCES = frozenset({"gp_record", "child_health_record", "red_book", "abroad"})
VERBAL = frozenset({"young_persons_word", "carers_word"})

TETANUS = frozenset({"6in1", "5in1", "dtap_ipv", "td_ipv"})
HIB = frozenset({"6in1", "5in1", "hib_menc"})
HEPB = frozenset({"6in1", "hepb"})
MEASLES = frozenset({"mmr", "mmrv"})
VARICELLA = frozenset({"mmrv", "varicella"})
LIVE = MEASLES | VARICELLA
PERTUSSIS = frozenset({"6in1", "5in1", "dtap_ipv"})


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


@dataclass(frozen=True)
class Facts:
    """What decides the plan besides the doses: the nurse's judgement of the history
    ("documented", "verbal", "none", or "" when none is recorded), chickenpox, her sex for
    vaccines ("female", "male" or ""), and a pregnancy with its expected date of delivery."""

    history: str = ""
    had_chickenpox: bool = False
    sex: str = ""
    pregnant: bool = False
    delivery_on: D | None = None

    def pregnant_on(self, on: D) -> bool:
        return self.pregnant and (self.delivery_on is None or on <= self.delivery_on)


@dataclass(frozen=True)
class Slot:
    """One dose of a course: when it is routinely due, and when a dose given counts for it."""

    at: rd  # routine age
    youngest: rd = field(default_factory=rd)
    gap: rd = field(default_factory=rd)  # after the dose given before it
    before: rd | None = None  # counts only if given younger than this
    rows: tuple = ()  # unconfirmed table rows that decide it


@dataclass
class Course:
    """The doses that counted for a course, and why others did not."""

    counted: list[D]
    last_given: D | None
    problems: list[str]
    unconfirmed: bool = False


def _school_year_start(born: D, year: int) -> D:
    """1 September of school year `year` (year 8, year 9) in England."""
    return D(born.year + year + (5 if born.month >= 9 else 4), 9, 1)


def _walk(born: D, given: list[D], slots: list[Slot], *, live_others: Iterable[D] = (),
          previous: D | None = None, live: bool = False) -> Course:
    """Match the doses given, in date order, to the course's slots; `previous` is the dose
    before the first slot (a booster is timed from the end of the course before it)."""
    others = sorted(set(live_others))
    course = Course([], previous, [])
    for day in given:
        # A live vaccine is also 4 weeks from this course's own doses that did not count.
        others_now = [*others, *(d for d in given if d < day)] if live else others
        if len(course.counted) >= len(slots):
            break  # extra doses (a repeat, a dose from abroad) do not make more than the course
        slot = slots[len(course.counted)]
        problem = None
        if day < born + slot.youngest:
            problem = "young"
            course.unconfirmed |= any(r.unconfirmed for r in slot.rows)
        elif slot.before is not None and day >= born + slot.before:
            problem = "late"
        elif course.last_given is not None and day < course.last_given + slot.gap:
            problem = "soon"
        elif any(0 < (day - other).days < 28 for other in others_now):
            problem = "live"
        if problem:
            course.problems.append(problem)
        else:
            course.counted.append(day)
        course.last_given = day
    return course


PROBLEM_WORDS = {
    "young": _("A dose given too young does not count."),
    "soon": _("A dose given too soon after the one before does not count."),
    "late": _("A dose given after the age it can be given does not count."),
    "live": _("A live vaccine given 1 to 27 days after another does not count; it is given "
              "again 4 weeks later."),
}
UNCONFIRMED_WORDS = _("This rule's source is not confirmed yet: check it.")


@dataclass
class Plan:
    """A programme's answer before it is put into words."""

    status: str
    due_on: D | None = None
    counted: int = 0
    needed: int = 0
    note: object = ""
    problems: list[str] = field(default_factory=list)
    unconfirmed: bool = False
    overdue_after: D | None = None  # "due" until this day, then "overdue"


def _course_plan(born: D, on: D, slots: list[Slot], course: Course, *,
                 until: table.Row | None = None, last_live: D | None = None) -> Plan:
    needed = len(slots)
    done = len(course.counted)
    plan = Plan(COMPLETE, None, min(done, needed), needed, problems=course.problems,
                unconfirmed=course.unconfirmed)
    if done >= needed:
        return plan
    if until is not None and on >= born + until.value:
        plan.status = PAST_LIMIT
        plan.unconfirmed |= until.unconfirmed
        return plan
    slot = slots[done]
    due = max(born + slot.at, born + slot.youngest)
    if course.last_given is not None:
        due = max(due, course.last_given + slot.gap)
        if not course.counted or course.counted[-1] != course.last_given:
            # a dose that did not count is followed by the next 4 weeks after it at least
            due = max(due, course.last_given + table.GAP.value)
    if last_live is not None:
        due = max(due, last_live + table.LIVE_APART.value)
    plan.due_on = due
    plan.status = NOT_YET if on < due else DUE
    return plan


# --- the programmes ------------------------------------------------------------------------


def _infant_slots() -> list[Slot]:
    """The 3 doses of the first course (and of hepatitis B in the 6-in-1)."""
    young = table.YOUNGEST_INFANT_DOSE
    return [Slot(at, young.value, table.GAP.value, rows=(young,))
            for at in table.INFANT_DOSES.value]


def _tetanus(born: D, doses: list[D], on: D, booster_days: frozenset[D] = frozenset(),
             hib_days: frozenset[D] = frozenset()) -> dict[str, Plan]:
    """The first course, the 18-month 6-in-1 (born from July 2024, first course done in the
    first year), the first booster and the teenage booster, from one list of tetanus-containing
    doses: each dose belongs to one place only, the first it fits. A booster vaccine given
    before the course was complete is a dose of the course (resume, never restart); a dose
    before 3 years after the course only times the booster, it is not a mistake."""
    infant = _infant_slots()
    first = _walk(born, doses, infant)
    plans = {"primary": _course_plan(born, on, infant, first)}
    if any(day in booster_days for day in first.counted):
        plans["primary"].note = _("A booster vaccine given before the first course was "
                                  "complete counts as a dose of the first course.")
    if len(first.counted) < 3:
        plans["preschool"] = Plan(WAITS, needed=1, note=_(
            "After the first course is complete."))
        plans["td_ipv"] = Plan(WAITS, needed=1, note=_("After the first course and the first "
                                                        "booster."))
        return plans
    third = course_end = first.counted[2]
    after = [day for day in doses if day > third]
    one = born + table.HIB_OVER_ONE.value
    if born >= table.EIGHTEEN_MONTH_COHORT.value and third < one:
        slot = Slot(table.EIGHTEEN_MONTHS.value, table.HIB_OVER_ONE.value, table.GAP.value)
        eighteen = _walk(born, [d for d in after if d in hib_days], [slot], previous=third)
        plans["booster_18m"] = _course_plan(born, on, [slot], eighteen,
                                            until=table.HIB_UNTIL)
        after = [d for d in after if d not in eighteen.counted]
        course_end = max([third, *eighteen.counted])  # the booster is timed from it
    late = third >= born + table.TD_IPV_FROM.value
    gap = table.LATE_FIRST_BOOSTER_GAP.value if late else table.PRESCHOOL_FROM.value[1]
    youngest = rd() if late else table.PRESCHOOL_FROM.value[0]
    booster = Slot(rd() if late else table.PRESCHOOL_AGE.value, youngest, gap)
    early = [d for d in after if d < born + youngest]  # they time the booster, no more
    boost = _walk(born, [d for d in after if d not in early], [booster],
                  previous=max([course_end, *early]))
    plans["preschool"] = _course_plan(born, on, [booster], boost)
    if not boost.counted:
        plans["td_ipv"] = Plan(WAITS, needed=1, note=_("After the first booster."))
        return plans
    year9 = _school_year_start(born, table.TEENAGE_YEAR.value)
    teenage = Slot(rd(year9, born), table.TD_IPV_FROM.value, table.TEENAGE_GAP.value)
    first_booster = boost.counted[0]
    teen = _walk(born, [day for day in doses if day > first_booster], [teenage],
                 previous=first_booster)
    plans["td_ipv"] = _in_school_year(_course_plan(born, on, [teenage], teen), year9)
    return plans


def _in_school_year(plan: Plan, start: D) -> Plan:
    """A dose of the school programme is due all that school year."""
    if plan.due_on == start:
        plan.overdue_after = D(start.year + 1, 8, 31)
    return plan


def _hib_booster(born: D, hib: list[D], on: D, routine: rd) -> Plan:
    """One Hib dose on or after the first birthday, 4 weeks after the Hib dose before it."""
    slot = Slot(routine, table.HIB_OVER_ONE.value, table.GAP.value)
    previous = None
    for day in hib:
        if day >= born + slot.youngest and (previous is None or day >= previous + slot.gap):
            return Plan(COMPLETE, counted=1, needed=1)
        previous = day
    return _course_plan(born, on, [slot], Course([], previous, []), until=table.HIB_UNTIL)


def _menb(born: D, doses: list[D], on: D) -> Plan:
    young = table.YOUNGEST_INFANT_DOSE
    one = FIRST_BIRTHDAY
    new = born + rd(weeks=12) >= table.SCHEDULE_CHANGE.value
    second = table.MENB_DOSES.value[1] if new else table.MENB_OLD_SECOND.value
    first = next((d for d in doses if d >= born + young.value), None)
    infant = first < born + one if first else on < born + one
    slots = ([Slot(table.MENB_DOSES.value[0], young.value, rows=(young,)),
              Slot(second, young.value, table.GAP.value),
              Slot(one, one, table.GAP.value)] if infant else
             [Slot(one, one), Slot(one, one, table.GAP.value)])
    return _course_plan(born, on, slots, _walk(born, doses, slots), until=table.MENB_UNTIL)


def _pcv(born: D, doses: list[D], on: D) -> Plan:
    young = table.YOUNGEST_INFANT_DOSE
    one = FIRST_BIRTHDAY
    first = next((d for d in doses if d >= born + young.value), None)
    infant = first < born + one if first else on < born + one
    if born >= table.PCV_ONE_PLUS_ONE.value:
        new = born + rd(weeks=16) >= table.SCHEDULE_CHANGE.value
        priming = table.PCV_DOSES.value[0] if new else table.PCV_OLD_PRIMING.value
        slots = ([Slot(priming, young.value, rows=(young,)), Slot(one, one, table.GAP.value)]
                 if infant else [Slot(one, one)])
    else:
        two, four, thirteen = table.PCV_BEFORE_2020.value
        slots = ([Slot(two, young.value, rows=(young,)), Slot(four, young.value, table.GAP.value),
                  Slot(thirteen, one, table.GAP.value)] if infant else [Slot(one, one)])
    plan = _course_plan(born, on, slots, _walk(born, doses, slots), until=table.PCV_UNTIL)
    plan.unconfirmed |= born < table.PCV_ONE_PLUS_ONE.value and plan.status != COMPLETE
    return plan


def _rotavirus(born: D, doses: list[D], on: D) -> Plan:
    first_before = table.ROTAVIRUS_FIRST_BEFORE.value
    last_before = table.ROTAVIRUS_LAST_BEFORE.value
    young = table.YOUNGEST_INFANT_DOSE.value
    slots = [Slot(table.ROTAVIRUS_DOSES.value[0], young, before=first_before),
             Slot(table.ROTAVIRUS_DOSES.value[1], young, table.GAP.value, before=last_before)]
    course = _walk(born, doses, slots)
    plan = _course_plan(born, on, slots, course)
    if plan.status == COMPLETE:
        return plan
    limit = born + (first_before if not course.counted else last_before)
    if on >= limit or plan.due_on >= limit:
        plan.status, plan.due_on = PAST_LIMIT, None
        plan.note = (_("The first dose is given only before 15 weeks: the course can no longer "
                       "be given.") if not course.counted else
                     _("The second dose is given only before 24 weeks: it can no longer be "
                       "given."))
    return plan


def _measles(born: D, doses: list[D], others: list[D], on: D) -> Plan:
    second = (table.MMR_SECOND_NEW.value if born >= table.EIGHTEEN_MONTH_COHORT.value
              else table.MMR_SECOND_OLD.value)
    one = table.MMR_FROM.value
    slots = [Slot(one, one), Slot(second, one, table.MMR_SECOND_GAP.value)]
    course = _walk(born, doses, slots, live_others=others, live=True)
    last_other = max(others, default=None)
    return _course_plan(born, on, slots, course, last_live=last_other)


def _varicella(born: D, doses: list[D], others: list[D], on: D, facts: Facts) -> Plan:
    one = table.MMR_FROM.value
    gap = table.LIVE_APART.value
    catch_up_from, opens, closes = table.MMRV_CATCH_UP.value
    if born >= table.MMRV_TWO_AT_1_AND_18M.value:
        slots = [Slot(one, one), Slot(rd(months=18), one, gap)]
    elif born >= table.MMRV_TWO_AT_18M_AND_3Y.value:
        slots = [Slot(rd(months=18), one), Slot(rd(years=3, months=4), one, gap)]
    elif born >= table.MMRV_ONE_AT_3Y.value:
        slots = [Slot(rd(years=3, months=4), one)]
    elif born >= catch_up_from:
        slots = [Slot(one, one), Slot(one, one, gap)]
    else:
        return Plan(NOT_OFFERED)
    course = _walk(born, doses, slots, live_others=others, live=True)
    last_other = max(others, default=None)
    if born < table.MMRV_ONE_AT_3Y.value:  # the selective catch-up: one dose in its window
        plan = Plan(COMPLETE, counted=1, needed=1, problems=course.problems)
        if len(course.counted) >= 2 or any(d >= opens for d in course.counted):
            return plan
        if facts.had_chickenpox:
            return Plan(NOT_NEEDED)
        plan.counted = 0
        plan.note = _("One MMRV catch-up dose, November 2026 to March 2028, if no chickenpox "
                      "and fewer than 2 varicella doses.")
        if on > closes:
            plan.status, plan.note = PAST_LIMIT, _("The catch-up offer has ended.")
            return plan
        due = max([opens] + [d + gap for d in (course.last_given, last_other) if d])
        plan.status, plan.due_on = (NOT_YET if on < due else DUE), due
        plan.overdue_after = closes
        return plan
    plan = _course_plan(born, on, slots, course, last_live=last_other)
    if plan.status != COMPLETE and facts.had_chickenpox:
        return Plan(NOT_NEEDED)
    return plan


def _school_dose(born: D, doses: list[D], on: D, year: int, youngest: table.Row,
                 until: table.Row) -> Plan:
    start = _school_year_start(born, year)
    slot = Slot(rd(start, born), youngest.value, rows=(youngest,))
    return _in_school_year(_course_plan(born, on, [slot], _walk(born, doses, [slot]),
                                        until=until), start)


def _hpv(born: D, doses: list[D], on: D, facts: Facts) -> Plan:
    if born < table.HPV_GIRLS.value or (facts.sex == "male" and born < table.HPV_BOYS.value):
        return Plan(NOT_OFFERED, note=_("Not offered to boys born before 1 September 2006."))
    plan = _school_dose(born, doses, on, table.HPV_YEAR.value, table.HPV_FROM, table.HPV_UNTIL)
    if not facts.sex and born < table.HPV_BOYS.value and plan.status != COMPLETE:
        plan.note = _("Offered to girls born from September 1991; boys born before 1 September "
                      "2006 were not offered HPV.")
    return plan


def _pregnancy(doses: list[Dose], on: D, facts: Facts) -> list[tuple[str, object, Plan]]:
    """The vaccines offered in pregnancy, while she is pregnant and the date is known."""
    if not facts.pregnant_on(on) or facts.delivery_on is None:
        return []
    delivery = facts.delivery_on
    began = delivery - table.FULL_TERM.value
    lines = []
    for key, name, vaccines, from_week, by_week in (
            ("pertussis_pregnancy", _("Whooping cough vaccine in pregnancy"), PERTUSSIS,
             table.PERTUSSIS_FROM, table.PERTUSSIS_IDEALLY_BY),
            ("rsv_pregnancy", _("RSV vaccine in pregnancy"), frozenset({"rsv"}),
             table.RSV_FROM, table.RSV_IDEALLY_BY)):
        start = began + from_week.value
        given = any(d.vaccine in vaccines and start <= d.given_on <= on for d in doses)
        plan = Plan(COMPLETE, counted=1, needed=1) if given else Plan(
            NOT_YET if on < start else DUE, start, 0, 1,
            overdue_after=began + by_week.value)
        lines.append((key, name, plan))
    first_month, last_month = table.FLU_SEASON.value
    if on.month >= first_month or on.month <= last_month:
        season = D(on.year if on.month >= first_month else on.year - 1, first_month, 1)
        given = any(d.vaccine == "flu" and season <= d.given_on <= on for d in doses)
        due = max(season, began)
        plan = Plan(COMPLETE, counted=1, needed=1) if given else Plan(
            DUE, due, 0, 1, overdue_after=delivery)
        lines.append(("flu_pregnancy", _("Flu vaccine in pregnancy"), plan))
    elif D(on.year, first_month, 1) <= delivery:
        lines.append(("flu_pregnancy", _("Flu vaccine in pregnancy"),
                      Plan(NOT_YET, D(on.year, first_month, 1), 0, 1)))
    return lines


# --- putting it together --------------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    key: str
    name: object  # a lazy translation
    name_from_ten: object = None


PROGRAMMES = (
    Programme("primary", _("Diphtheria, tetanus, whooping cough, polio (first course)"),
              _("Tetanus, diphtheria and polio: first course (Td/IPV)")),
    Programme("hepb", _("Hepatitis B (in the 6-in-1)")),
    Programme("rotavirus", _("Rotavirus")),
    Programme("menb", _("MenB")),
    Programme("pcv", _("Pneumococcal (PCV)")),
    Programme("hib_menc", _("Hib/MenC booster")),
    Programme("booster_18m", _("6-in-1 booster at 18 months")),
    Programme("mmr", _("Measles, mumps and rubella (MMR or MMRV)")),
    Programme("varicella", _("Chickenpox (MMRV)")),
    Programme("preschool", _("Pre-school booster (dTaP/IPV)"),
              _("Tetanus, diphtheria and polio: first booster (Td/IPV)")),
    Programme("hpv", _("HPV")),
    Programme("td_ipv", _("Teenage booster (Td/IPV)")),
    Programme("menacwy", _("MenACWY")),
)
SECOND_BOOSTER = _("Tetanus, diphtheria and polio: second booster (Td/IPV)")
LIVE_KEYS = frozenset({"mmr", "varicella"})


def _plans(born: D, usable: list[Dose], on: D, facts: Facts) -> dict[str, Plan]:
    def days(vaccines: frozenset[str]) -> list[D]:
        return sorted(d.given_on for d in usable if d.vaccine in vaccines)

    ten = born + table.TD_IPV_FROM.value
    plans = _tetanus(born, days(TETANUS), on, frozenset(
        d.given_on for d in usable if d.vaccine == "dtap_ipv"
        or (d.vaccine == "td_ipv" and d.given_on < ten)), frozenset(days(HIB)))
    if born >= table.HEPB_COHORT.value:
        infant = _infant_slots()
        selective = [d.given_on for d in usable if d.vaccine == "hepb"
                     and d.given_on < born + table.HEPB_SELECTIVE_BEFORE.value]
        plans["hepb"] = _course_plan(
            born, on, infant, _walk(born, [d for d in days(HEPB) if d not in selective], infant),
            until=table.HEPB_UNTIL)
        if selective:
            plans["hepb"].unconfirmed |= table.HEPB_SELECTIVE_BEFORE.unconfirmed
            plans["hepb"].note = _("Hepatitis B doses in the first weeks of life are the extra "
                                   "ones for a baby whose mother has hepatitis B: they are not "
                                   "part of this course. A blood test between 12 and 18 months "
                                   "checks the baby is protected.")
    else:
        plans["hepb"] = Plan(NOT_OFFERED)
    plans["rotavirus"] = (_rotavirus(born, days(frozenset({"rotavirus"})), on)
                          if born >= table.ROTAVIRUS_COHORT.value else Plan(NOT_OFFERED))
    plans["menb"] = (_menb(born, days(frozenset({"menb"})), on)
                     if born >= table.MENB_COHORT.value else Plan(NOT_OFFERED))
    plans["pcv"] = (_pcv(born, days(frozenset({"pcv"})), on)
                    if born >= table.PCV_COHORT.value else Plan(NOT_OFFERED))
    eighteen = born >= table.EIGHTEEN_MONTH_COHORT.value
    in_hib_menc = table.HIB_MENC_COHORT.value <= born and not eighteen
    plans["hib_menc"] = (_hib_booster(born, days(HIB), on, table.HIB_MENC_AGE.value)
                         if in_hib_menc else Plan(NOT_OFFERED))
    if "booster_18m" not in plans:  # not in the chain: a late starter's Hib over one year
        plans["booster_18m"] = (_hib_booster(born, days(HIB), on, table.EIGHTEEN_MONTHS.value)
                                if eighteen else Plan(NOT_OFFERED))
    measles, varicella = days(MEASLES), days(VARICELLA)
    live = days(LIVE)
    plans["mmr"] = _measles(born, measles, [d for d in live if d not in measles], on)
    plans["varicella"] = _varicella(born, varicella, [d for d in live if d not in varicella],
                                    on, facts)
    plans["hpv"] = _hpv(born, days(frozenset({"hpv"})), on, facts)
    plans["menacwy"] = _school_dose(born, days(frozenset({"menacwy"})), on,
                                    table.TEENAGE_YEAR.value, table.MENACWY_FROM,
                                    table.MENACWY_UNTIL)
    if facts.pregnant_on(on):
        for key in (*LIVE_KEYS, "hpv"):
            plan = plans[key]
            if plan.status in (DUE, OVERDUE, NOT_YET):
                plans[key] = Plan(DEFERRED, facts.delivery_on, plan.counted, plan.needed,
                                  unconfirmed=key in LIVE_KEYS)
    return plans


def _finish(plan: Plan, on: D) -> Plan:
    if plan.status == DUE:
        overdue_after = plan.overdue_after or plan.due_on + GRACE
        if on > overdue_after:
            plan.status = OVERDUE
    return plan


def assess(born: D, doses: list[Dose], on: D, *, facts: Facts | None = None,
           explain: bool = True) -> list[Line]:
    """Each programme's status on `on`. A dose known only from someone's word counts only when
    the nurse judged the verbal history reliable; otherwise plan as unimmunised. `explain=False`
    leaves the names and reasons empty: a caseload only counts what is due."""
    facts = facts or Facts()
    dated = [d for d in doses if d.given_on is not None and d.given_on <= on]
    # A dose counts on a record (GP, child health, red book, abroad), or on someone's word
    # once the nurse has judged that history reliable; a dose with no source does not count.
    usable = [d for d in dated if d.source in DOCUMENTED_SOURCES
              or (d.source in VERBAL and facts.history == "verbal")]
    left_out = [d for d in dated if d not in usable]
    plans = _plans(born, usable, on, facts)
    over_ten = on >= born + table.TD_IPV_FROM.value
    first_course_late = _first_course_late(born, usable)
    lines = []
    for programme in PROGRAMMES:
        plan = _finish(plans[programme.key], on)
        name = programme.key
        if explain:
            name = programme.name_from_ten if over_ten and programme.name_from_ten else (
                programme.name)
            if programme.key == "td_ipv" and (first_course_late or (
                    over_ten and plans["primary"].status != COMPLETE)):
                name = SECOND_BOOSTER
        why = _why(plan, programme.key, left_out, facts) if explain else ""
        lines.append(Line(programme.key, str(name), plan.status, plan.due_on, plan.counted,
                          plan.needed, why))
    for key, name, plan in _pregnancy(usable, on, facts):
        plan = _finish(plan, on)
        lines.append(Line(key, str(name) if explain else key, plan.status, plan.due_on,
                          plan.counted, plan.needed,
                          _why(plan, key, [], facts) if explain else ""))
    return lines


def _first_course_late(born: D, usable: list[Dose]) -> bool:
    days = sorted(d.given_on for d in usable if d.vaccine in TETANUS)
    first = _walk(born, days, _infant_slots())
    return bool(first.counted) and first.counted[0] >= born + table.TD_IPV_FROM.value


PRODUCTS = {"primary": TETANUS, "preschool": TETANUS, "td_ipv": TETANUS, "hepb": HEPB,
            "hib_menc": HIB, "booster_18m": HIB, "mmr": MEASLES, "varicella": VARICELLA,
            "rotavirus": frozenset({"rotavirus"}), "menb": frozenset({"menb"}),
            "pcv": frozenset({"pcv"}), "hpv": frozenset({"hpv"}),
            "menacwy": frozenset({"menacwy"})}


def _why(plan: Plan, key: str, left_out: list[Dose], facts: Facts) -> str:
    parts: list[str] = []
    date = date_format(plan.due_on, "j F Y") if plan.due_on else ""  # in the page's language
    if plan.status == NOT_OFFERED:
        parts.append(str(plan.note or _("Not offered to children born when you were: not "
                                        "missing.")))
    elif plan.status == NOT_NEEDED:
        parts.append(str(_("Had chickenpox: no varicella vaccine needed.")))
    elif plan.status == COMPLETE:
        parts.append(ngettext("The dose is recorded.", "All %(n)d doses are recorded.",
                              plan.needed) % {"n": plan.needed})
    elif plan.status == WAITS:
        parts.append(str(plan.note))
    elif plan.status == DEFERRED:
        parts.append(str(_("Not given in pregnancy: after the baby is born, from %(date)s.")
                         % {"date": date}) if date else str(_(
            "Not given in pregnancy: after the baby is born. Record the expected date of "
            "delivery.")))
    elif plan.status == PAST_LIMIT:
        parts.append(str(plan.note or _("Not given from this age: no dose is needed now.")))
    elif plan.status == NOT_YET:
        parts.append(str(_("Dose %(k)d of %(n)d is due from %(date)s.") % {
            "k": plan.counted + 1, "n": plan.needed, "date": date}))
    else:
        parts.append(str(_("Dose %(k)d of %(n)d: resume the course, never restart it.") % {
            "k": plan.counted + 1, "n": plan.needed}) if plan.counted else str(_(
                "No dose recorded yet: %(n)d needed.") % {"n": plan.needed}))
    if plan.status in (DUE, OVERDUE, NOT_YET, COMPLETE) and plan.note:
        parts.append(str(plan.note))
    for problem in dict.fromkeys(plan.problems):
        if plan.status != COMPLETE:
            parts.append(str(PROBLEM_WORDS[problem]))
    products = PRODUCTS.get(key, frozenset())
    mine = [d for d in left_out if d.vaccine in products and d.source in VERBAL]
    unsourced = [d for d in left_out if d.vaccine in products and d.source not in VERBAL]
    if unsourced and plan.status != COMPLETE:
        parts.append(ngettext(
            "%(n)d dose with no record of how we know is not counted: add where it is recorded.",
            "%(n)d doses with no record of how we know are not counted: add where they are "
            "recorded.", len(unsourced)) % {"n": len(unsourced)})
    if mine and plan.status != COMPLETE:
        parts.append(ngettext(
            "%(n)d dose known only from someone's word is not counted: %(reason)s",
            "%(n)d doses known only from someone's word are not counted: %(reason)s",
            len(mine)) % {"n": len(mine), "reason": (
                _("the history is judged not reliable.") if facts.history == "none"
                else _("only documented doses count.") if facts.history == "documented"
                else _("record whether the history is reliable."))})
    if plan.unconfirmed and plan.status != COMPLETE:
        parts.append(str(UNCONFIRMED_WORDS))
    return " ".join(parts)


def facts_of(status, sex: str = "") -> Facts:
    """The facts recorded on her immunisation status entry (or None) and her passport."""
    if status is None:
        return Facts(sex=sex or "")
    return Facts(history=status.history or "", had_chickenpox=status.had_chickenpox == "yes",
                 sex=sex or "", pregnant=status.pregnant == "yes",
                 delivery_on=getattr(status, "expected_delivery_on", None))


def assess_recorded(born: D, dose_entries, status, on: D, *, sex: str = "",
                    explain: bool = True) -> list[Line]:
    """The schedule for what is recorded: the dose entries a reader may see (those without a
    date do not count) and the immunisation status entry, or None. Every page, export and the
    caseload read the record this one way."""
    doses = [Dose(d.vaccine or "", d.given_on, d.source or "")
             for d in dose_entries if d.given_on]
    return assess(born, doses, on, facts=facts_of(status, sex), explain=explain)
