"""Envelope encryption: the primitives, and values stored in a real database."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passport.encryption import crypto, keys
from passport.encryption.fields import BulkWriteRefused
from passport.models import Condition, DataKeyRecord, Passport, Revision
from passport.records import actions

PASSPORT = __import__("uuid").UUID("00000000-0000-4000-8000-000000000001")
ROW = __import__("uuid").UUID("00000000-0000-4000-8000-000000000002")
AAD = crypto.value_aad("passport.condition.name", ROW, PASSPORT)


def fresh_key(version: int = 1) -> crypto.DataKey:
    return crypto.DataKey(PASSPORT, version, crypto.generate_key())


@given(st.text(max_size=20_000))
@settings(max_examples=200, deadline=None)
def test_it_round_trips_any_text(text):
    key = fresh_key()
    blob = key.encrypt(text.encode(), AAD)
    assert len(text.encode()) < 8 or text.encode() not in blob
    assert key.decrypt(blob, AAD).decode() == text


def test_every_ciphertext_carries_its_format_and_key_version():
    blob = fresh_key(version=7).encrypt(b"x", AAD)
    assert blob[0] == crypto.FORMAT_VERSION
    assert crypto.key_version_of(blob) == 7
    assert len(blob) == 3 + 12 + 1 + 16


def test_a_wrong_key_raises():
    blob = fresh_key().encrypt(b"Penicillin allergy", AAD)
    with pytest.raises(crypto.DecryptionError):
        fresh_key().decrypt(blob, AAD)


@pytest.mark.parametrize("position", [3, 10, 15, 20, -1])
def test_a_tampered_ciphertext_raises(position):
    key = fresh_key()
    blob = bytearray(key.encrypt(b"Penicillin allergy", AAD))
    blob[position] ^= 0x01
    with pytest.raises(crypto.DecryptionError):
        key.decrypt(bytes(blob), AAD)


def test_a_truncated_ciphertext_raises():
    with pytest.raises(crypto.DecryptionError):
        crypto.key_version_of(b"\x01\x00\x01short")


def test_one_hundred_thousand_encryptions_never_repeat_a_nonce():
    key = fresh_key()
    nonces = {key.encrypt(b"x", AAD)[3:15] for _ in range(100_000)}
    assert len(nonces) == 100_000


def test_a_wrapped_data_key_is_bound_to_its_passport():
    keyring = keys.keyring()
    _key, kek_id, wrapped = crypto.wrap_new_data_key(keyring, PASSPORT, 1)
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(keyring, ROW, 1, kek_id, wrapped)
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key(keyring, PASSPORT, 2, kek_id, wrapped)
    assert crypto.unwrap_data_key(keyring, PASSPORT, 1, kek_id, wrapped).passport_id == PASSPORT


# --- values in the database --------------------------------------------------------------


def raw_column(model, field: str, pk) -> bytes:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM {table} WHERE id = %s", [pk.hex if
                       connection.vendor == "sqlite" else pk])
        return bytes(cursor.fetchone()[0])


def write_raw_column(model, field: str, pk, value: bytes) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {field} = %s WHERE id = %s",
                       [value, pk.hex if connection.vendor == "sqlite" else pk])


def reload(model, pk):
    keys.forget(pk if model is Passport else model.objects.get(pk=pk).passport_id)
    return model.objects.get(pk=pk)


def test_the_database_holds_only_ciphertext(asthma, her_passport):
    stored = raw_column(Condition, "name", asthma.pk)
    assert b"Asthma" not in stored
    assert b"Samantha" not in raw_column(Passport, "legal_name", her_passport.pk)
    assert reload(Condition, asthma.pk).name == "Asthma"


@given(text=st.text(min_size=1, max_size=3000))
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_survives_the_database(nurse_reach, text):
    entry = actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "x",
                                                   "details": text})
    # Kept without surrounding space, with one kind of line break (a browser sends CR LF).
    kept = text.replace("\r\n", "\n").replace("\r", "\n").strip() or None
    assert reload(Condition, entry.pk).details == kept


def test_a_ciphertext_moved_to_another_field_fails(asthma):
    write_raw_column(Condition, "details", asthma.pk, raw_column(Condition, "name", asthma.pk))
    entry = reload(Condition, asthma.pk)
    assert entry.name == "Asthma"
    with pytest.raises(crypto.DecryptionError) as failure:
        entry.details  # noqa: B018
    assert "Asthma" not in str(failure.value)
    assert "passport.condition.details" in str(failure.value)


def test_a_ciphertext_moved_to_another_row_fails(asthma, nurse_reach):
    other = actions.do_add_entry(nurse_reach, Condition, {"kind": "allergy", "name": "Peanuts"})
    write_raw_column(Condition, "name", other.pk, raw_column(Condition, "name", asthma.pk))
    with pytest.raises(crypto.DecryptionError):
        reload(Condition, other.pk).name  # noqa: B018


def test_a_ciphertext_moved_to_another_passport_fails(her_passport, other_passport):
    write_raw_column(Passport, "legal_name", other_passport.pk,
                     raw_column(Passport, "legal_name", her_passport.pk))
    with pytest.raises(crypto.DecryptionError):
        reload(Passport, other_passport.pk).legal_name  # noqa: B018
    assert reload(Passport, her_passport.pk).legal_name == "Samantha Rose Jones"


def test_a_failure_raises_rather_than_returning_something(asthma):
    write_raw_column(Condition, "name", asthma.pk, b"\x01\x00\x01" + b"\x00" * 40)
    entry = reload(Condition, asthma.pk)
    with pytest.raises(crypto.DecryptionError):
        entry.name  # noqa: B018


def test_a_data_key_is_unwrapped_once_per_passport_per_scope(nurse_reach, her_passport):
    for n in range(20):
        actions.do_add_entry(nurse_reach, Condition, {"kind": "medicine", "name": f"m{n}",
                                               "details": "d"})
    keys.forget(her_passport.pk)
    before = crypto.STATS["unwrap"]
    with crypto.key_scope():
        names = [e.name + (e.details or "") for e in Condition.objects.filter(
            passport=her_passport)]
    assert len(names) == 20
    assert crypto.STATS["unwrap"] - before == 1


def test_bulk_writes_that_would_skip_encryption_are_refused(asthma, her_passport):
    with pytest.raises(BulkWriteRefused):
        Condition.objects.filter(pk=asthma.pk).update(name="plain text")
    with pytest.raises(BulkWriteRefused):
        Condition.objects.bulk_create([Condition(passport=her_passport, name="x")])
    with pytest.raises(BulkWriteRefused):
        Condition.objects.bulk_update([asthma], ["name"])
    # Entries change only through actions (revision + audit row), even unencrypted columns.
    with pytest.raises(BulkWriteRefused):
        Condition.objects.filter(pk=asthma.pk).update(is_private=True)
    with pytest.raises(BulkWriteRefused):
        Condition.objects.filter(pk=asthma.pk).delete()
    with pytest.raises(BulkWriteRefused):
        asthma.delete()
    with pytest.raises(BulkWriteRefused):
        Revision.objects.filter(entry_id=asthma.pk).delete()
    stored = reload(Condition, asthma.pk)
    assert (stored.name, stored.is_private) == ("Asthma", False)
    # Other encrypted models may still update their unencrypted columns in bulk.
    assert Passport.objects.filter(pk=her_passport.pk).update(legal_hold=True) == 1


def test_encrypted_columns_cannot_be_searched(asthma):
    with pytest.raises(FieldError):
        list(Condition.objects.filter(name="Asthma"))


def test_dumpdata_serialises_ciphertext_only(asthma):
    from django.core import serializers

    dumped = serializers.serialize("json", Condition.objects.all())
    assert "Asthma" not in dumped
    assert "Preventer" not in dumped


def test_the_nhs_number_is_found_through_its_blind_index(her_passport, her_nurse, stranger):
    from passport.records import selectors

    assert selectors.find_by_nhs_number(her_nurse, "943 476 5919").passport == her_passport
    assert selectors.find_by_nhs_number(stranger, "9434765919") is None
    assert selectors.find_by_nhs_number(her_nurse, "485 777 3457") is None
    assert "9434765919" not in her_passport.nhs_number_index
    record = DataKeyRecord.objects.get(passport=her_passport)
    assert record.kek_id == keys.keyring().current_kek_id


def test_partly_loaded_rows_fetch_and_decrypt_the_rest(asthma):
    entry = Condition.objects.only("id", "passport_id", "name").get(pk=asthma.pk)
    assert entry.name == "Asthma"
    assert entry.details == "Preventer inhaler twice a day"  # deferred: loaded on first use
    full = Condition.objects.get(pk=asthma.pk)
    assert (full.version, full.is_private, full._state.adding) == (1, False, False)
    assert full.created_by_id == asthma.created_by_id
