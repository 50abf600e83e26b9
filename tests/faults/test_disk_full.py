"""A full disk under a SQLite install: saving meets "database or disk is full"; the
nurse is told plainly (503, try again), nothing of the entry is written, the database file
passes SQLite's integrity check and the audit chain verifies, and once space is freed the same
save works. The disk is a real one: a small tmpfs, filled up with a file."""

import os
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from passport.operations import demo
from tests.support.databases import ScratchDatabase
from tests.support.server import Browser, prepare, running

MIA = uuid.uuid5(demo.NAMESPACE, "yp.demo1")
ADD = f"/p/{MIA}/conditions/condition/add/"
CONDITION = {"kind": "allergy", "name": "Latex-on-a-full-disk", "privacy": "auto",
             "details": "Hives", "what_to_do": "No latex gloves"}


@pytest.fixture
def small_disk():
    assert os.geteuid() == 0, ("a small real disk (tmpfs) needs root to mount: run the "
                               "tests as root, as CI does")
    mount = Path(tempfile.mkdtemp(prefix="hp-small-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def fill(disk: Path) -> Path:
    """Write until the disk refuses, in smaller and smaller pieces, to the last block."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 14, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


@pytest.mark.one_database
def test_a_full_disk_is_a_clear_error_and_corrupts_nothing(small_disk, tmp_path):
    path = small_disk / "db.sqlite3"
    database = ScratchDatabase(f"sqlite:///{path}", "sqlite", tmp_path / "ledger.jsonl",
                               path=path)
    prepare(database)
    with running(database, tmp_path, workers=2) as app:
        nurse = Browser(app.base).sign_in("nurse", database)
        nurse.get(f"/p/{MIA}/conditions/")
        filler = fill(small_disk)
        response = nurse.post(ADD, CONDITION)
        assert response.status == 503 and response.headers["retry-after"] == "5"
        assert "try again in a moment" in response.text.lower()
        assert "Latex-on-a-full-disk" not in response.text and "sqlite" not in response.text
        filler.unlink()
        page = nurse.get(f"/p/{MIA}/conditions/")
        assert page.status == 200 and "Latex-on-a-full-disk" not in page.text
        assert nurse.post(ADD, CONDITION).status == 302
        assert "Latex-on-a-full-disk" in nurse.get(f"/p/{MIA}/conditions/").text
    check = database.manage("shell", "-c", (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA integrity_check').fetchone()[0])"))
    assert check.strip().splitlines()[-1] == "ok"
    assert "intact" in database.manage("verify_audit").lower()
