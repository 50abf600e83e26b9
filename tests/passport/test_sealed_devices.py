"""Second-factor secrets at rest. An authenticator's key is sealed under the
keyring (bound to its device), backup codes are kept as keyed hashes, devices from django-otp's
own tables move across on upgrade (and those tables go), and a KEK rotation re-seals keys."""

import importlib
import time
from binascii import unhexlify

import pytest
from django.db import connection
from django_otp import match_token
from django_otp.oath import TOTP

from passport.accounts import twofactor
from passport.models import Authenticator, BackupCode, BackupCodes
from tests.conftest import make_user

KNOWN_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, as hex
migration = importlib.import_module("passport.migrations.0019_sealed_second_factors")


def code_now(key: bytes) -> str:
    totp = TOTP(key, 30, 0, 6)
    totp.time = time.time()
    if totp.time % 30 > 27:
        time.sleep(3.2)
        totp.time = time.time()
    return f"{totp.token():06d}"


OLD_TABLES = [
    """CREATE TABLE otp_totp_totpdevice (id integer PRIMARY KEY, user_id varchar(36),
       name varchar(64), confirmed boolean, key varchar(80), step smallint, t0 bigint,
       digits smallint, tolerance smallint, drift smallint, last_t bigint,
       throttling_failure_timestamp timestamp NULL, throttling_failure_count integer,
       created_at timestamp NULL, last_used_at timestamp NULL)""",
    """CREATE TABLE otp_static_staticdevice (id integer PRIMARY KEY, user_id varchar(36),
       name varchar(64), confirmed boolean, throttling_failure_timestamp timestamp NULL,
       throttling_failure_count integer)""",
    """CREATE TABLE otp_static_statictoken (id integer PRIMARY KEY, device_id integer,
       token varchar(16))""",
]


@pytest.mark.django_db(transaction=True)
def test_devices_in_django_otps_tables_move_across_sealed_and_the_old_tables_go():
    nurse = make_user("priya", "nurse", "Priya Shah")
    user_id = nurse.pk.hex if connection.vendor == "sqlite" else str(nurse.pk)
    with connection.cursor() as cursor:
        for sql in OLD_TABLES:
            cursor.execute(sql)
        cursor.execute("INSERT INTO otp_totp_totpdevice VALUES (1, %s, 'phone', TRUE, %s, 30, "
                       "0, 6, 0, 0, -1, NULL, 0, NULL, NULL)", [user_id, KNOWN_KEY])
        cursor.execute("INSERT INTO otp_static_staticdevice VALUES (7, %s, 'backup', TRUE, "
                       "NULL, 0)", [user_id])
        cursor.execute("INSERT INTO otp_static_statictoken VALUES (1, 7, 'abcd1234')")
    from django.apps import apps

    with connection.schema_editor() as editor:
        migration.move_devices(apps, editor)

    assert not {"otp_totp_totpdevice", "otp_static_staticdevice",
                "otp_static_statictoken"} & set(connection.introspection.table_names())
    device = Authenticator.objects.get(user=nurse)
    assert device.bin_key == unhexlify(KNOWN_KEY) and KNOWN_KEY not in device.sealed_key
    assert match_token(nurse, code_now(unhexlify(KNOWN_KEY))) == device
    assert BackupCode.objects.filter(device__user=nurse).count() == 1
    assert "abcd1234" not in BackupCode.objects.get().code_hash
    assert isinstance(match_token(nurse, "abcd1234"), BackupCodes)
    assert match_token(nurse, "abcd1234") is None  # once


@pytest.mark.django_db
def test_a_sealed_key_does_not_work_on_another_device():
    from passport.encryption.crypto import DecryptionError

    one = Authenticator.create_for(make_user("a", "nurse"), name="a", confirmed=True)
    other = Authenticator.create_for(make_user("b", "nurse"), name="b", confirmed=True)
    Authenticator.objects.filter(pk=other.pk).update(sealed_key=one.sealed_key)
    other.refresh_from_db()
    with pytest.raises(DecryptionError):
        other.bin_key  # noqa: B018 (reading it is the test)


@pytest.mark.django_db
def test_backup_codes_are_kept_only_as_hashes_and_work_once():
    nurse = make_user("priya", "nurse", "Priya Shah")
    codes = twofactor._new_backup_codes(nurse)
    stored = " ".join(BackupCode.objects.values_list("code_hash", flat=True))
    assert len(codes) == 10 and not any(code in stored for code in codes)
    assert match_token(nurse, codes[3].upper()) is not None  # as typed, any case
    assert match_token(nurse, codes[3]) is None


@pytest.fixture
def keyring_copy(settings, tmp_path):
    from pathlib import Path

    from passport.encryption import keys

    path = tmp_path / "keyring.json"
    path.write_text(Path(settings.HP_KEYRING_FILE).read_text())
    settings.HP_KEYRING_FILE = str(path)
    yield path
    keys.reload_keyring()


@pytest.mark.django_db
def test_a_kek_rotation_reseals_authenticators_and_frees_the_old_kek(keyring_copy):
    import io

    from django.core.management import call_command

    from passport.encryption import keys, rotation

    nurse = make_user("priya", "nurse", "Priya Shah")
    device = Authenticator.create_for(nurse, name="phone", confirmed=True)
    key, old_kek = device.bin_key, keys.keyring().current_kek_id
    assert rotation.kek_in_use(old_kek) == 1  # the authenticator holds it in use
    out = io.StringIO()
    call_command("rotate_keys", new_kek=True, stdout=out)
    new_kek = keys.keyring().current_kek_id
    device.refresh_from_db()
    assert new_kek != old_kek and device.sealed_key.startswith(f"{new_kek}:")
    assert device.bin_key == key
    assert rotation.kek_in_use(old_kek) == 0
