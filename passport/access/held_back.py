"""Staged disclosure (docs/architecture.md 4): hold an entry of birth or family history back from
the young person on the serious-harm test, review the hold at least every 6 months, and release it
only through a planned conversation. Never automatic: nothing here runs by itself.

Held entries are hidden by the policy's item filter (`policy.visible`), so every read path
(pages, API, booklet, exports, offline copy) leaves them out for everyone but the health team.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from passport.access.capabilities import HEALTH_ROLES
from passport.access.policy import Action, Basis, Reach, _live
from passport.errors import NotFound, found
from passport.models import (
    HOLDABLE_SECTIONS,
    CareTeamAssignment,
    Entry,
    HeldBack,
    HoldReview,
    Passport,
    Role,
    UnknownItem,
    User,
)
from passport.records import audit

REVIEW_EVERY = relativedelta(months=6)
PLAN_RELEASE_BEFORE_CARE_ENDS = relativedelta(months=3)
CARE_ENDS_AT = 18


def _health_team(reach: Reach, section: str) -> None:
    if section not in HOLDABLE_SECTIONS:
        raise PermissionDenied
    if reach.basis_for(section, Action.WRITE) is not Basis.HEALTH_TEAM:
        raise PermissionDenied


def _required(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


@transaction.atomic
def do_hold_back(reach: Reach, entry: Entry, *, opinion: str) -> HeldBack:
    """Hold an entry back: the professional records the opinion that seeing it would be likely
    to cause the young person serious harm, and why. The review falls due in 6 months."""
    section = entry.section_key
    _health_team(reach, section)
    if entry.passport_id != reach.passport.pk or isinstance(entry, UnknownItem):
        raise PermissionDenied  # "not known yet" items are not held back (decision 0011)
    if reach.passport.care_ended_on and reach.passport.care_ended_on <= timezone.localdate():
        raise PermissionDenied  # after care, holds are only reviewed and released
    opinion = _required(opinion, "opinion", _(
        "Record your opinion of the serious harm seeing it would be likely to cause, and why."))
    now = timezone.now()
    hold = HeldBack(passport=reach.passport, section=section, entry_type=entry.TYPE,
                    entry_id=entry.pk, opinion=opinion, held_by=reach.user, held_at=now,
                    review_due_on=timezone.localdate() + REVIEW_EVERY)
    try:
        with transaction.atomic():
            hold.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("This is already held back.")) from None
    audit.record_event(actor=reach.user, action="entry_held_back", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section=section, object_id=entry.pk)
    return hold


@transaction.atomic
def do_review_hold(reach: Reach, hold: HeldBack, *, note: str) -> HoldReview:
    """The serious-harm test looked at again: still met, with why. The next review falls due
    6 months from today. (If it is no longer met, the nurse plans the release instead.)"""
    _health_team(reach, hold.section)
    hold = _open_hold(reach, hold)
    note = _required(note, "note", _("Record why it still meets the serious-harm test."))
    review = HoldReview(hold=hold, passport=reach.passport, reviewed_by=reach.user,
                        reviewed_at=timezone.now(), note=note)
    review.save(force_insert=True)
    HeldBack.objects.filter(pk=hold.pk).update(
        review_due_on=timezone.localdate() + REVIEW_EVERY)
    audit.record_event(actor=reach.user, action="hold_reviewed", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section=hold.section, object_id=hold.entry_id)
    return review


@transaction.atomic
def do_release(reach: Reach, hold: HeldBack, *, conversation_on: datetime.date | None,
               note: str) -> None:
    """Release a held entry after the planned conversation with the young person took place:
    its date and how it went are recorded. From then on she (and whoever she shares the
    section with) sees it."""
    _health_team(reach, hold.section)
    hold = _open_hold(reach, hold)
    if conversation_on is None:
        raise ValidationError({"conversation_on": _(
            "Enter the date you talked it through with the young person.")})
    if conversation_on > timezone.localdate():
        raise ValidationError({"conversation_on": _(
            "Release it after the conversation, not before.")})
    if conversation_on < hold.held_at.date():
        raise ValidationError({"conversation_on": _(
            "The conversation must be after the entry was held back.")})
    note = _required(note, "release_note", _("Record how the conversation went."))
    hold.released_at, hold.released_by = timezone.now(), reach.user
    hold.conversation_on, hold.release_note = conversation_on, note
    hold.save(update_fields=["released_at", "released_by", "conversation_on", "release_note"])
    audit.record_event(actor=reach.user, action="entry_released", passport=reach.passport,
                       basis=Basis.HEALTH_TEAM, section=hold.section, object_id=hold.entry_id)


def _open_hold(reach: Reach, hold: HeldBack) -> HeldBack:
    """The hold, locked and re-read: still open, and on this passport."""
    current = (HeldBack.objects.select_for_update()
               .filter(pk=hold.pk, passport=reach.passport, released_at__isnull=True).first())
    if current is None:
        raise ValidationError(_("This is no longer held back."))
    return current


def hold_in(reach: Reach, hold_id: UUID) -> HeldBack:
    """A hold of this passport, by id, for those who see holds: NotFound for anyone else (others
    never learn of holds) and for any id that is not one of this passport's holds."""
    if not reach.sees_held:
        raise NotFound
    return found(HeldBack.objects.filter(pk=hold_id, passport=reach.passport).first())


def hold_of(reach: Reach, entry: Entry) -> HeldBack | None:
    """The open hold of an entry, for the health team only (others never learn of holds)."""
    if not reach.sees_held or entry.section_key not in HOLDABLE_SECTIONS:
        return None
    return HeldBack.objects.filter(passport=reach.passport, entry_id=entry.pk,
                                   released_at__isnull=True).first()


def after_care_reach(user: User, passport_id, today: datetime.date | None = None
                     ) -> Reach | None:
    """After care ends, the health team that held her care still reviews and releases what it
    held back: a hold is never lost and never released by itself (docs/access.md, when care
    ends). This is not a basis to read her passport: it serves only the hold pages, for her
    assigned professionals and the team lead, while a hold is open."""
    today = today or timezone.localdate()
    if user.role not in HEALTH_ROLES:
        return None
    passport = _live(today).filter(pk=passport_id, care_ended_on__lte=today).first()
    if passport is None or not HeldBack.objects.filter(passport=passport,
                                                      released_at__isnull=True).exists():
        return None
    assigned = CareTeamAssignment.objects.filter(passport=passport, professional=user,
                                                 ended_at__isnull=True).exists()
    lead = user.role == Role.TEAM_LEAD and user.team_id is not None and (
        user.team_id == passport.health_team_id)
    if not (assigned or lead):
        return None
    return Reach(user, passport, frozenset({Basis.HEALTH_TEAM}))


def former_team_holds(user: User, today: datetime.date | None = None) -> list[HeldBack]:
    """Open holds on passports whose care has ended, that this professional still answers
    for (for the task list)."""
    today = today or timezone.localdate()
    if user.role not in HEALTH_ROLES:
        return []
    mine = CareTeamAssignment.objects.filter(professional=user, ended_at__isnull=True)
    holds = HeldBack.objects.filter(released_at__isnull=True,
                                    passport__in=_live(today).filter(care_ended_on__lte=today))
    by_team = Q(passport__health_team_id=user.team_id) if (
        user.role == Role.TEAM_LEAD and user.team_id) else Q(pk__in=[])
    return list(holds.filter(Q(passport__in=mine.values("passport")) | by_team)
                .select_related("passport"))


def care_due_to_end(passport: Passport) -> datetime.date | None:
    """When care is due to end: the recorded end, else the 18th birthday."""
    if passport.care_ended_on is not None:
        return passport.care_ended_on
    born = passport.born
    return born + relativedelta(years=CARE_ENDS_AT) if born else None


@dataclass(frozen=True)
class HoldTask:
    hold: HeldBack
    what: str  # "review" or "plan_release"
    due_on: datetime.date


def hold_tasks(reach: Reach) -> list[HoldTask]:
    """What the health team must do about this passport's holds: each review (every 6
    months), and planning each release 3 months before care is due to end."""
    if not reach.sees_held:
        return []
    ends = care_due_to_end(reach.passport)
    tasks = []
    for hold in HeldBack.objects.filter(passport=reach.passport, released_at__isnull=True):
        tasks.append(HoldTask(hold, "review", hold.review_due_on))
        if ends is not None:
            tasks.append(HoldTask(hold, "plan_release", ends - PLAN_RELEASE_BEFORE_CARE_ENDS))
    return sorted(tasks, key=lambda t: t.due_on)
