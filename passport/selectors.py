"""Every read: shaped for pages, API and (later) the booklet, through the policy's filter.
Reads of a section through any basis but `owner` are logged (PERMISSIONS.md)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from passport import audit, keys, nhs, revisions
from passport.models import CareTeamAssignment, Condition, Passport, Revision, Role, User
from passport.policy import Action, Basis, Reach, visible


def _log_read(reach: Reach, section: str, object_id: UUID | None = None) -> None:
    basis = reach.basis_for(section, Action.READ)
    if basis is not None and basis is not Basis.OWNER:
        audit.record_event(actor=reach.user, action="section_viewed", passport=reach.passport,
                           basis=basis, section=section, object_id=object_id)


def conditions_for(reach: Reach) -> list[Condition]:
    entries = Condition.objects.filter(passport=reach.passport).order_by("created_at")
    shown = visible(reach, entries)
    _log_read(reach, Condition.SECTION)
    return shown


def condition_for(reach: Reach, entry_id: UUID) -> Condition:
    entry = Condition.objects.filter(passport=reach.passport, pk=entry_id).first()
    if entry is None or not visible(reach, [entry]):
        raise Http404
    _log_read(reach, Condition.SECTION, entry.pk)
    return entry


def condition_history(reach: Reach, entry: Condition) -> list[Revision]:
    return revisions.history(entry)


def passports_for(user: User) -> list[Passport]:
    """The passports a user's list shows: their own, or their caseload. Logged once as a list."""
    if user.role == Role.YOUNG_PERSON:
        return list(Passport.objects.filter(owner=user, erased_at__isnull=True))
    ids = CareTeamAssignment.objects.filter(
        professional=user, ended_at__isnull=True
    ).values("passport_id")
    passports = list(Passport.objects.filter(pk__in=ids, erased_at__isnull=True))
    keys.preload([p.pk for p in passports])  # names are shown: one query for all their keys
    if passports:
        audit.record_event(actor=user, action="list_viewed")
    return passports


def find_by_nhs_number(number: str) -> Passport | None:
    index = keys.keyring().blind_index("nhs", nhs.normalise(number))
    return Passport.objects.filter(nhs_number_index=index, erased_at__isnull=True).first()
