"""Envelope encryption for health content (docs/architecture.md section 7).

This is the only module that imports `cryptography` (ruff's TID251 rule enforces it). It knows
nothing about Django models: `passport.encryption.keys` fetches wrapped data keys from the database
and
hands them here.

Value format: version byte | data-key version (2 bytes) | 12-byte random nonce | ciphertext+tag,
with associated data "app.model.field|row-uuid|passport-uuid" (the UUIDs as 16 raw bytes).
A wrapped data key is nonce | ciphertext+tag under a key-encryption key (KEK), bound to
"dek|passport|kek-id|version".
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import os
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
HEADER = struct.Struct(">BH")
NONCE_BYTES = 12
KEY_BYTES = 32
TAG_BYTES = 16

# Counted so tests and bench/decrypt.py can prove "unwrapped once per passport per request".
STATS: Counter[str] = Counter()


class CryptoError(Exception):
    """Base for every failure here. Messages name places (model, field, row), never content."""


class KeyringError(CryptoError):
    pass


class DecryptionError(CryptoError):
    pass


class ErasedError(CryptoError):
    """The passport was erased: its data key is destroyed and will never come back."""


def generate_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as exc:
        raise KeyringError(f"{what} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise KeyringError(f"{what} must be {KEY_BYTES} bytes, not {len(key)}")
    return key


def value_aad(label: str, row_id: UUID, passport_id: UUID) -> bytes:
    """ "app.model.field|" + row id + "|" + passport id, the ids as their 16 raw bytes: fixed
    length, so unambiguous, and much cheaper to build than the 36-character text form."""
    return b"%s|%s|%s" % (label.encode(), row_id.bytes, passport_id.bytes)


def dek_aad(passport_id: UUID, kek_id: str, version: int) -> bytes:
    return f"dek|{passport_id}|{kek_id}|{version}".encode()


class KeyProvider(Protocol):
    """What wraps data keys. The file keyring implements it; a KMS or Vault client can too."""

    current_kek_id: str

    def wrap(self, kek_id: str, dek: bytes, aad: bytes) -> bytes: ...

    def unwrap(self, kek_id: str, wrapped: bytes, aad: bytes) -> bytes: ...


@dataclass(frozen=True)
class Keyring:
    # repr=False: a keyring in an error report's locals must not print its keys.
    keks: Mapping[str, bytes] = field(repr=False)
    current_kek_id: str
    blind_index_key_id: str
    blind_index_key: bytes = field(repr=False)
    audit_key: bytes = field(repr=False)
    # The application server's key for Web Push (VAPID, RFC 8292): a P-256 private scalar.
    # None in a keyring from before reminders: then no reminder is offered or sent.
    vapid_key: bytes | None = field(repr=False, default=None)

    def vapid_private(self) -> str | None:
        """The VAPID private key as the push library takes it (base64url of the scalar)."""
        return _b64url(self.vapid_key) if self.vapid_key else None

    def vapid_public(self) -> str | None:
        """The browser's `applicationServerKey`: the public point, uncompressed, base64url."""
        if not self.vapid_key:
            return None
        private = ec.derive_private_key(int.from_bytes(self.vapid_key, "big"), ec.SECP256R1())
        return _b64url(private.public_key().public_bytes(Encoding.X962,
                                                         PublicFormat.UncompressedPoint))

    def wrap(self, kek_id: str, dek: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(self._kek(kek_id)).encrypt(nonce, dek, aad)

    def unwrap(self, kek_id: str, wrapped: bytes, aad: bytes) -> bytes:
        aead = AESGCM(self._kek(kek_id))
        try:
            return aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        except InvalidTag as exc:
            raise DecryptionError(f"a data key wrapped under {kek_id} failed to unwrap") from exc

    def _kek(self, kek_id: str) -> bytes:
        try:
            return self.keks[kek_id]
        except KeyError:
            raise KeyringError(f"key-encryption key {kek_id!r} is not in the keyring") from None

    def blind_index(self, purpose: str, value: str) -> str:
        digest = hmac.new(self.blind_index_key, f"{purpose}|{value}".encode(), hashlib.sha256)
        return f"{self.blind_index_key_id}:{digest.hexdigest()}"

    def audit_mac(self, message: str) -> str:
        return hmac.new(self.audit_key, message.encode(), hashlib.sha256).hexdigest()


def parse_keyring(data: Mapping[str, Any]) -> Keyring:
    try:
        keks = {kek_id: _unb64(key, f"KEK {kek_id}") for kek_id, key in data["keks"].items()}
        current = data["current_kek"]
        blind = data["blind_index_key"]
        keyring = Keyring(
            keks=keks,
            current_kek_id=current,
            blind_index_key_id=blind["id"],
            blind_index_key=_unb64(blind["key"], "the blind-index key"),
            audit_key=_unb64(data["audit_key"], "the audit key"),
            vapid_key=(_unb64(data["vapid_key"], "the VAPID key") if data.get("vapid_key")
                       else None),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise KeyringError(f"the keyring is missing {exc}") from None
    if current not in keks:
        raise KeyringError(f"the current KEK {current!r} is not among the keyring's KEKs")
    return keyring


def load_keyring(path: str | os.PathLike[str]) -> Keyring:
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise KeyringError(f"no keyring file at {path}") from None
    except json.JSONDecodeError as exc:
        raise KeyringError(f"the keyring file {path} is not valid JSON") from exc
    return parse_keyring(data)


def new_kek_id() -> str:
    return f"kek-{datetime.now(UTC):%Y%m%d}-{os.urandom(3).hex()}"


def new_keyring_data() -> dict[str, Any]:
    """A fresh keyring as JSON-ready data: one KEK, a blind-index key, an audit key."""
    kek_id = new_kek_id()
    return {
        "current_kek": kek_id,
        "keks": {kek_id: _b64(generate_key())},
        "blind_index_key": {"id": "bi1", "key": _b64(generate_key())},
        "audit_key": _b64(generate_key()),
        "vapid_key": new_vapid_key(),
    }


def is_p256_point(raw: bytes) -> bool:
    """Whether `raw` is a point on P-256, uncompressed: a browser's push key (RFC 8291)."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def new_vapid_key() -> str:
    """A new VAPID key for the keyring file: a P-256 private scalar, base64."""
    private = ec.generate_private_key(ec.SECP256R1())
    return _b64(private.private_numbers().private_value.to_bytes(KEY_BYTES, "big"))


def add_kek(data: dict[str, Any]) -> str:
    """Add a new current KEK to keyring data; the old ones stay until retired."""
    kek_id = new_kek_id()
    data["keks"][kek_id] = _b64(generate_key())
    data["current_kek"] = kek_id
    return kek_id


def write_secret_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class DataKey:
    """A passport's unwrapped data key. Lives only in a request's key scope."""

    __slots__ = ("_aead", "_header", "passport_id", "version", "version_bytes")

    def __init__(self, passport_id: UUID, version: int, key: bytes) -> None:
        self.passport_id = passport_id
        self.version = version
        self._header = HEADER.pack(FORMAT_VERSION, version)
        self.version_bytes = self._header[1:]
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return self._header + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        # A blob too short for a tag fails inside AESGCM with InvalidTag.
        if blob[:3] != self._header:
            raise DecryptionError("ciphertext is malformed or not for this key version")
        view = memoryview(blob)
        try:
            return self._aead.decrypt(view[3:_BODY], view[_BODY:], aad)
        except InvalidTag:
            raise DecryptionError("authentication failed") from None


_BODY = HEADER.size + NONCE_BYTES


def key_version_of(blob: bytes) -> int:
    if len(blob) < _BODY + TAG_BYTES:
        raise DecryptionError("ciphertext too short")
    if blob[0] != FORMAT_VERSION:
        raise DecryptionError(f"unknown ciphertext format {blob[0]}")
    return int.from_bytes(blob[1:3], "big")


def wrap_new_data_key(
    provider: KeyProvider, passport_id: UUID, version: int
) -> tuple[DataKey, str, bytes]:
    key = generate_key()
    kek_id = provider.current_kek_id
    wrapped = provider.wrap(kek_id, key, dek_aad(passport_id, kek_id, version))
    return DataKey(passport_id, version, key), kek_id, wrapped


def unwrap_data_key(
    provider: KeyProvider, passport_id: UUID, version: int, kek_id: str, wrapped: bytes
) -> DataKey:
    STATS["unwrap"] += 1
    key = provider.unwrap(kek_id, wrapped, dek_aad(passport_id, kek_id, version))
    return DataKey(passport_id, version, key)


def rewrap_data_key(
    provider: KeyProvider, passport_id: UUID, version: int, kek_id: str, wrapped: bytes
) -> tuple[str, bytes]:
    """The same data key, wrapped under the current KEK. Values are not touched. The new
    wrapping is unwrapped again and compared before it is returned: the caller overwrites the
    only copy with it."""
    key = provider.unwrap(kek_id, wrapped, dek_aad(passport_id, kek_id, version))
    new_id = provider.current_kek_id
    new_wrapped = provider.wrap(new_id, key, dek_aad(passport_id, new_id, version))
    if provider.unwrap(new_id, new_wrapped, dek_aad(passport_id, new_id, version)) != key:
        raise KeyringError(f"re-wrapping the data key of {passport_id} did not round-trip")
    return new_id, new_wrapped


# --- the key scope: data keys unwrapped once per passport per request ----------------------

_scope: ContextVar[dict[Any, DataKey] | None] = ContextVar("hp_key_scope", default=None)


@contextmanager
def key_scope(*, fresh: bool = False) -> Iterator[dict[Any, DataKey]]:
    """Cache unwrapped data keys until the outermost scope ends. Opened only at the edges
    (docs/architecture.md 7): the request middleware (`fresh`: each request its own, even
    inside a test's), `keys_held` for management commands and benches, and the tests' fixture.
    The domain never opens one: it reads inside the scope its caller opened."""
    current = _scope.get()
    if current is not None and not fresh:
        yield current
        return
    cache: dict[Any, DataKey] = {}
    token = _scope.set(cache)
    try:
        yield cache
    finally:
        cache.clear()
        _scope.reset(token)


def keys_held(function: Callable[..., Any]) -> Callable[..., Any]:
    """A management command's `handle`, or one run of a bench: data keys unwrapped during the
    call are kept until it returns (each passport's key once), then dropped."""

    @functools.wraps(function)
    def held(*args: Any, **kwargs: Any) -> Any:
        with key_scope():
            return function(*args, **kwargs)

    return held


# The current scope's cache, or None: the ContextVar's own method, with no Python frame.
scope_cache = _scope.get


# --- the erasure ledger -------------------------------------------------------------------


class ErasureLedger:
    """An append-only file of erased passports, kept beside the keyring, outside the database.

    Each line carries an HMAC, under the audit key, over its entry and the previous line's
    HMAC: a forged line, or one deleted from the middle, is refused; `head()` goes into the
    exported audit checkpoints, so a line cut off the end shows too.
    """

    def __init__(self, path: str | os.PathLike[str], keyring: Callable[[], Keyring]) -> None:
        self.path = Path(path)
        self.keyring = keyring
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int, int], frozenset[str]] | None = None

    def _mac(self, prev: str, body: str) -> str:
        return self.keyring().audit_mac(f"erasure|{prev}|{body}")

    def append(self, entry: Mapping[str, Any]) -> None:
        body = json.dumps(dict(entry), sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._lock:
            prev = self.head()[1]
            line = json.dumps({"entry": body, "mac": self._mac(prev, body)})
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())

    def _records(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        records, prev = [], ""
        for number, line in enumerate(self.path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not hmac.compare_digest(self._mac(prev, record["entry"]), record["mac"]):
                raise KeyringError(f"erasure ledger line {number} fails its integrity check")
            records.append(record)
            prev = record["mac"]
        return records

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(record["entry"]) for record in self._records()]

    def head(self) -> tuple[int, str]:
        """(number of entries, the last line's HMAC)."""
        records = self._records()
        return len(records), records[-1]["mac"] if records else ""

    def erased_ids(self) -> frozenset[str]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return frozenset()
        signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._cache and self._cache[0] == signature:
                return self._cache[1]
        ids = frozenset(entry["passport"] for entry in self.entries())
        with self._lock:
            self._cache = (signature, ids)
        return ids
