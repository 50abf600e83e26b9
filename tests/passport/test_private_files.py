"""The SQLite database, its -wal and -shm, are readable by the app's
own user alone, made so by a real `manage.py migrate` and kept so at the next start."""

import os
import stat
from pathlib import Path

import pytest

from passport.operations.private_files import make_private
from tests.support.databases import ScratchDatabase

pytestmark = pytest.mark.one_database  # SQLite's own files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_migrate_makes_a_database_nobody_else_can_read(tmp_path):
    path = tmp_path / "db.sqlite3"
    database = ScratchDatabase(f"sqlite:///{path}", "sqlite", tmp_path / "ledger.jsonl",
                               path=path)
    old = os.umask(0o022)  # as a shell usually has it: files anyone may read
    try:
        database.manage("migrate", "--noinput")
        # Written to, and looked at while still open (SQLite removes -wal and -shm on close).
        seen = database.manage("shell", "-c", (
            "import glob, os, stat; from passport.models import User; "
            "User.objects.create(username='x'); "
            f"print(sorted((os.path.basename(p), oct(stat.S_IMODE(os.stat(p).st_mode))) "
            f"for p in glob.glob('{path}*')))"))
    finally:
        os.umask(old)
    private = [("db.sqlite3", "0o600"), ("db.sqlite3-shm", "0o600"),
               ("db.sqlite3-wal", "0o600")]
    assert seen.strip().splitlines()[-1] == str(private)
    os.chmod(path, 0o644)  # loosened by hand: the next start makes it private again
    database.manage("check")
    assert mode(path) == 0o600


def test_the_apps_own_folder_is_private_and_no_other_is_touched(tmp_path):
    own, shared = tmp_path / "var", tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)  # noqa: S103 (a shared folder, as /tmp is: left as it is)
    make_private(own / "db.sqlite3", own_folder=own)
    make_private(shared / "db.sqlite3")
    assert (mode(own), mode(own / "db.sqlite3")) == (0o700, 0o600)
    assert (mode(shared), mode(shared / "db.sqlite3")) == (0o755, 0o600)
