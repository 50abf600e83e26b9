"""Area figures for the designated professional: how many children are
in care, how many health assessments fell due each quarter, the share done on time, the
breaches and their recorded reasons. Counts only: no name, no record, nothing to click through.

Quarters are the NHS financial year's (April to June is Q1), the way the figures are reported
to the ICB each quarter. An assessment counts once it is signed off; a duty past its date with
no signed-off assessment counts as "not done yet". Worked from plain, derived facts only (the
timing written at sign-off, episodes' dates, the next assessment kept on each passport), so
thousands of children take a few queries and nothing is decrypted.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import capabilities
from passport.models import (
    Area,
    AssessmentTiming,
    CareEpisode,
    LateReason,
    Passport,
    User,
)
from passport.operations import replica
from passport.records import audit

QUARTERS_SHOWN = 5
# Who sees area figures: the designated professional (nothing else) and the team lead (her
# team's dashboards). The page and the API both ask this.


@dataclass
class Counts:
    due: int = 0
    on_time: int = 0
    declined: int = 0  # on time: a competent young person's choice is not a breach
    late: int = 0
    not_done: int = 0  # past its date with no signed-off assessment

    @property
    def share_on_time(self) -> int | None:
        """Percentage, rounded; None when nothing fell due."""
        return round(100 * self.on_time / self.due) if self.due else None


@dataclass
class Quarter:
    start: datetime.date
    end: datetime.date
    in_care: int = 0
    initial: Counts = field(default_factory=Counts)
    review: Counts = field(default_factory=Counts)
    reasons: Counter = field(default_factory=Counter)
    not_brought: int = 0
    # Only on the oldest quarter shown: duties that fell due before it and are still not done
    # (the caseload shows them as overdue; the figures must not lose them).
    earlier_initial: int = 0
    earlier_review: int = 0

    @property
    def label(self) -> str:
        first_year = self.start.year if self.start.month >= 4 else self.start.year - 1
        number = ((self.start.month - 4) % 12) // 3 + 1
        return _("%(first)d/%(second)02d Q%(number)d") % {
            "first": first_year, "second": (first_year + 1) % 100, "number": number}

    @property
    def breaches(self) -> int:
        return (self.initial.late + self.initial.not_done + self.review.late
                + self.review.not_done)

    def reason_rows(self) -> list[tuple[str, int]]:
        labels = dict(LateReason.choices) | {"": _("No reason recorded"),
                                            "not_done": _("Not done yet")}
        rows = [(str(labels.get(key, key)), n) for key, n in self.reasons.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start_month = ((day.month - 4) % 12) // 3 * 3 + 4
    start_year = day.year if day.month >= start_month else day.year - 1
    start = datetime.date(start_year + (start_month - 1) // 12, (start_month - 1) % 12 + 1, 1)
    return start, start + relativedelta(months=3) - datetime.timedelta(days=1)


def areas_for(user: User) -> list[Area]:
    """The local authority areas whose figures this person may see: those of her own
    organisation (an ICB hosts the designated professionals of its areas)."""
    if not capabilities.can_view_figures(user) or user.organisation_id is None:
        return []
    return list(Area.objects.filter(organisations=user.organisation_id).order_by("name"))


def by_quarter(user: User, areas: list[Area], today: datetime.date | None = None
                 ) -> list[Quarter]:
    """The current quarter and the four before it, newest first. Counted on the read replica
    when there is one (figures may be seconds stale), else on the primary."""
    today = today or timezone.localdate()
    area_ids = [area.pk for area in areas]
    quarters = replica.stale_ok(lambda alias: _counted(area_ids, today, alias))
    audit.record_event(actor=user, action="area_figures_viewed")
    return quarters


def _counted(area_ids: list, today: datetime.date, alias: str) -> list[Quarter]:
    quarters = []
    start, end = quarter_of(today)
    for _n in range(QUARTERS_SHOWN):
        quarters.append(Quarter(start, end))
        start, end = quarter_of(start - datetime.timedelta(days=1))
    first, last = quarters[-1].start, quarters[0].end

    # Episodes with a duty in the window. Short breaks carry none, and an erased child keeps
    # no dates: neither has an initial due date (a derived date, plain, as is her next
    # assessment on her passport: passport/records/derived.py), so no join to her passport is
    # needed to leave them out. The database counts; nothing is decrypted and no row becomes
    # an object, however many.
    duty = CareEpisode.objects.using(alias).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first), placing_authority__in=area_ids,
        started_on__lte=last, initial_due_on__isnull=False)
    # Each child once: per child, whether any of her episodes overlaps each quarter; then
    # the sums (one grouping, where a distinct count per quarter sorted five times).
    per_child = duty.order_by().values("passport").annotate(**{f"in_q{n}": Max(Case(When(
        Q(started_on__lte=q.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=q.start)),
        then=Value(1)), default=Value(0))) for n, q in enumerate(quarters)})
    in_care = per_child.aggregate(**{f"q{n}": Coalesce(Sum(f"in_q{n}"), 0)
                                     for n in range(len(quarters))})
    for n, quarter in enumerate(quarters):
        quarter.in_care = in_care[f"q{n}"]

    def which(column: str) -> Case:
        """The index of the quarter shown that the column's date falls in."""
        return Case(*(When(**{f"{column}__range": (q.start, q.end)}, then=Value(n))
                      for n, q in enumerate(quarters)), output_field=IntegerField())

    # Each timing names the area that placed her when it fell due (indexed with its date).
    timings = AssessmentTiming.objects.using(alias).filter(
        area__in=area_ids, passport__erased_at__isnull=True)  # an erased child is not counted
    for n, kind, on_time, outcome, late_reason, many in (
            timings.filter(due_on__range=(first, last), on_time__isnull=False)
            .annotate(quarter=which("due_on")).order_by()
            .values_list("quarter", "kind", "on_time", "outcome", "late_reason")
            .annotate(many=Count("assessment_id"))):
        counts = quarters[n].initial if kind == "initial" else quarters[n].review
        counts.due += many
        if on_time:
            counts.on_time += many
            counts.declined += many if outcome == "declined" else 0
        else:
            counts.late += many
            quarters[n].reasons[late_reason] += many
    for n, many in (timings.filter(outcome="not_brought", held_on__range=(first, last))
                    .annotate(quarter=which("held_on")).order_by()
                    .values_list("quarter").annotate(many=Count("assessment_id"))):
        quarters[n].not_brought += many
    # Past its date with no signed-off assessment: her next one, as kept on her passport,
    # counted by the quarter it fell due in (none: before the quarters shown), for each child
    # still in care with a duty here.
    overdue = (Passport.objects.using(alias)
               .filter(pk__in=duty.filter(ended_on__isnull=True).values("passport"),
                       erased_at__isnull=True, next_assessment_on__lt=today)
               .annotate(quarter=which("next_assessment_on")).order_by()
               .values_list("quarter", "next_assessment_kind").annotate(many=Count("pk")))
    for n, kind, many in overdue:
        if n is not None:
            counts = quarters[n].initial if kind == "initial" else quarters[n].review
            counts.due += many
            counts.not_done += many
            quarters[n].reasons["not_done"] += many
        elif kind == "initial":
            quarters[-1].earlier_initial += many
        else:
            quarters[-1].earlier_review += many
    return quarters
