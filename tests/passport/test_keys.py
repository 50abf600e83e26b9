"""KEK rotation and erasure (crypto-shredding) with the real commands."""

import datetime
import io
import json
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from passport.encryption import crypto, keys
from passport.models import Condition, DataKeyRecord, Passport, Role
from passport.records import erasure
from tests.conftest import PASSWORD, make_user


def read_everything(passport: Passport) -> list:
    keys.forget(passport.pk)
    with crypto.key_scope():
        passport = Passport.objects.get(pk=passport.pk)
        values = [passport.legal_name, passport.date_of_birth, passport.nhs_number]
        for entry in Condition.objects.filter(passport=passport):
            values += [entry.name, entry.details]
    return values


@pytest.fixture
def keyring_copy(settings, tmp_path):
    """A keyring file of this test's own, so rotation may rewrite it."""
    path = tmp_path / "keyring.json"
    path.write_text(Path(settings.HP_KEYRING_FILE).read_text())
    settings.HP_KEYRING_FILE = str(path)
    settings.HP_ERASURE_LEDGER = str(tmp_path / "erasure-ledger.jsonl")
    yield path
    keys.reload_keyring()


def test_rotation_rewraps_every_key_and_keeps_every_value(keyring_copy, her_passport, asthma,
                                                         other_passport):
    before = {r.pk: (r.kek_id, bytes(r.wrapped)) for r in DataKeyRecord.objects.all()}
    values = read_everything(her_passport)
    old_kek = keys.keyring().current_kek_id
    out = io.StringIO()
    call_command("rotate_keys", new_kek=True, stdout=out)
    new_kek = keys.keyring().current_kek_id
    assert new_kek != old_kek
    assert "Re-wrapped 2 data keys" in out.getvalue()
    assert "0 failures" in out.getvalue()
    for record in DataKeyRecord.objects.all():
        assert record.kek_id == new_kek
        assert bytes(record.wrapped) != before[record.pk][1]
    call_command("rotate_keys", retire=old_kek, stdout=io.StringIO())
    assert old_kek not in json.loads(keyring_copy.read_text())["keks"]
    assert read_everything(her_passport) == values


def test_a_kek_in_use_cannot_be_retired(keyring_copy, her_passport):
    old_kek = keys.keyring().current_kek_id
    data = json.loads(keyring_copy.read_text())
    crypto.add_kek(data)
    crypto.write_secret_json(keyring_copy, data)
    keys.reload_keyring()
    with pytest.raises(CommandError, match="still wraps 1 data keys"):
        call_command("rotate_keys", retire=old_kek, stdout=io.StringIO())
    assert old_kek in json.loads(keyring_copy.read_text())["keks"]
    call_command("rotate_keys", stdout=io.StringIO())
    call_command("rotate_keys", retire=old_kek, stdout=io.StringIO())
    assert old_kek not in json.loads(keyring_copy.read_text())["keks"]
    assert read_everything(her_passport)[0] == "Samantha Rose Jones"


# --- erasure -------------------------------------------------------------------------------


@pytest.fixture
def guardians(db):
    return (make_user("caldicott", Role.CALDICOTT, "Carys Guardian"),
            make_user("lead", Role.TEAM_LEAD, "Lee Lead"))


@pytest.fixture
def old_passport(her_passport, asthma):
    Passport.objects.filter(pk=her_passport.pk).update(care_ended_on=datetime.date(2029, 6, 1))
    return Passport.objects.get(pk=her_passport.pk)


def erase(passport, *, ruling="", users=("caldicott", "lead"), passwords=(PASSWORD, PASSWORD)):
    sys.stdin = io.StringIO("\n".join(passwords) + "\n")
    try:
        call_command("erase_passport", str(passport.pk), reason="Retention period over",
                     authorised_by=users[0], confirmed_by=users[1], ruling=ruling,
                     passwords_from_stdin=True, stdout=io.StringIO())
    finally:
        sys.stdin = sys.__stdin__


def test_erasure_leaves_the_passport_unreadable_and_others_readable(
        keyring_copy, guardians, old_passport, other_passport):
    erase(old_passport, ruling="Court order 2026/123")
    with pytest.raises(crypto.ErasedError):
        read_everything(old_passport)
    assert read_everything(other_passport)[0] == "Other Person"
    stored = Passport.objects.get(pk=old_passport.pk)
    assert stored.erased_at is not None and stored.nhs_number_index is None
    ledger = keys.erasure_ledger().entries()
    assert [e["passport"] for e in ledger] == [str(old_passport.pk)]


def test_erasure_needs_two_different_authorised_people(keyring_copy, guardians, old_passport,
                                                       her_nurse):
    with pytest.raises(CommandError, match="two different"):
        erase(old_passport, ruling="x", users=("caldicott", "caldicott"))
    with pytest.raises(CommandError, match="Caldicott guardian or a team lead"):
        erase(old_passport, ruling="x", users=("caldicott", her_nurse.username))
    with pytest.raises(CommandError, match="could not be confirmed"):
        erase(old_passport, ruling="x", passwords=(PASSWORD, "wrong"))
    assert read_everything(old_passport)[0] == "Samantha Rose Jones"


def test_erasure_is_refused_under_a_legal_hold(keyring_copy, guardians, old_passport):
    Passport.objects.filter(pk=old_passport.pk).update(legal_hold=True)
    with pytest.raises(CommandError, match="legal hold"):
        erase(old_passport, ruling="Court order")
    assert read_everything(old_passport)[0] == "Samantha Rose Jones"


def test_erasure_before_the_retention_period_needs_a_ruling(keyring_copy, guardians,
                                                            old_passport):
    with pytest.raises(CommandError, match="retention period runs until 2036-06-01"):
        erase(old_passport)
    assert read_everything(old_passport)[0] == "Samantha Rose Jones"


@pytest.mark.parametrize(("care_ended", "kept_until"), [
    (datetime.date(2024, 3, 1), datetime.date(2033, 2, 28)),  # aged 16: the 25th birthday
    (datetime.date(2025, 2, 28), datetime.date(2034, 2, 28)),  # 17 (birthday on 28 Feb): 26th
    (datetime.date(2025, 6, 1), datetime.date(2034, 2, 28)),  # aged 17: the 26th birthday
    (datetime.date(2026, 2, 28), datetime.date(2033, 2, 28)),  # at 18: the 25th birthday
    (None, datetime.date(2034, 2, 28)),  # not known yet: the later date
])
def test_retention_runs_to_the_25th_or_26th_birthday(care_ended, kept_until):
    born = datetime.date(2008, 2, 29)
    assert erasure.retention_ends(born, care_ended) == kept_until


def test_records_past_retention_are_listed_not_erased(old_passport, admin_user):
    from passport.records import actions

    older = actions.do_create_passport(  # 26 on 1 January 2026, end of care never recorded
        admin_user, legal_name="Olwen Older", chosen_name="", owner=None,
        date_of_birth=datetime.date(2000, 1, 1), nhs_number="401 023 2137")
    held = actions.do_create_passport(
        admin_user, legal_name="Harry Held", chosen_name="", owner=None,
        date_of_birth=datetime.date(1999, 3, 1), nhs_number="9434765870")
    Passport.objects.filter(pk=held.pk).update(legal_hold=True)
    out = io.StringIO()
    call_command("retention_due", stdout=out)
    listed = out.getvalue()
    assert listed.splitlines() == [
        f"{held.pk}  retention ended 2025-03-01  legal hold",
        f"{older.pk}  retention ended 2026-01-01",
        "2 passport(s) past their retention period.",
    ]  # hers (kept to 1 June 2036) is not listed; no names are printed
    assert not Passport.objects.filter(erased_at__isnull=False).exists()
    assert read_everything(older) is not None


def test_a_restored_key_is_shredded_again_by_the_ledger(keyring_copy, guardians, old_passport):
    backup = [(r.pk, r.kek_id, bytes(r.wrapped)) for r in DataKeyRecord.objects.filter(
        passport=old_passport)]
    erase(old_passport, ruling="Court order")
    # A restore brings the wrapped key back...
    for pk, kek_id, wrapped in backup:
        DataKeyRecord.objects.filter(pk=pk).update(wrapped=wrapped, kek_id=kek_id,
                                                   destroyed_at=None)
    Passport.objects.filter(pk=old_passport.pk).update(erased_at=None)
    # ...but the ledger beside the keyring refuses it even before it is re-applied,
    with pytest.raises(crypto.ErasedError):
        read_everything(old_passport)
    assert not erasure.ledger_applied()
    out = io.StringIO()
    call_command("apply_erasure_ledger", stdout=out)
    assert "1 were restored" in out.getvalue()
    # ...and re-applying it destroys the key again.
    assert not DataKeyRecord.objects.filter(passport=old_passport, wrapped__isnull=False).exists()
    assert erasure.ledger_applied()


def test_a_forged_ledger_line_is_refused(keyring_copy, her_passport):
    Path(settings.HP_ERASURE_LEDGER).write_text(
        json.dumps({"entry": json.dumps({"passport": str(her_passport.pk)}), "mac": "0" * 64})
        + "\n")
    with pytest.raises(crypto.KeyringError, match="integrity"):
        keys.erasure_ledger().erased_ids()


def test_a_changed_keyring_file_is_picked_up_without_a_restart(keyring_copy, her_passport):
    old = keys.keyring().current_kek_id
    data = json.loads(keyring_copy.read_text())
    new = crypto.add_kek(data)
    crypto.write_secret_json(keyring_copy, data)  # as rotate_keys --new-kek, in another process
    assert keys.keyring().current_kek_id == new != old


def test_rotation_never_brings_an_erased_key_back(keyring_copy, guardians, old_passport,
                                                  other_passport):
    erase(old_passport, ruling="Court order")
    out = io.StringIO()
    call_command("rotate_keys", new_kek=True, stdout=out)
    assert "Re-wrapped 1 data keys" in out.getvalue()
    assert DataKeyRecord.objects.get(passport=old_passport).wrapped is None
    assert read_everything(other_passport)[0] == "Other Person"


def test_the_keyrings_repr_shows_no_key_material():
    keyring = keys.keyring()
    shown = repr(keyring)
    assert keyring.current_kek_id in shown
    for secret in [*keyring.keks.values(), keyring.audit_key, keyring.blind_index_key]:
        assert secret.hex() not in shown and repr(secret) not in shown


def test_a_line_removed_from_the_ledger_is_detected(keyring_copy, tmp_path, guardians,
                                                    old_passport, other_passport):
    Passport.objects.filter(pk=other_passport.pk).update(care_ended_on=datetime.date(2025, 1, 1))
    erase(old_passport, ruling="Court order 1")
    erase(Passport.objects.get(pk=other_passport.pk), ruling="Court order 2")
    out = io.StringIO()
    call_command("export_audit_checkpoints", stdout=out)
    kept = tmp_path / "kept.jsonl"
    kept.write_text(out.getvalue())
    ledger = Path(settings.HP_ERASURE_LEDGER)
    first, second = ledger.read_text().splitlines()
    ledger.write_text(second + "\n")  # the first erasure removed: refused outright
    with pytest.raises(crypto.KeyringError, match="line 1 fails its integrity check"):
        keys.erasure_ledger().entries()
    ledger.write_text(first + "\n")  # the last one cut off: the ledger alone looks fine...
    assert len(keys.erasure_ledger().entries()) == 1
    err = io.StringIO()
    with pytest.raises(CommandError):  # ...but not against the kept checkpoint
        call_command("verify_audit", checkpoints=kept, stderr=err)
    assert "has 1 entries but a kept checkpoint says 2" in err.getvalue()
