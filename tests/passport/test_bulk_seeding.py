"""The national load bench seeds 150,000 young people in bulk (bench/seeding.py): this proves
the bulk path writes the same rows as the real actions.

The same young people are written both ways, each inside a transaction rolled back after its
rows are read. Every row of every table is compared, decrypted, with what the two cannot share
set aside: new ids (each row is named instead by what it says and what it points at), times,
ciphertext and wrapped keys (the values decrypt with her key, bound to her row), password
hashes and audit hashes (the chains are verified instead). A new row or value the actions
write and the bulk path does not fails here, naming it.
"""

from __future__ import annotations

import collections
import datetime
import uuid

import pytest
from django.apps import apps
from django.db import models, transaction

from bench import seeding
from passport.encryption.fields import EncryptedField
from passport.models import Passport
from passport.records import audit, derived

REGION = seeding.Region(100)
# Three young people: a toddler placed 81 days ago (no SDQ, placement not yet re-confirmed),
# her neighbour sharing a nurse, and a child of 8 placed long ago (confirmed, with an SDQ).
PEOPLE = [3, 4, 77]
SET_ASIDE = {  # values the two paths cannot share: a random salt, a MAC over times
    "passport.user": {"password"},
    "passport.auditevent": {"hash", "prev_hash"},
    "passport.auditchainhead": {"hash", "signature"},
    "passport.datakeyrecord": {"wrapped"},
}


def _value(row: models.Model, field: models.Field):
    if field.name in SET_ASIDE.get(row._meta.label_lower, ()):
        return "(set aside)"
    if isinstance(field, EncryptedField):
        return repr(getattr(row, field.attname))  # decrypts: her key, this row, this field
    value = getattr(row, field.attname)
    if isinstance(field, models.DateTimeField):
        return None if value is None else "(a time)"
    if isinstance(value, bytes | memoryview):
        return "(bytes)"
    return value


def _rows() -> list[tuple[models.Model, dict]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy:  # its rows are its concrete model's
            continue
        for row in model._base_manager.all():
            values = {f.name: _value(row, f) for f in model._meta.concrete_fields
                      if not f.primary_key}
            found.append((row, values))
    return found


def snapshot() -> collections.Counter:
    """Every row of every table, as a name made of its table and its values, where an id that
    points at another row is replaced by that row's name. Rows are named in rounds: first
    those that point at nothing new, then those that point only at named rows."""
    rows = _rows()
    named: dict[tuple[str, str], str] = {}  # (table, id): name
    by_id: dict[str, set[str]] = collections.defaultdict(set)  # an id: the names it has
    pending = rows
    while pending:
        waiting = []
        for row, values in pending:
            name = _name(row, values, named, by_id)
            if name is None:
                waiting.append((row, values))
                continue
            named[row._meta.label_lower, str(row.pk)] = name
            by_id[str(row.pk)].add(name)
        if len(waiting) == len(pending):
            raise AssertionError(f"rows pointing at nothing: {[str(r) for r, _ in waiting]}")
        pending = waiting
    return collections.Counter(named[row._meta.label_lower, str(row.pk)] for row, _ in rows)


def _name(row, values, named, by_id) -> str | None:
    """The row's name, or None while something it points at has none yet."""
    parts = {}
    for key, value in values.items():
        field = row._meta.get_field(key)
        if field.is_relation and value is not None:
            target = named.get((field.related_model._meta.label_lower, str(value)))
            if target is None:
                return None
            parts[key] = target
        elif isinstance(value, uuid.UUID) or _is_uuid(value):
            # An id kept in a plain column (an audit event's object, a revision's entry, a
            # chain named after her passport): whichever rows have it.
            if str(value) not in by_id:
                return None
            parts[key] = sorted(by_id[str(value)])
        else:
            parts[key] = value
    return f"{row._meta.label_lower}{sorted(parts.items(), key=str)}"


def _is_uuid(text) -> bool:
    try:
        return isinstance(text, str) and len(text) >= 32 and bool(uuid.UUID(text))
    except ValueError:
        return False


def _checked() -> None:
    """What both paths must leave: unbroken audit chains and derived dates that agree."""
    assert audit.verify_all() == []
    assert derived.differences() == []


def _written(seed) -> collections.Counter:
    with transaction.atomic():
        seed()
        _checked()
        found = snapshot()
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
def test_the_bulk_path_writes_what_the_actions_write():
    seeding.seed_staff(REGION)
    staff = seeding.Staff.load()

    def by_actions():
        for n in PEOPLE:
            owner = seeding.young_person(n)
            owner.save()
            seeding.by_actions(n, owner, staff, REGION)

    actions_wrote = _written(by_actions)
    bulk_wrote = _written(lambda: seeding.in_bulk(PEOPLE, staff, REGION))
    assert Passport.objects.count() == 0  # both rolled back
    only_actions, only_bulk = actions_wrote - bulk_wrote, bulk_wrote - actions_wrote
    assert not only_actions and not only_bulk, (
        "\nonly through the actions:\n" + "\n".join(map(str, only_actions)) +
        "\nonly in bulk:\n" + "\n".join(map(str, only_bulk)))
    kinds = collections.Counter(name.split("[")[0] for name in actions_wrote.elements())
    # What the young people are: the comparison covered them (not an empty database).
    assert kinds["passport.passport"] == 3 and kinds["passport.auditevent"] >= 50
    assert kinds["passport.sdqresult"] == 1 and kinds["passport.revision"] >= 40


@pytest.mark.django_db
def test_a_difference_is_found():
    """The comparison can fail: one value changed in the bulk path's rows shows."""
    seeding.seed_staff(REGION)
    staff = seeding.Staff.load()

    def then_changed():
        seeding.in_bulk(PEOPLE[:1], staff, REGION)
        passport = Passport.objects.get()
        Passport.objects.filter(pk=passport.pk).update(
            care_ended_on=datetime.date(2020, 1, 1))

    assert _written(lambda: seeding.in_bulk(PEOPLE[:1], staff, REGION)) != _written(
        then_changed)
