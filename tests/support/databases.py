"""A fresh, separate database of the vendor under test, driven by real manage.py commands in
subprocesses: for the raw-file scan and the backup/restore test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class ScratchDatabase:
    def __init__(self, url: str, vendor: str, ledger: Path, path: Path | None = None) -> None:
        self.url, self.vendor, self.ledger, self.path = url, vendor, ledger, path

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DJANGO_DEBUG", None)
        env.update({"DATABASE_URL": self.url, "DJANGO_ALLOWED_HOSTS": "testserver",
                    "HP_ERASURE_LEDGER": str(self.ledger)}, **extra)
        return env

    def manage(self, *args: str, stdin: str | None = None, **extra: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=self.env(**extra),
            capture_output=True, text=True, input=stdin, timeout=300, check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def run_script(self, script: Path) -> str:
        result = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, env=self.env(), capture_output=True,
            text=True, timeout=300, check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"{script.name} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def raw_bytes(self) -> bytes:
        """Everything the database holds on disk: the SQLite file and its WAL, or a pg_dump."""
        if self.vendor == "sqlite":
            return b"".join(p.read_bytes() for p in sorted(self.path.parent.glob(
                self.path.name + "*")))
        return subprocess.run([_pg_tool("pg_dump"), "--dbname", self.url],
                              capture_output=True, check=True, timeout=120).stdout

    def backup(self, target: Path) -> None:
        if self.vendor == "sqlite":
            self.manage("shell", "-c", "from django.db import connection; "
                        "connection.ensure_connection(); "
                        f"connection.connection.execute(\"VACUUM INTO '{target}'\")")
        else:
            subprocess.run([_pg_tool("pg_dump"), "-Fc", "-f", str(target), "--dbname", self.url],
                           check=True, timeout=120)

    def restore(self, source: Path) -> None:
        if self.vendor == "sqlite":
            for stale in self.path.parent.glob(self.path.name + "-*"):
                stale.unlink()
            shutil.copyfile(source, self.path)
        else:
            subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                            "--disable-triggers", "--dbname", self.url, str(source)],
                           check=True, timeout=120, capture_output=True)


def _pg_tool(name: str) -> str:
    return str(Path(os.environ["HP_PG_BIN"]) / name) if os.environ.get("HP_PG_BIN") else name


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[ScratchDatabase]:
    ledger = tmp_path / "erasure-ledger.jsonl"
    if connection.vendor == "sqlite":
        path = tmp_path / "scratch.sqlite3"
        yield ScratchDatabase(f"sqlite:///{path}", "sqlite", ledger, path=path)
        return
    settings = connection.settings_dict
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    url = (f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}")
    import psycopg

    # CREATE DATABASE cannot run inside the test's transaction: a connection of its own.
    server = psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
                             dbname="postgres", autocommit=True)
    try:
        server.execute(f'CREATE DATABASE "{name}"')
        yield ScratchDatabase(url, "postgresql", ledger)
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()
