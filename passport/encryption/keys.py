"""The passport's data keys: created, fetched, unwrapped once per scope, destroyed.

Sits between the crypto primitives (passport.encryption.crypto) and the database (DataKeyRecord).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from uuid import UUID

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

from passport.encryption import crypto
from passport.encryption.keyrecords import DataKeyRecord

logger = logging.getLogger(__name__)


_lock = threading.Lock()
_loaded: tuple[tuple, crypto.Keyring] | None = None


def keyring() -> crypto.Keyring:
    """The keyring, re-read whenever its file changes: after `rotate_keys --new-kek` every
    running process unwraps with the new KEK and wraps new keys under it, without a restart."""
    global _loaded
    path = settings.HP_KEYRING_FILE
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise crypto.KeyringError(f"no keyring file at {path}") from None
    signature = (path, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    loaded = _loaded
    if loaded is None or loaded[0] != signature:
        with _lock:
            loaded = _loaded = (signature, crypto.load_keyring(path))
    return loaded[1]


@functools.cache
def erasure_ledger() -> crypto.ErasureLedger:
    return crypto.ErasureLedger(settings.HP_ERASURE_LEDGER, keyring)


@receiver(setting_changed)
def _forget_keys(setting: str, **kwargs: object) -> None:
    if setting in {"HP_KEYRING_FILE", "HP_ERASURE_LEDGER"}:
        reload_keyring()


def reload_keyring() -> None:
    global _loaded
    _loaded = None
    erasure_ledger.cache_clear()


# Scope entries are keyed (passport_id.int, version), version None meaning the newest: hashing
# an int is cheaper than a UUID, and the lookup runs once per value read (see fields.decrypt).
def _cache() -> dict:
    cache = crypto.scope_cache()
    # Outside a scope nothing is kept: each value unwraps its key (commands open a scope).
    return cache if cache is not None else {}


def create_data_key(passport_id: UUID):
    """A new data key for a new passport: the unsaved record, and the key ready in the scope."""
    data_key, kek_id, wrapped = crypto.wrap_new_data_key(keyring(), passport_id, 1)
    cache = crypto.scope_cache()
    if cache is None:
        raise crypto.KeyringError("create_data_key needs an open key_scope()")
    cache[(passport_id.int, None)] = cache[(passport_id.int, 1)] = data_key
    return DataKeyRecord(passport_id=passport_id, version=1, kek_id=kek_id, wrapped=wrapped)


def data_key(passport_id: UUID, version: int | None = None) -> crypto.DataKey:
    """The passport's data key: `version` for decrypting, the newest for encrypting."""
    cache = _cache()
    cached = cache.get((passport_id.int, version))
    if cached is not None:  # the hot path: once per value read
        return cached
    if str(passport_id) in erasure_ledger().erased_ids():
        raise crypto.ErasedError(f"passport {passport_id} was erased")
    record, newest = _fetch_record(passport_id, version)
    key = crypto.unwrap_data_key(
        keyring(), passport_id, record.version, record.kek_id, bytes(record.wrapped)
    )
    cache[(passport_id.int, record.version)] = key
    if newest:
        cache[(passport_id.int, None)] = key
    return key


def preload(passport_ids: list[UUID]) -> None:
    """Unwrap the newest data key of many passports with one query (a caseload list)."""
    cache = crypto.scope_cache()
    if cache is None:
        return
    wanted = [p for p in passport_ids if (p.int, None) not in cache]
    erased = erasure_ledger().erased_ids()
    # Plain tuples, not model objects: an area's figures preload thousands.
    records = (DataKeyRecord.objects.filter(passport_id__in=wanted, wrapped__isnull=False)
               .order_by("passport_id", "version")
               .values_list("passport_id", "version", "kek_id", "wrapped"))
    newest: dict[UUID, tuple] = {}
    for passport_id, version, kek_id, wrapped in records:
        newest[passport_id] = (version, kek_id, wrapped)
    ring = keyring()
    for passport_id, (version, kek_id, wrapped) in newest.items():
        if str(passport_id) in erased:
            continue
        key = crypto.unwrap_data_key(ring, passport_id, version, kek_id, bytes(wrapped))
        cache[(passport_id.int, version)] = cache[(passport_id.int, None)] = key


def _fetch_record(passport_id: UUID, version: int | None) -> tuple[DataKeyRecord, bool]:
    """The record of `version` (the newest if None) and whether it is the newest, in one
    query: a page that reads one passport asks for its key once."""
    records = DataKeyRecord.objects.filter(passport_id=passport_id)
    if version is None:
        found = list(records.order_by("-version")[:1])
    else:  # this version, and the next one if there is one
        found = list(records.filter(version__gte=version).order_by("version")[:2])
    if not found or (version is not None and found[0].version != version):
        raise crypto.KeyringError(f"passport {passport_id} has no data key version {version}")
    record = found[0]
    if record.wrapped is None:
        raise crypto.ErasedError(f"passport {passport_id} was erased")
    return record, len(found) == 1


def forget(passport_id: UUID) -> None:
    cache = crypto.scope_cache()
    if cache:
        for key in [k for k in cache if k[0] == passport_id.int]:
            del cache[key]


def destroy_data_keys(passport_id: UUID) -> int:
    """Crypto-shred: overwrite every wrapped data key of the passport. Irreversible."""
    forget(passport_id)
    return DataKeyRecord.objects.filter(passport_id=passport_id, wrapped__isnull=False).update(
        wrapped=None, destroyed_at=timezone.now()
    )
