"""Every read: shaped for pages, API and (later) the booklet, through the policy's filter.
Reads of a section through any basis but `owner` are logged (PERMISSIONS.md)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from passport import audit, keys, nhs, revisions
from passport.models import Condition, Passport, Revision, Role, User
from passport.policy import Action, Basis, Reach, reach, reachable, visible, visible_revisions


def _log_read(reach: Reach, section: str, object_id: UUID | None = None) -> None:
    """Check the policy once more (selectors never trust their caller) and log the read."""
    basis = reach.basis_for(section, Action.READ)
    if basis is None:
        raise PermissionDenied
    if basis is not Basis.OWNER:
        audit.record_event(actor=reach.user, action="section_viewed", passport=reach.passport,
                           basis=basis, section=section, object_id=object_id)


def conditions_for(reach: Reach) -> list[Condition]:
    _log_read(reach, Condition.SECTION)
    entries = Condition.objects.filter(passport=reach.passport).order_by("created_at")
    return visible(reach, entries)


def condition_for(reach: Reach, entry_id: UUID) -> Condition:
    entry = Condition.objects.filter(passport=reach.passport, pk=entry_id).first()
    if entry is None or not visible(reach, [entry]):
        raise Http404
    _log_read(reach, Condition.SECTION, entry.pk)
    return entry


def condition_history(reach: Reach, entry: Condition) -> list[Revision]:
    return visible_revisions(reach, revisions.history(entry))


def passports_for(user: User) -> list[Passport]:
    """The passports a user's list shows, through the policy: their own, or their caseload.
    A professional's list is logged once, as a list (PERMISSIONS.md)."""
    passports = [found.passport for found in reachable(user)]
    keys.preload([p.pk for p in passports])  # names are shown: one query for all their keys
    if passports and user.role != Role.YOUNG_PERSON:
        audit.record_event(actor=user, action="list_viewed")
    return passports


def find_by_nhs_number(user: User, number: str) -> Reach | None:
    """A passport by NHS number, through its blind index, and only if the user reaches it."""
    index = keys.keyring().blind_index("nhs", nhs.normalise(number))
    found = Passport.objects.filter(nhs_number_index=index).values_list("pk", flat=True).first()
    return reach(user, found) if found else None
