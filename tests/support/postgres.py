"""A PostgreSQL server of the test's own, to stop and start under load (the outage
test): initdb in a temporary directory, run as a non-root user (PostgreSQL refuses root), on a
free loopback port. bin/with-postgres does the same for the whole suite."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.server import free_port


def _bin() -> Path:
    if os.environ.get("HP_PG_BIN"):
        return Path(os.environ["HP_PG_BIN"])
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        raise AssertionError("PostgreSQL is not installed: apt-get install postgresql")
    return versions[-1]


class Postgres:
    def __init__(self, work: Path) -> None:
        self.work, self.bin, self.port = work, _bin(), free_port()
        self.data = work / "data"
        self.runas: list[str] = []
        if os.getuid() == 0:
            user = "postgres"
            if subprocess.run(["id", user], capture_output=True).returncode != 0:
                user = "hp-postgres"
                subprocess.run(["useradd", "--system", "--no-create-home", user],
                               capture_output=True)
            shutil.chown(work, user)
            self.runas = ["runuser", "-u", user, "--"]

    @property
    def url(self) -> str:
        return f"postgres://hp@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.runas, *args], check=True, capture_output=True, timeout=120)

    def initdb(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "hp", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.work / "server.log"), "-w", "-o",
                  f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.work} -c fsync=off",
                  "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def standby_of(self, primary: Postgres) -> None:
        """This server as a hot standby streaming from `primary` (as bin/with-postgres
        --replica makes one): a base backup of it, with the standby's settings written."""
        self._run(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
                  "-U", "hp", "-D", str(self.data), "-R", "-X", "stream")

    def sql(self, statement: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []


@contextmanager
def _own(prefix: str, make: Callable[[Postgres], None]) -> Iterator[Postgres]:
    """A server made by `make` in a directory of its own, started, then stopped and deleted.
    Not under pytest's tmp_path: its parents are private to root, and the server runs as
    another user."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    work.chmod(0o755)
    server = Postgres(work)
    make(server)
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            server.stop("immediate")
        shutil.rmtree(work, ignore_errors=True)


def own_postgres() -> contextlib.AbstractContextManager[Postgres]:
    return _own("hp-pg-fault-", Postgres.initdb)


def own_replica(primary: Postgres) -> contextlib.AbstractContextManager[Postgres]:
    """A streaming replica of `primary`, on its own port."""
    return _own("hp-pg-replica-", lambda server: server.standby_of(primary))
