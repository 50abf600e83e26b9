"""Dates worked out from a passport's record and kept in plain columns on the passport, so
that the caseload, the task list and the area figures can read them instead of decrypting the
record (docs/architecture.md, derived dates; decision 0050):

- the next health assessment: its due date, kind and why (the assessment clock);
- the day a vaccine was first found to look due by the UK schedule (by a write or the
  nightly run: never the schedule's own date, which is her date of birth plus an age);
- the earliest date of a plan action still open (late from the day after);
- the day from which to ask the carer for an SDQ before a review;
- on each care episode, the day its initial assessment falls due (none for short breaks).

They are written in the same transaction as every write of what they come from
(`revisions.create_entry` and `amend_entry`, a new date of birth, the end of care), again each
night by `manage.py derived --refresh` (dates pass without a write: a vaccine's age limit, the
end of care), and whenever the rules' versions change. `manage.py derived --check` recomputes
them all and names every passport whose stored dates differ.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from passport.clinical import assessment_due, immunisation
from passport.models import (
    Assessment,
    AssessmentState,
    CareEpisode,
    ImmunisationDose,
    ImmunisationStatus,
    Passport,
    PlacementType,
    PlanAction,
    PlanStatus,
    SdqResult,
)

# The entry types whose writes change the dates.
FROM_TYPES = frozenset({"assessment", "plan_action", "dose", "immunisation_status",
                        "sdq_result", "care_episode"})
# The rules the dates were worked out with (the review interval's reading too), and the
# shape of what is kept: a passport kept under other rules is worked out again when the
# application starts (`derived --refresh --stale`).
RULES = (f"{assessment_due.RULES_VERSION} ({settings.HP_RHA_INTERVAL_RULE}) | "
         f"{immunisation.SCHEDULE_VERSION} | derived 3")
SDQ_AHEAD = datetime.timedelta(days=42)  # 4 to 6 weeks before the review
OPEN = (None, "", PlanStatus.OPEN)
# Why it is due, as a code (the words are the clock's own, translated when shown).
WHY = ((assessment_due.INITIAL_WHY, "initial"), (assessment_due.UNDER_FIVE_WHY, "under_five"),
       (assessment_due.FROM_FIVE_WHY, "from_five"))
WHY_WORDS = {code: words for words, code in WHY}


@dataclass(frozen=True)
class Derived:
    next_assessment_on: datetime.date | None = None
    next_assessment_kind: str = ""
    next_assessment_why: str = ""
    vaccine_due_on: datetime.date | None = None
    plan_late_from: datetime.date | None = None
    sdq_ask_from: datetime.date | None = None
    derived_rules: str = RULES


NAMES = tuple(f.name for f in fields(Derived))


@dataclass
class _Record:
    """What the dates come from, for one passport: plain columns and the few encrypted values
    the rules need (decrypted in bulk, with the passports' keys preloaded)."""

    episodes: list
    held: list
    doses: list
    status: object = None
    open_dates: list = None
    sdq_dates: list = None


def _gather(ids: list[UUID]) -> dict[UUID, _Record]:
    from passport.encryption import keys

    keys.preload(ids)
    found = {pk: _Record([], [], [], None, [], []) for pk in ids}
    for episode in CareEpisode.objects.filter(passport__in=ids).order_by("started_on"):
        found[episode.passport_id].episodes.append(episode)
    for a in Assessment.objects.filter(passport__in=ids, state=AssessmentState.SIGNED_OFF
                                       ).only("id", "passport_id", "held_on", "kind", "outcome"):
        if a.held_on and a.kind and a.outcome:  # only a signed-off one meets the duty
            found[a.passport_id].held.append(assessment_due.Held(a.kind, a.held_on, a.outcome))
    for dose in ImmunisationDose.objects.filter(passport__in=ids):
        found[dose.passport_id].doses.append(dose)
    for status in ImmunisationStatus.objects.filter(passport__in=ids):
        found[status.passport_id].status = status
    for action in PlanAction.objects.filter(passport__in=ids).only(
            "id", "passport_id", "status", "due_on"):
        if action.status in OPEN and action.due_on:
            found[action.passport_id].open_dates.append(action.due_on)
    for result in SdqResult.objects.filter(passport__in=ids).only(
            "id", "passport_id", "completed_on"):
        if result.completed_on:
            found[result.passport_id].sdq_dates.append(result.completed_on)
    return found


def compute(passport: Passport, record: _Record, today: datetime.date) -> Derived:
    """Her dates from her record as it is `today`. The vaccine date is the day one was first
    found due: kept from the passport while one still is, else today."""
    born = passport.date_of_birth
    if born is None:
        return Derived(plan_late_from=min(record.open_dates, default=None))
    current = record.episodes[-1] if record.episodes else None
    due = assessment_due.next_due(
        born=born, care_started_on=current.started_on if current else None,
        care_ended_on=current.ended_on if current else None, assessments=record.held,
        today=today, short_breaks_only=bool(current)
        and current.placement_type == PlacementType.SHORT_BREAKS)
    lines = immunisation.assess_recorded(born, record.doses, record.status, today,
                                         sex=passport.sex or "", explain=False)
    # Whether one looks due now; not when (the schedule's date is her birthday plus an age).
    looks_due = any(line.status in (immunisation.DUE, immunisation.OVERDUE) for line in lines)
    noticed = passport.vaccine_due_on
    if noticed is None or noticed > today:
        noticed = today
    last = max((h.held_on for h in record.held), default=None)
    fresh = any(last is None or day > last for day in record.sdq_dates)
    return Derived(
        next_assessment_on=due.due_on if due else None,
        next_assessment_kind=due.kind if due else "",
        next_assessment_why=next((code for why, code in WHY if due.why is why), "")
        if due else "",
        vaccine_due_on=noticed if looks_due else None,
        plan_late_from=min(record.open_dates, default=None),
        sdq_ask_from=due.due_on - SDQ_AHEAD if due and due.kind == "review" and not fresh
        else None)


def episode_due(episode: CareEpisode) -> datetime.date | None:
    """The day the episode's initial assessment falls due; none for short breaks (no duty)."""
    if episode.placement_type == PlacementType.SHORT_BREAKS:
        return None
    return assessment_due.add_working_days(episode.started_on,
                                           assessment_due.INITIAL_WORKING_DAYS)


def _episodes_differ(record: _Record) -> list[CareEpisode]:
    """The episodes whose stored due date differs, with the right one set on them."""
    found = []
    for episode in record.episodes:
        due = episode_due(episode)
        if episode.initial_due_on != due:
            episode.initial_due_on = due
            found.append(episode)
    return found


def _write_episodes(episodes: list[CareEpisode]) -> None:
    for episode in episodes:  # a plain column: no encrypted value is touched
        CareEpisode.objects.filter(pk=episode.pk).update_derived(
            initial_due_on=episode.initial_due_on)


def stored(passport: Passport) -> Derived:
    return Derived(*(getattr(passport, name) for name in NAMES))


def refresh(passport: Passport | UUID, today: datetime.date | None = None) -> Derived:
    """Work her dates out again and write them (inside the caller's transaction, if any); a
    passport object given is brought up to date too."""
    today = today or timezone.localdate()
    pk = passport.pk if isinstance(passport, Passport) else passport
    with transaction.atomic(savepoint=False):
        # Her passport row locked first: two writes at once work her dates out one after
        # the other, each seeing the other's entry (SQLite's writers queue anyway).
        locked = Passport.objects.select_for_update().get(pk=pk)
        record = _gather([pk])[pk]
        _write_episodes(_episodes_differ(record))
        found = compute(locked, record, today)
        Passport.objects.filter(pk=pk).update(**dict(zip(NAMES, astuple(found), strict=True)))
    if isinstance(passport, Passport):
        for name, value in zip(NAMES, astuple(found), strict=True):
            setattr(passport, name, value)
    return found


def _chunks(stale_only: bool = False, size: int = 500) -> Iterable[list[UUID]]:
    kept = Passport.objects.filter(erased_at__isnull=True)
    if stale_only:
        kept = kept.exclude(derived_rules=RULES)
    ids = list(kept.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _worked_out(chunk: list[UUID], today: datetime.date, lock: bool = False
                ) -> Iterable[tuple[Passport, Derived, list[CareEpisode]]]:
    passports = Passport.objects.filter(pk__in=chunk)
    passports = list(passports.select_for_update() if lock else passports)
    records = _gather(chunk)
    for passport in passports:
        record = records[passport.pk]
        yield passport, compute(passport, record, today), _episodes_differ(record)


def differences(today: datetime.date | None = None) -> list[tuple[UUID, str]]:
    """(passport, column) for every stored date that differs from the record today."""
    today = today or timezone.localdate()
    found = []
    for chunk in _chunks():
        for passport, now, episodes in _worked_out(chunk, today):
            found += [(passport.pk, name) for name, worked, kept in zip(
                NAMES, astuple(now), astuple(stored(passport)), strict=True)
                if worked != kept]
            found += [(passport.pk, f"care episode {episode.pk} initial_due_on")
                      for episode in episodes]
    return found


def refresh_all(today: datetime.date | None = None, stale_only: bool = False) -> int:
    """Every passport's dates worked out again (the nightly run), or only those kept under
    other rules (at start-up); returns how many changed. One transaction per 500 passports,
    their rows locked while they are worked out: a nurse's write waits for a chunk, not for
    the night, and a failure loses one chunk's work."""
    today = today or timezone.localdate()
    changed = 0
    for chunk in _chunks(stale_only):
        with transaction.atomic():
            for passport, found, episodes in _worked_out(chunk, today, lock=True):
                differs = found != stored(passport)
                if differs:
                    Passport.objects.filter(pk=passport.pk).update(
                        **dict(zip(NAMES, astuple(found), strict=True)))
                _write_episodes(episodes)
                changed += differs or bool(episodes)
    return changed


def forget(passport_id: UUID) -> None:
    """An erased passport keeps no derived date: nothing of her in clear, and no figure
    counts her (passport/records/erasure.py)."""
    Passport.objects.filter(pk=passport_id).update(**dict(zip(NAMES, astuple(Derived(
        derived_rules="")), strict=True)))
    CareEpisode.objects.filter(passport_id=passport_id).update_derived(initial_due_on=None)
