"""The care leaver's health summary (NICE NG205 1.5): before care ends, her nurse
goes through every section (reviewed, up to date, what is still unknown), sees the release
plan of anything held back, and marks the summary ready for her booklet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access import held_back
from passport.access.policy import Basis, Reach, visible
from passport.encryption.fields import normalise_text
from passport.models import HeldBack, LeaverSummary, UnknownItem, UnknownStatus
from passport.records import audit, sections

# Her own list of services and her time in care are not the nurse's to check.
CHECKED = tuple(key for key in sections.TITLES if key not in sections.HERS_ALONE | {"care"})


@dataclass(frozen=True)
class Row:
    section: str
    title: str
    entries: int
    unknown: int  # "not known yet" items still open
    reviewed: bool
    up_to_date: bool
    still_unknown: str


def is_health_team(reach: Reach) -> bool:
    return reach.as_health_team("about_me")


def summary_of(reach: Reach) -> LeaverSummary | None:
    return LeaverSummary.objects.filter(passport=reach.passport).first()


def rows(reach: Reach) -> list[Row]:
    reach.require_health_team("about_me")
    saved = (summary_of(reach).checklist if summary_of(reach) else None) or {}
    counts: dict[str, int] = {}
    for key in CHECKED:
        # What her health team can see (a draft she has not sent is not theirs to count).
        counts[key] = sum(len(visible(reach, m.objects.filter(passport=reach.passport)))
                          for m in sections.types_of(key))
    unknown: dict[str, int] = {}
    for item in UnknownItem.objects.filter(passport=reach.passport):
        if item.status != UnknownStatus.FOUND:
            unknown[item.section] = unknown.get(item.section, 0) + 1
    return [Row(key, str(sections.TITLES[key]), counts[key], unknown.get(key, 0),
                bool(saved.get(key, {}).get("reviewed")),
                bool(saved.get(key, {}).get("up_to_date")),
                saved.get(key, {}).get("still_unknown", ""))
            for key in CHECKED]


@dataclass(frozen=True)
class HeldPlan:
    hold: HeldBack
    review_due_on: datetime.date
    plan_release_by: datetime.date | None


def held_plans(reach: Reach) -> list[HeldPlan]:
    ends = held_back.care_due_to_end(reach.passport)
    by = ends - held_back.PLAN_RELEASE_BEFORE_CARE_ENDS if ends else None
    return [HeldPlan(h, h.review_due_on, by) for h in
            HeldBack.objects.filter(passport=reach.passport, released_at__isnull=True)
            .order_by("held_at")]


@transaction.atomic
def do_save(reach: Reach, checklist: dict[str, dict[str, Any]]) -> LeaverSummary:
    """Save the checklist. Saving a change after it was marked ready takes the mark away: a
    changed summary is checked again."""
    reach.require_health_team("about_me")
    clean = _as_kept(checklist)
    summary = LeaverSummary.objects.select_for_update().filter(passport=reach.passport).first()
    if summary is not None and _as_kept(summary.checklist or {}) == clean:
        return summary  # saved untouched: it stays as it was, ready or not, and is not logged
    now = timezone.now()
    if summary is None:
        summary = LeaverSummary(passport=reach.passport, checklist=clean,
                                updated_by=reach.user, updated_at=now)
        summary.save(force_insert=True)
    else:
        summary.checklist, summary.updated_by, summary.updated_at = clean, reach.user, now
        summary.ready_at = summary.ready_by = None
        summary.save()
    audit.record_event(actor=reach.user, action="leaver_summary_saved", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM)
    return summary


def _as_kept(checklist: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each checked section's answers, with one kind of line break (a browser sends CR LF)."""
    kept = {}
    for key in CHECKED:
        answer = checklist.get(key) or {}
        kept[key] = {"reviewed": bool(answer.get("reviewed")),
                     "up_to_date": bool(answer.get("up_to_date")),
                     "still_unknown": normalise_text(str(answer.get("still_unknown") or ""))[
                         :2000]}
    return kept


def readiness_errors(reach: Reach, summary: LeaverSummary | None) -> list[str]:
    if summary is None:
        return [_("Go through the checklist and save it first.")]
    problems = []
    not_reviewed = [str(sections.TITLES[k]) for k in CHECKED
                    if not (summary.checklist or {}).get(k, {}).get("reviewed")]
    if not_reviewed:
        problems.append(_("Not reviewed yet: %(sections)s.") % {
            "sections": ", ".join(not_reviewed)})
    today = timezone.localdate()
    if any(plan.review_due_on < today for plan in held_plans(reach)):
        problems.append(_("A held-back entry is past its review: review it first."))
    return problems


@transaction.atomic
def do_mark_ready(reach: Reach) -> LeaverSummary:
    reach.require_health_team("about_me")
    summary = LeaverSummary.objects.select_for_update().filter(passport=reach.passport).first()
    problems = readiness_errors(reach, summary)
    if problems:
        raise ValidationError(problems)
    summary.ready_at, summary.ready_by = timezone.now(), reach.user
    summary.save(update_fields=["ready_at", "ready_by"])
    audit.record_event(actor=reach.user, action="leaver_summary_ready", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM)
    return summary
