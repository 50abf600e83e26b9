"""When a looked-after child's next health assessment is due (docs/clinical-rules.md 1), computed
when read.

- Initial (IHA): within 20 working days of entering care (weekends and English bank holidays
  excluded, from the maintained `holidays` package); not needed if one was done in the 3
  months before.
- Review (RHA): every 6 months before the 5th birthday, every 12 months from then. Across the
  5th birthday areas read the regulation differently, so the reading is a setting
  (`HP_RHA_INTERVAL_RULE`): "age_at_last" (default: the child's age on the day of the last
  assessment sets the interval) or "age_at_due" (6 months only if the child is still under 5
  when those 6 months end).
- A declined assessment (a competent young person's lawful choice) restarts the clock like a
  done one: it is not a breach. "Not brought" and "postponed" leave it due.
- Children looked after only under short breaks have no duty.
- The duty lasts while she is looked after: nothing is due once care has ended, nor on a date
  after the day it ends.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils.translation import gettext_lazy as _

INITIAL_WORKING_DAYS = 20
RECENT_ASSESSMENT = relativedelta(months=3)
UNDER_FIVE, FROM_FIVE = relativedelta(months=6), relativedelta(months=12)
COUNTS = frozenset({"done", "declined"})  # what restarts the clock
RULES_VERSION = "assessment clock (docs/clinical-rules.md 1), 2026-01"


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def review_interval(born: datetime.date, last: datetime.date, rule: str | None = None
                    ) -> relativedelta:
    rule = rule or getattr(settings, "HP_RHA_INTERVAL_RULE", "age_at_last")
    fifth = born + relativedelta(years=5)
    if rule == "age_at_due":
        return UNDER_FIVE if last + UNDER_FIVE < fifth else FROM_FIVE
    return UNDER_FIVE if last < fifth else FROM_FIVE


# Why an assessment is due: lazy, translated when shown (a caseload or the area figures work
# out thousands of due dates and show few of these).
INITIAL_WHY = _("Initial health assessment: within 20 working days of coming into care.")
UNDER_FIVE_WHY = _("Review: every 6 months before the 5th birthday.")
FROM_FIVE_WHY = _("Review: every 12 months from the 5th birthday.")


@dataclass(frozen=True)
class Due:
    kind: str  # "initial" or "review"
    due_on: datetime.date
    overdue: bool
    why: Any  # a lazy translation
    rules: str = RULES_VERSION


@dataclass(frozen=True)
class Held:
    """An assessment as the clock sees it: its kind, date and outcome (plain facts)."""

    kind: str
    held_on: datetime.date
    outcome: str


def next_due(*, born: datetime.date, care_started_on: datetime.date | None,
             assessments: list[Held], today: datetime.date, short_breaks_only: bool = False,
             rule: str | None = None, care_ended_on: datetime.date | None = None
             ) -> Due | None:
    if care_started_on is None or short_breaks_only:
        return None  # no duty
    if care_ended_on is not None and care_ended_on <= today:
        return None  # she has left care: no assessment is due
    due = _next(born, care_started_on, assessments, today, rule)
    if care_ended_on is not None and due.due_on > care_ended_on:
        return None  # it would fall after care ends
    return due


def _next(born: datetime.date, care_started_on: datetime.date, assessments: list[Held],
          today: datetime.date, rule: str | None) -> Due:
    counted = sorted((a for a in assessments if a.outcome in COUNTS and a.held_on),
                     key=lambda a: a.held_on)
    recent = care_started_on - RECENT_ASSESSMENT
    initial_done = any(a.held_on >= (recent if a.kind == "initial" else care_started_on)
                       for a in counted)
    if not initial_done:
        due = add_working_days(care_started_on, INITIAL_WORKING_DAYS)
        return Due("initial", due, today > due, INITIAL_WHY)
    last = counted[-1].held_on
    interval = review_interval(born, last, rule)
    due = last + interval
    return Due("review", due, today > due,
               UNDER_FIVE_WHY if interval == UNDER_FIVE else FROM_FIVE_WHY)
