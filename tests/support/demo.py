"""The loaded demo, for tests: `passport.operations.demo.load()` through the real actions, made
once per test process and then copied back in for each later test that asks for it.

The first load in a process runs the demo's actions (passports, entries, sign-offs, grants, the
audit chain) into an empty database and keeps the rows it wrote, table by table. Later loads in
that process insert the very same rows (the same ids, so the encrypted values, which are bound
to their rows and wrapped under the keyring's keys, still open; the same audit chain), in
milliseconds rather than a third of a second. A copy is kept per keyring (a test that swaps the
keyring gets a load of its own), and it is used only on SQLite (`make test-fast` and the SQLite
half of `make test`), inside a test's transaction, and only into a database holding exactly
what the migrations wrote (`remember_empty`, at the start of the session). Anywhere else it is
the plain `demo.load()`.
"""

from __future__ import annotations

import hashlib

from django.db import connection

from passport.encryption import keys
from passport.operations import demo

_copies: dict[str, dict[str, tuple[list[str], list[tuple]]]] = {}
_empty: dict[str, int] | None = None  # row counts of a freshly migrated database


def _tables() -> list[str]:
    return [t for t in connection.introspection.table_names()
            if not t.startswith("sqlite_") and t != "django_migrations"]


def _read(table: str) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        return [c[0] for c in cursor.description], cursor.fetchall()


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in _tables():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            found[table] = cursor.fetchone()[0]
        return found


def remember_empty() -> None:
    """What a freshly migrated database holds (content types, permissions): called once, before
    any test has written anything."""
    global _empty
    if connection.vendor == "sqlite":
        _empty = _counts()


def _keyring_of_now() -> str:
    ring = keys.keyring()
    secret = b"".join(ring.keks[k] for k in sorted(ring.keks)) + ring.blind_index_key
    return hashlib.sha256(secret + ring.audit_key).hexdigest()


def load() -> None:
    """The demo, as `demo.load()` leaves it."""
    if (connection.vendor != "sqlite" or not connection.in_atomic_block or _empty is None
            or _counts() != _empty):
        demo.load()
        return
    ring = _keyring_of_now()
    copy = _copies.get(ring)
    if copy is None:
        demo.load()
        # What the load wrote: the rows after those the migrations made.
        _copies[ring] = copy = {}
        for table in _tables():
            columns, rows = _read(table)
            if rows[_empty.get(table, 0):]:
                copy[table] = (columns, rows[_empty.get(table, 0):])
        return
    with connection.cursor() as cursor:
        for table, (columns, rows) in copy.items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
