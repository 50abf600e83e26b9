"""What a section shows beside its entries, worked out once here for the page, the API and the
booklet (`selectors.section_view(..., extras=True)`), from the entries the reader may already
see: nothing here reads an entry the item filter left out.

- immunisations: what looks due by the UK schedule, whether any dose is recorded, and the
  GP catch-up's progress;
- assessments: each assessment's addenda (whoever sees it sees its corrections), and on screen
  her measurements read against the growth references;
- wellbeing: her SDQ results as she reads them (her own view: words under 13), and the chart
  of totals where a chart is shown;
- my_services (handout): the directory's details of the services she saved.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from passport.access.policy import Purpose, Reach
from passport.clinical import growth, immunisation, sdq
from passport.models import Addendum, Service
from passport.records.selectors import SectionView


def add(reach: Reach, view: SectionView, purpose: Purpose) -> None:
    """Fill `view.extra` with what its section shows beside its entries (nothing for an
    export, which carries entries only)."""
    compute = _EXTRAS.get(view.key)
    if compute is not None and purpose is not Purpose.EXPORT:
        view.extra.update(compute(reach, view, purpose))


def age_of(reach: Reach, today: datetime.date) -> int | None:
    born = reach.passport.born
    return relativedelta(today, born).years if born else None


def _immunisations(reach: Reach, view: SectionView, purpose: Purpose) -> dict[str, Any]:
    born = reach.passport.born
    status = next(iter(view.of("immunisation_status")), None)
    doses = view.of("dose")
    today = timezone.localdate()
    schedule = [line for line in immunisation.assess_recorded(born, doses, status, today,
                                                              sex=reach.sex())
                if line.status != immunisation.NOT_OFFERED] if born else []
    if purpose is Purpose.HANDOUT or reach.is_owner:
        # A vaccine she is now too old for is not missing, and nothing can be done about it:
        # her app and her booklet leave it out (her health team's screen keeps it).
        schedule = [line for line in schedule if line.status != immunisation.PAST_LIMIT]
    if (purpose is Purpose.HANDOUT or reach.is_owner) and not doses:
        # With no dose recorded, every line would read "overdue": her own page, or a booklet
        # kept or shown to a new GP, would look like a record of no vaccinations, when the
        # record is more likely elsewhere. They say that instead (her health team plans from
        # the lines).
        schedule = []
    if purpose is not Purpose.SCREEN or not reach.as_health_team("immunisations"):
        # "Check this rule's source" asks something of a clinician: nobody else can act on it,
        # and a carer or a young person would only be worried by it.
        unconfirmed = str(immunisation.UNCONFIRMED_WORDS)
        schedule = [dataclasses.replace(line, why=line.why.replace(unconfirmed, "").strip())
                    for line in schedule]
    due = getattr(status, "expected_delivery_on", None)
    # Her own page opens with a few words for her age (under 13 no counts of what is late);
    # the schedule line by line is one tap below them.
    age = age_of(reach, today) if reach.is_owner else None
    hers = {"young": age is not None and age < sdq.WORDS_UNTIL, "recorded": len(doses),
            "to_talk": sum(line.status in (immunisation.DUE, immunisation.OVERDUE)
                           for line in schedule)} if reach.is_owner else None
    return {"schedule": schedule, "no_doses": not doses, "hers": hers, "catch_up": {
        "asked_on": status.gp_catch_up_requested_on if status else None,
        "confirmed_on": status.gp_catch_up_confirmed_on if status else None,
        # A pregnancy past its expected date no longer defers anything: say so, so that the
        # record is brought up to date rather than silently ignored.
        "delivery_passed": due if status and status.pregnant == "yes" and due
        and due < today else None}}


def _assessments(reach: Reach, view: SectionView, purpose: Purpose) -> dict[str, Any]:
    # By passport, not by the assessments' ids: one query however many there are.
    found: dict = {}
    for addendum in (Addendum.objects.filter(passport=reach.passport)
                     .select_related("written_by").order_by("written_at")):
        found.setdefault(addendum.assessment_id, []).append(addendum)
    for assessment in view.of("assessment"):
        assessment.addenda = found.get(assessment.pk, [])
    if purpose is Purpose.SCREEN:
        return {"growth": growth.measured(reach, view)}
    return {}


def _wellbeing(reach: Reach, view: SectionView, purpose: Purpose) -> dict[str, Any]:
    age = age_of(reach, timezone.localdate()) if reach.is_owner else None
    results = view.of("sdq_result")
    for result in results:
        # Her own results read as her app reads them: words under 13, the kinder band names
        # from 13 (with the scores one tap away on screen, beside them on paper).
        result.hers = result.for_her(age) if reach.is_owner else None
    # The chart of totals: not for her under 13 (words only), nor when her age is unknown.
    charted = not reach.is_owner or (age is not None and age >= sdq.WORDS_UNTIL)
    points = sorted(((r.completed_on, r.scored) for r in results
                     if r.completed_on and r.scored), key=lambda r: r[0])
    return {"trend": sdq.trend_svg([(day, s.total, s.bands["total"])
                                                for day, s in points]) if charted else ""}


def _conditions(reach: Reach, view: SectionView, purpose: Purpose) -> dict[str, Any]:
    """Of allergies and medicines, the kinds with nothing shown: said, so that a carer at
    night knows there is none to give rather than guessing (none recorded, for those who see
    every entry; none shown, for anyone else)."""
    if purpose is not Purpose.SCREEN:
        return {}
    from passport.models import ConditionKind

    shown = {e.kind for e in view.of("condition")}
    return {"none_of": [ConditionKind(kind).label for kind in (ConditionKind.ALLERGY,
                                                               ConditionKind.MEDICINE)
                        if kind not in shown],
            "sees_all": reach.is_owner or reach.as_health_team("conditions")}


def _my_services(reach: Reach, view: SectionView, purpose: Purpose) -> dict[str, Any]:
    if purpose is not Purpose.HANDOUT:
        return {}
    saved = view.of("saved_service")
    # Asked even when she saved none ("" matches no slug): the same queries for every passport.
    slugs = [e.service_id for e in saved if e.service_id] or [""]
    by_slug = {s.slug: s for s in Service.objects.filter(slug__in=slugs)}
    return {"services": [(e, by_slug.get(e.service_id)) for e in saved]}


_EXTRAS: dict[str, Callable[[Reach, SectionView, Purpose], dict[str, Any]]] = {
    "immunisations": _immunisations,
    "assessments": _assessments,
    "wellbeing": _wellbeing,
    "conditions": _conditions,
    "my_services": _my_services,
}
