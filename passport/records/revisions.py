"""Entries are never overwritten silently (docs/architecture.md section 4).

Every write of an entry stores that version's content, encrypted, with who, when and why;
every amendment names the version it read, and the check and the write are one statement.
Each section's actions call these two functions.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from passport.models import Entry, Passport, Revision, StaleVersion, User

E = TypeVar("E", bound=Entry)

__all__ = ["StaleVersion", "amend_entry", "create_entry", "history"]


def _snapshot(entry: Entry) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in entry.content().items()}


def _write_revision(entry: Entry, actor: User, reason: str) -> Revision:
    revision = Revision(
        passport_id=entry.passport_id, section=entry.section_key,
        entry_type=entry._meta.label_lower, entry_id=entry.pk, version=entry.version,
        content=_snapshot(entry), reason=reason or None, changed_by=actor,
        changed_at=entry.updated_at,
    )
    revision.save(force_insert=True)
    return revision


@transaction.atomic
def create_entry(
    model: type[E], passport: Passport, actor: User, fields: dict[str, Any], reason: str = ""
) -> E:
    now = timezone.now()
    entry = model(
        passport=passport, version=1, created_at=now, created_by=actor, updated_at=now,
        updated_by=actor, **fields,
    )
    entry.save(force_insert=True)
    _write_revision(entry, actor, reason)
    _derive(entry)
    return entry


@transaction.atomic
def amend_entry(
    entry: E, actor: User, expected_version: int, reason: str, changes: dict[str, Any]
) -> E:
    """Apply `changes` if the entry is still at `expected_version`; else StaleVersion."""
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.version = expected_version + 1
    entry.updated_at = timezone.now()
    entry.updated_by = actor
    entry._expected_version = expected_version  # type: ignore[attr-defined]
    try:
        entry.save(force_update=True)
    finally:
        del entry._expected_version  # type: ignore[attr-defined]
    _write_revision(entry, actor, reason)
    _derive(entry)
    return entry


def _derive(entry: Entry) -> None:
    """Her plain derived dates follow every write of what they come from, in its
    transaction (passport/records/derived.py)."""
    from passport.records import derived

    if entry.TYPE in derived.FROM_TYPES:
        derived.refresh(entry.passport_id)  # it locks and reads her passport itself


def history(entry: Entry) -> list[Revision]:
    """Every version of the entry, newest first."""
    return list(
        Revision.objects.filter(entry_id=entry.pk, passport_id=entry.passport_id)
        .select_related("changed_by")
        .order_by("-version")
    )
