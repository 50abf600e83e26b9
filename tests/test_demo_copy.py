"""The tests' copy of the loaded demo (tests/support/demo.py) is the demo: what a copied load
holds reads back the same as what `demo.load()` writes through the actions (every table's rows,
every entry decrypted, who reaches what), and its audit chain still verifies."""

from django.db import transaction

from passport.access.policy import reach
from passport.encryption import keys
from passport.models import AuditEvent, Passport, User
from passport.operations import demo
from passport.records import audit, sections
from tests.support import demo as demo_data


class _Undo(Exception):
    pass


def _what_it_holds() -> dict:
    """How many rows each table holds; each passport's identity and every entry's content,
    decrypted; and who reaches what (grants, placements, holds), as the policy reads them."""
    from django.apps import apps

    held: dict = {"rows": {m._meta.db_table: m.objects.count() for m in apps.get_models()
                           if m._meta.app_label in {"passport", "otp_static", "otp_totp"}}}
    for passport in Passport.objects.order_by("pk"):
        held[str(passport.pk)] = (passport.legal_name, str(passport.born), passport.nhs_number,
                                  passport.control, sorted(
            (e.TYPE, e.title(), tuple(str(getattr(e, f.name)) for f in m.content_fields()))
            for m in sections.TYPES.values() for e in m.objects.filter(passport=passport)))
        for user in User.objects.order_by("username"):
            found = reach(user, passport.pk)
            if found is not None:
                held[(str(passport.pk), user.username)] = (
                    sorted(found.bases), sorted(found.granted_sections), len(found.held_ids))
    return held


def _in_a_savepoint(load) -> dict:
    try:
        with transaction.atomic():
            load()
            found = _what_it_holds()
            ids = list(Passport.objects.values_list("pk", flat=True))
            raise _Undo
    except _Undo:
        # Undone: the data keys this load made are gone, so the test's key scope drops them
        # (the next load makes the same passports with keys of its own).
        for passport_id in ids:
            keys.forget(passport_id)
        return found


def test_a_copied_demo_reads_as_the_loaded_one(db):
    loaded = _in_a_savepoint(demo.load)
    assert len(loaded) > 5 and AuditEvent._meta.db_table in loaded["rows"]
    _in_a_savepoint(demo_data.load)  # the first in this process may make the copy
    copied = _in_a_savepoint(demo_data.load)  # this one is a copy
    assert copied == loaded
    demo_data.load()
    assert audit.verify_all() == []
