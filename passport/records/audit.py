"""The audit core: record events into per-passport hash chains, and verify the chains.

Each event's hash is an HMAC (the audit key lives in the keyring, not the database) over the
previous hash and the event's fields. The chain's head is kept signed, so a tail cut off the
table no longer matches it; `export_checkpoints` writes heads for keeping off the machine.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from passport.encryption import keys
from passport.models import GLOBAL_CHAIN, AuditChainHead, AuditEvent, Passport, User

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> str:
    at = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    parts = [
        event.prev_hash, event.chain, str(event.seq), at, str(event.actor_id or ""),
        event.basis, str(event.passport_id or ""), event.section, event.action,
        str(event.object_id or ""),
    ]
    return "|".join(parts)


def _event_hash(event: AuditEvent) -> str:
    return keys.keyring().audit_mac(f"event|{_canonical(event)}")


def _head_signature(chain: str, seq: int, head_hash: str) -> str:
    return keys.keyring().audit_mac(f"head|{chain}|{seq}|{head_hash}")


def chain_for(passport_id: UUID | None, actor: User | None) -> str:
    """A passport's events chain together; events about no passport (a list viewed) chain per
    actor, so that no single head row is a lock every caseload view in the region waits on."""
    if passport_id:
        return str(passport_id)
    return f"user:{actor.pk.hex}" if actor is not None else GLOBAL_CHAIN


def _locked_head(chain: str) -> AuditChainHead:
    heads = AuditChainHead.objects.select_for_update()
    try:
        return heads.get(chain=chain)
    except AuditChainHead.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                chain=chain, seq=0, hash=GENESIS, signature=_head_signature(chain, 0, GENESIS)
            )
    except IntegrityError:
        return heads.get(chain=chain)


def record_event(
    *,
    actor: User | None,
    action: str,
    passport: Passport | UUID | None = None,
    basis: str = "",
    section: str = "",
    object_id: UUID | None = None,
) -> AuditEvent:
    """Append one event to its passport's chain (or the global chain), in the caller's
    transaction: the event exists exactly when the change it describes does."""
    passport_id = passport.pk if isinstance(passport, Passport) else passport
    chain = chain_for(passport_id, actor)
    with transaction.atomic():
        head = _locked_head(chain)
        event = AuditEvent(
            chain=chain, seq=head.seq + 1, at=timezone.now(), actor=actor, basis=basis,
            passport_id=passport_id, section=section, action=action, object_id=object_id,
            prev_hash=head.hash,
        )
        event.hash = _event_hash(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.signature = _head_signature(chain, event.seq, event.hash)
        head.save(update_fields=["seq", "hash", "signature"])
    return event


def linked(chain: str, events: list[AuditEvent]) -> AuditChainHead:
    """A new chain's unsaved events, in order, numbered and hashed as `record_event` would
    link them one by one, and its head: for writing many new chains at once (the load bench's
    bulk seeding). The caller saves both; `verify_all` checks them like any other."""
    head_hash = GENESIS
    for seq, event in enumerate(events, start=1):
        event.chain, event.seq, event.prev_hash = chain, seq, head_hash
        event.hash = head_hash = _event_hash(event)
    return AuditChainHead(chain=chain, seq=len(events), hash=head_hash,
                          signature=_head_signature(chain, len(events), head_hash))


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int | None
    event_id: int | None
    what: str

    def __str__(self) -> str:
        where = f"chain {self.chain}"
        if self.seq is not None:
            where += f", seq {self.seq}"
        if self.event_id is not None:
            where += f" (event id {self.event_id})"
        return f"{where}: {self.what}"


def _verify_chain(chain: str, events: Iterable[AuditEvent]) -> Iterator[Problem]:
    expected_seq, prev_hash, prev_id = 1, GENESIS, 0
    for event in events:
        if event.seq != expected_seq:
            yield Problem(chain, expected_seq, None, f"missing (next present is seq {event.seq}): "
                          "events deleted")
        elif event.id < prev_id:
            yield Problem(chain, event.seq, event.id, "inserted out of order")
        if event.prev_hash != prev_hash:
            yield Problem(chain, event.seq, event.id,
                          "does not follow the event before it: reordered, inserted or deleted")
        if not hmac.compare_digest(event.hash, _event_hash(event)):
            yield Problem(chain, event.seq, event.id, "hash does not match its content: edited")
        expected_seq, prev_hash, prev_id = event.seq + 1, event.hash, event.id
    last_seq = expected_seq - 1
    yield from _verify_head(chain, last_seq, prev_hash)


def _verify_head(chain: str, last_seq: int, last_hash: str) -> Iterator[Problem]:
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is None:
        if last_seq:
            yield Problem(chain, None, None, "has events but no signed head")
        return
    if not hmac.compare_digest(head.signature, _head_signature(chain, head.seq, head.hash)):
        yield Problem(chain, head.seq, None, "its signed head has been altered")
    elif head.seq > last_seq:
        yield Problem(chain, last_seq + 1, None,
                      f"ends at seq {last_seq} but its head says {head.seq}: tail cut off")
    elif head.seq != last_seq or head.hash != last_hash:
        yield Problem(chain, head.seq, None, "does not end where its signed head says")


def verify_all(checkpoints: Iterable[dict] = ()) -> list[Problem]:
    problems: list[Problem] = []
    chains = set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    chains |= set(AuditChainHead.objects.values_list("chain", flat=True))
    for chain in sorted(chains):
        events = AuditEvent.objects.filter(chain=chain).order_by("seq", "id").iterator(2000)
        problems.extend(_verify_chain(chain, events))
    # Every passport's chain starts when it is created: a whole chain deleted shows here.
    for passport_id in Passport.objects.values_list("pk", flat=True).order_by("pk"):
        if str(passport_id) not in chains:
            problems.append(Problem(str(passport_id), None, None,
                                    "the passport has no audit chain: its events were deleted"))
    problems.extend(_verify_checkpoints(checkpoints))
    return problems


def export_checkpoints() -> list[dict]:
    """Signed chain heads, to keep off this machine (a cut tail then shows even if the head
    table itself was rolled back from an old copy)."""
    count, mac = keys.erasure_ledger().head()
    ledger = {"ledger_entries": count, "ledger_mac": mac,
              "signature": keys.keyring().audit_mac(f"ledger|{count}|{mac}")}
    return [ledger] + [
        {"chain": h.chain, "seq": h.seq, "hash": h.hash, "signature": h.signature}
        for h in AuditChainHead.objects.order_by("chain")
    ]


def _verify_ledger_checkpoint(point: dict) -> Iterator[Problem]:
    count, mac = int(point["ledger_entries"]), point["ledger_mac"]
    if not hmac.compare_digest(keys.keyring().audit_mac(f"ledger|{count}|{mac}"),
                               point["signature"]):
        yield Problem("erasure ledger", count, None, "checkpoint signature is not valid")
        return
    records = keys.erasure_ledger()._records()
    if len(records) < count or (count and records[count - 1]["mac"] != mac):
        yield Problem("erasure ledger", count, None,
                      f"has {len(records)} entries but a kept checkpoint says {count}: "
                      "entries removed, so erased passports could come back")


def _verify_checkpoints(checkpoints: Iterable[dict]) -> Iterator[Problem]:
    for point in checkpoints:
        if "ledger_entries" in point:
            yield from _verify_ledger_checkpoint(point)
            continue
        chain, seq = point["chain"], int(point["seq"])
        signature = _head_signature(chain, seq, point["hash"])
        if not hmac.compare_digest(signature, point["signature"]):
            yield Problem(chain, seq, None, "checkpoint signature is not valid")
            continue
        if seq == 0:
            continue
        event = AuditEvent.objects.filter(chain=chain, seq=seq).first()
        if event is None:
            yield Problem(chain, seq, None, "a kept checkpoint is missing: tail cut off")
        elif event.hash != point["hash"]:
            yield Problem(chain, seq, event.id, "differs from its kept checkpoint")


def read_checkpoints(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def checkpoint_lines(points: Iterable[dict]) -> str:
    stamp = datetime.now(UTC).isoformat()
    return "".join(json.dumps({**p, "exported_at": stamp}) + "\n" for p in points)
