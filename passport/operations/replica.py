"""Reads that may be seconds stale, on a PostgreSQL streaming replica (decision 0051).

`DATABASE_REPLICA_URL` names it; settings add it as the "replica" database. There is no
router: everything that decides access or writes stays on the primary, and only the named
selectors that can bear a few seconds' delay (the area figures, the services directory) ask
for it here, by `.using()`. When no replica is set, or it does not answer, or it has fallen
too far behind, they read the primary: a replica makes the service faster, never less
available.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
# How far behind the primary a replica may be and still be read; past it, the primary.
MOST_BEHIND_SECONDS = 30
# After a failure, the replica is left alone for this long (no connection attempt per page).
RESTING_SECONDS = 10

T = TypeVar("T")
logger = logging.getLogger(__name__)
_resting_until = 0.0


def configured() -> bool:
    return REPLICA in settings.DATABASES


def stale_ok(read: Callable[[str], T]) -> T:
    """`read(alias)` on the replica when it can answer, else on the primary. `read` must only
    read: the replica refuses writes, and anything written belongs on the primary."""
    global _resting_until
    if configured() and time.monotonic() >= _resting_until:
        try:
            if _lag_seconds() <= MOST_BEHIND_SECONDS:
                return read(REPLICA)
            logger.warning("replica_behind")  # no figure: a log line, not a number to mine
        except DatabaseError:
            logger.warning("replica_unavailable")
            _close()
        _resting_until = time.monotonic() + RESTING_SECONDS
    return read(DEFAULT_DB_ALIAS)


def _lag_seconds() -> float:
    """How long since the replica last replayed a transaction that was still being made:
    zero when it has replayed all it has received (an idle primary sends nothing new)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END")
        return float(cursor.fetchone()[0])


def _close() -> None:
    with contextlib.suppress(DatabaseError):  # already gone
        connections[REPLICA].close()


def rest_over() -> None:
    """Try the replica again at the next read (tests, and an operator after a repair)."""
    global _resting_until
    _resting_until = 0.0
