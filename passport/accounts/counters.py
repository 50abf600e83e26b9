"""Counting sign-in attempts in fixed windows, in the database.

One `UPDATE … SET count = count + 1` per attempt: two servers counting at the same moment
both count (the cache's read-then-write could lose one). Rows of windows long past are deleted
as new rows are made.
"""

from __future__ import annotations

import time

from django.db import IntegrityError, transaction
from django.db.models import F

from passport.models import SignInCounter

KEEP = 24 * 3600  # rows of older windows go


def bump(key: str, window_seconds: int, now: float | None = None) -> int:
    """Count one attempt for `key` in the current window; the count so far, this one included."""
    now = int(now if now is not None else time.time())
    window = now - now % window_seconds
    with transaction.atomic():
        counted = SignInCounter.objects.filter(key=key, window=window).update(
            count=F("count") + 1)
        if not counted:  # a new window for this key, or a new key
            counted = SignInCounter.objects.filter(key=key).exclude(window=window).update(
                window=window, count=1)
        if not counted:
            try:
                with transaction.atomic():
                    SignInCounter.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # made by another server at the same moment
                SignInCounter.objects.filter(key=key, window=window).update(
                    count=F("count") + 1)
            SignInCounter.objects.filter(window__lt=now - KEEP).delete()
        return SignInCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0


def count(key: str, window_seconds: int, now: float | None = None) -> int:
    """The attempts counted for `key` in the current window, without counting one."""
    now = int(now if now is not None else time.time())
    window = now - now % window_seconds
    return (SignInCounter.objects.filter(key=key, window=window)
            .values_list("count", flat=True).first() or 0)
