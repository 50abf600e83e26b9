"""Entries whose latest version has a date empty that an earlier version held.

Before the fix of the entry edit pages, a date went to the browser as 06/01/2027, which
`<input type=date>` cannot read: an entry saved untouched saved its optional dates as empty.
Nothing can tell such a loss from a date emptied on purpose, so every one is listed for the
health team to check against the entry's history. Ids, field names and versions only: never
content, dates or names.
"""

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError
from django.db import models

from passport.encryption import crypto, keys
from passport.encryption.crypto import keys_held
from passport.encryption.fields import EncryptedDateField
from passport.models import Entry, Passport, Revision
from passport.records import sections


class Emptied(NamedTuple):
    """One date of one entry to check: where it is, and between which versions it went."""

    passport_id: UUID
    section: str
    entry_type: str
    entry_id: UUID
    field: str
    emptied_in: int
    last_held_in: int


def _is_date(field: models.Field) -> bool:
    # A DateTimeField is a DateField to Python, but no date input ever edited one.
    if isinstance(field, models.DateTimeField):
        return False
    return isinstance(field, EncryptedDateField | models.DateField)


Dated = dict[str, tuple[type[Entry], tuple[str, ...]]]


def dated_types() -> Dated:
    """A revision's entry_type -> (the entry model, its date fields), for types with dates."""
    dated: Dated = {}
    for model in sections.TYPES.values():
        names = tuple(f.name for f in model.content_fields() if _is_date(f))
        if names:
            dated[model._meta.label_lower] = (model, names)
    return dated


def _held(content: dict, name: str) -> bool:
    return content.get(name) not in (None, "")


def emptied_fields(versions: list[Revision], names: tuple[str, ...]
                   ) -> Iterator[tuple[str, int, int]]:
    """(field, the version that emptied it, the last version that held it) for each date the
    latest of `versions` (oldest first) has empty and an earlier one held."""
    contents = [revision.fields for revision in versions]
    for name in names:
        if _held(contents[-1], name):
            continue
        held = [i for i, content in enumerate(contents) if _held(content, name)]
        if held:
            last = held[-1]
            yield name, versions[last + 1].version, versions[last].version


def emptied_in_passport(passport_id: UUID, dated: Dated) -> list[Emptied]:
    """Every emptied date of one passport, from one query; ErasedError if it was erased."""
    revisions = (Revision.objects.filter(passport_id=passport_id, entry_type__in=list(dated))
                 .defer("reason").order_by("entry_id", "version"))
    found: list[Emptied] = []
    # Its data key is unwrapped once (the command's scope) and dropped when done.
    for entry_id, group in groupby(revisions, key=attrgetter("entry_id")):
        versions = list(group)
        model, names = dated[versions[-1].entry_type]
        for name, emptied, held in emptied_fields(versions, names):
            found.append(Emptied(passport_id, versions[-1].section, model.TYPE, entry_id,
                                 name, emptied, held))
    keys.forget(passport_id)
    return found


def emptied_dates(passports: Iterable[tuple[UUID, Any]]) -> tuple[list[Emptied], int, int]:
    """(every emptied date, passports read, erased passports skipped) of (id, erased_at)s."""
    dated = dated_types()
    found: list[Emptied] = []
    read = erased = 0
    for passport_id, erased_at in passports:
        if erased_at is not None:
            erased += 1
            continue
        try:
            found += emptied_in_passport(passport_id, dated)
        except crypto.ErasedError:  # in the erasure ledger, not marked yet: a restored backup
            erased += 1
            continue
        read += 1
    return found, read, erased


class Command(BaseCommand):
    help = (
        "List the entries whose latest version has a date empty that an earlier version held "
        "(releases before the fix of the edit pages emptied optional dates on an untouched "
        "save), for the health team to check each entry's history. Prints ids, field names "
        "and versions only: no names, dates or health content. Changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--passport", type=UUID, help="check this passport only")

    @keys_held
    def handle(self, *args, **options):
        passports = Passport.objects.order_by("created_at")
        if options["passport"]:
            passports = passports.filter(pk=options["passport"])
            if not passports.exists():
                raise CommandError("No such passport.")
        found, read, erased = emptied_dates(passports.values_list("pk", "erased_at"))
        for e in found:
            self.stdout.write(
                f"passport {e.passport_id}  section {e.section}  type {e.entry_type}  "
                f"entry {e.entry_id}  field {e.field}  emptied in version {e.emptied_in}  "
                f"last held in version {e.last_held_in}"
            )
        self.stdout.write(f"{len(found)} emptied date(s) to check in {read} passport(s) read; "
                          f"{erased} erased passport(s) skipped.")
