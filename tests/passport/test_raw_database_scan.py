"""With the demo loaded and the app used, the raw database holds none of the plaintext.

A separate database of the vendor under test is built by the real commands; then its bytes (the
SQLite file and its WAL, or a pg_dump) are searched, including the admin log, session and cache
tables. A positive control proves the scan would find plaintext if it were there.
"""

from pathlib import Path

import pytest

from passport import demo
from tests.support.databases import scratch_database
from tests.support.exercise_app import MARKERS

EXERCISE = Path(__file__).resolve().parents[1] / "support" / "exercise_app.py"


def forms_of(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.hex().encode()]  # as stored, and as pg_dump prints a bytea


@pytest.fixture
def used_database(db, tmp_path):
    with scratch_database(tmp_path) as database:
        database.manage("migrate", "--noinput")
        database.manage("createcachetable")
        assert "2 passports" in database.manage("load_demo")
        assert "nothing to do" in database.manage("load_demo")
        database.run_script(EXERCISE)
        yield database


def test_the_raw_database_holds_no_sensitive_plaintext(used_database):
    raw = used_database.raw_bytes()
    # Positive controls: plaintext that may be stored is found, so the scan can see.
    assert b"Priya Shah" in raw  # a staff name (not encrypted, DESIGN.md 7)
    assert b"section_viewed" in raw  # an audit action
    # Strings under six bytes (a chosen name like "Jay") would match random ciphertext by chance.
    sensitive = [s for s in demo.sensitive_strings() + list(MARKERS.values()) if len(s) >= 6]
    assert len(sensitive) > 20
    assert {"Jordan Ellis Carter", "9990001111", "999 000 1111", "Penicillin"} <= set(sensitive)
    leaks = [s for s in sensitive for form in forms_of(s) if form in raw]
    assert leaks == []
