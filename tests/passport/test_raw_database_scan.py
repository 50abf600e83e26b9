"""With the demo loaded and the app used, the raw database holds none of the plaintext.

A separate database of the vendor under test is built by the real commands; then its bytes (the
SQLite file and its WAL, or a pg_dump) are searched, including the admin log, session and cache
tables. A positive control proves the scan would find plaintext if it were there.
"""

from pathlib import Path

import pytest

from passport.operations import demo
from passport.operations.demo_services import SERVICES
from tests.support.databases import scratch_database
from tests.support.exercise_app import MARKERS

EXERCISE = Path(__file__).resolve().parents[1] / "support" / "exercise_app.py"


def public_text() -> str:
    """What the demo stores in plain on purpose: staff names (docs/architecture.md 7) and the
    services directory. A record that mentions "Central Youth" leaks nothing by containing it."""
    texts = [p.display_name for p in demo.STAFF]
    texts += [str(v) for service in SERVICES for v in service.values()]
    return "\n".join(texts)


def sensitive() -> list[str]:
    """Strings under six bytes (a chosen name like "Jay") would match random ciphertext by
    chance; public ones are not secrets."""
    public = public_text()
    return [s for s in demo.sensitive_strings() + list(MARKERS.values())
            if len(s) >= 6 and s not in public]


def forms_of(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.hex().encode()]  # as stored, and as pg_dump prints a bytea


@pytest.fixture(scope="module")
def used_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for this module's tests; it is a database of its own, not the test one."""
    with django_db_blocker.unblock(), scratch_database(tmp_path_factory.mktemp("scan")) as database:
        database.manage("migrate", "--noinput")
        database.manage("createcachetable")
        assert "5 passports" in database.manage("load_demo")
        assert "nothing to do" in database.manage("load_demo")
        database.run_script(EXERCISE)
        yield database


# Sessions are signed, compressed base64 and cache values base64 pickles: a raw scan cannot see
# into them, so they are decoded, the way Django reads them, and searched too.
DECODE = """
import base64, json, pickle
from django.contrib.sessions.models import Session
from django.db import connection
for session in Session.objects.all():
    print(json.dumps(session.get_decoded()))
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM hp_cache")
    for (value,) in cursor.fetchall():
        print(repr(pickle.loads(base64.b64decode(value))))
"""


def test_sessions_and_the_cache_hold_no_sensitive_plaintext(used_database):
    decoded = used_database.manage("shell", "-c", DECODE)
    assert "_auth_user_id" in decoded  # positive controls: the decoding works
    assert "cache-positive-control" in decoded
    leaks = [s for s in sensitive() if s in decoded]
    assert leaks == []


def test_the_raw_database_holds_no_sensitive_plaintext(used_database):
    raw = used_database.raw_bytes()
    # Positive controls: plaintext that may be stored is found, so the scan can see.
    assert b"Priya Shah" in raw  # a staff name (not encrypted, docs/architecture.md 7)
    assert b"section_viewed" in raw  # an audit action
    secrets = sensitive()
    assert len(secrets) > 80
    assert {"Jordan Ellis Carter", "9990001111", "999 000 1111", "Penicillin", "Ahmad Karimi",
            "Birth father's health history", "Sam Jones (foster carer)"} <= set(secrets)
    leaks = [s for s in secrets for form in forms_of(s) if form in raw]
    assert leaks == []


# Every authenticator's key (as the app unseals it) and a fresh set of backup codes made
# through the real action: printed by the app, then looked for in the raw bytes.
SECOND_FACTORS = """
from base64 import b32encode
from passport.accounts import twofactor
from passport.models import Authenticator, User
for device in Authenticator.objects.all():
    print("key", device.bin_key.hex(), b32encode(device.bin_key).decode(), device.sealed_key)
for code in twofactor._new_backup_codes(User.objects.get(username="nurse")):
    print("code", code)
"""


def test_no_second_factor_secret_is_in_the_raw_database(used_database):
    lines = [line.split() for line in used_database.manage(
        "shell", "-c", SECOND_FACTORS).splitlines() if line.strip()]
    keys = [line[1:] for line in lines if line[0] == "key"]
    codes = [line[1] for line in lines if line[0] == "code"]
    assert len(keys) >= 10 and len(codes) == 10
    raw = used_database.raw_bytes()
    # Positive control: the sealed form is stored, and the scan sees it.
    assert all(sealed.encode() in raw for _hex, _b32, sealed in keys)
    found = [secret for hex_key, b32_key, _sealed in keys for secret in (hex_key, b32_key)
             if secret.encode() in raw or bytes.fromhex(hex_key) in raw]
    found += [code for code in codes if code.encode() in raw]
    assert found == []
