"""Reads that may be seconds stale, on a PostgreSQL streaming replica (decision 0051).

`DATABASE_REPLICA_URL` names it; settings add it as the "replica" database. There is no
router: everything that decides access or writes stays on the primary, and only the named
selectors that can bear a few seconds' delay (the area figures, the services directory) ask
for it here, by `.using()`. When no replica is set, or it does not answer, or it has fallen
too far behind (`HP_REPLICA_MOST_BEHIND` seconds, 30 unless set), they read the primary: a
replica makes the service faster, never less available.
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
            if _lag_seconds() <= settings.HP_REPLICA_MOST_BEHIND:
                return read(REPLICA)
            logger.warning("replica_behind")  # no figure: a log line, not a number to mine
        except DatabaseError:
            logger.warning("replica_unavailable")
            _close()
        _resting_until = time.monotonic() + RESTING_SECONDS
    return read(DEFAULT_DB_ALIAS)


def _lag_seconds() -> float:
    """How far behind the replica's copy is: the newest audit event (nearly every use of the
    service writes one) on the primary against the newest the replica has replayed. Paused
    or cut off, the replica's stops while the primary's moves on; an idle service, or an
    up-to-date replica, gives zero. By primary key: indexed, however long the log."""
    from passport.models import AuditEvent

    primary, copy = (AuditEvent.objects.using(alias).order_by("-pk")
                     .values_list("at", flat=True).first() for alias in (DEFAULT_DB_ALIAS,
                                                                          REPLICA))
    if primary is None or copy is None:
        return 0.0 if primary is None else float("inf")
    return max(0.0, (primary - copy).total_seconds())


def _close() -> None:
    with contextlib.suppress(DatabaseError):  # already gone
        connections[REPLICA].close()


def rest_over() -> None:
    """Try the replica again at the next read (tests, and an operator after a repair)."""
    global _resting_until
    _resting_until = 0.0
