"""The audit chain: putting committed entries in order, signed checkpoints, and verifying.

`chain_pending` takes the queue of committed, signed entries and links each to the one before
in commit order, in short transactions under one lock (PostgreSQL: an advisory lock held for
the few milliseconds of a batch; SQLite: its write lock). `write_checkpoint` (run by
`lantern tick`) signs where the chain has reached and appends it to a file outside the
database. `verify_chain` checks every entry and link and that the chain reaches every
checkpoint with the same count, naming the first entry that differs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lantern.audit.keys import current_key, known_keys
from lantern.audit.models import (
    AuditCheckpoint,
    AuditEntry,
    AuditLink,
    AuditPending,
    CheckpointKind,
)

GENESIS_HASH = "0" * 64
CHECKPOINT_FILE = "checkpoints.jsonl"
# The PostgreSQL advisory lock that serialises chaining (Lantern's namespace, "CHAN").
_CHAIN_LOCK_KEYS = (0x4C414E54, 0x4348414E)
_BATCH = 500

checkpoint_log = logging.getLogger("lantern.audit.checkpoints")


def chain_pending(batch_size: int = _BATCH) -> int:
    """Link every committed, not yet chained entry to the chain, oldest first, in batches of
    `batch_size` (each its own short transaction, so the lock is let go between batches).
    Returns how many entries it chained. Safe to run from any number of processes at once."""
    chained = 0
    while True:
        done = _chain_batch(batch_size)
        chained += done
        if done < batch_size:
            return chained


def genesis() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.filter(kind=CheckpointKind.GENESIS).order_by("id").first()


def genesis_head() -> str:
    """The MAC the first link points back to: the genesis checkpoint's head (the last legacy
    entry's hash), or zeros on a trail that never had a legacy chain."""
    first = genesis()
    return first.head_mac if first else GENESIS_HASH


def write_checkpoint(now: datetime | None = None) -> AuditCheckpoint | None:
    """Chain what is waiting, then sign where the chain has reached and append it to the
    checkpoint file (and syslog, if configured) and the database. Writes nothing if the chain
    has not moved since the last checkpoint in the file, so a second tick does nothing."""
    chain_pending()
    head = AuditLink.objects.order_by("-seq").first()
    first = genesis()
    legacy = first.count if first else 0
    seq = head.seq if head else 0
    last = last_file_checkpoint()
    if last is not None and last.get("seq") == seq and last.get("kind") == CheckpointKind.TICK:
        return None
    key_id, key = current_key()
    checkpoint = AuditCheckpoint(
        kind=CheckpointKind.TICK,
        at=now or timezone.now(),
        seq=seq,
        entry_id=head.entry_id if head else (first.entry_id if first else None),
        head_mac=head.mac if head else genesis_head(),
        count=legacy + seq,
        key_id=key_id,
    )
    checkpoint.signature = checkpoint.compute_signature(key)
    line = json.dumps(checkpoint.payload() | {"signature": checkpoint.signature}, sort_keys=True)
    _append_line(checkpoint_path(), line)
    checkpoint_log.info("lantern audit checkpoint %s", line)
    checkpoint.save(force_insert=True)
    return checkpoint


def checkpoint_path() -> Path:
    return Path(settings.LANTERN_AUDIT_CHECKPOINT_DIR) / CHECKPOINT_FILE


def file_checkpoints(path: Path | None = None) -> list[dict]:
    """The checkpoints in the file, oldest first (none if it does not exist yet)."""
    path = path or checkpoint_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def last_file_checkpoint(path: Path | None = None) -> dict | None:
    found = file_checkpoints(path)
    return found[-1] if found else None


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_broken_id: int | None
    problem: str = ""
    unchained: int = 0
    checkpoints_checked: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and not self.problem


class _Broken(Exception):
    def __init__(self, entry_id: int | None, problem: str) -> None:
        self.entry_id = entry_id
        self.problem = problem


def verify_chain(batch_size: int = 5000, checkpoint_file: Path | None = None) -> ChainReport:
    """Check the whole trail: the genesis checkpoint and the legacy SHA-256 chain it anchors,
    every entry's MAC, every link (no gaps, each pointing at the one before), every checkpoint
    (in the database and the file) reached with the same MAC and count, and every entry not
    yet chained. Reports the first entry that differs and what is wrong with it."""
    keys = known_keys()
    state = {"checked": 0, "checkpoints": 0}
    try:
        checkpoints = _checkpoints(keys, checkpoint_file)
        state["checkpoints"] = len(checkpoints)
        head, legacy_count = _verify_legacy(keys, batch_size, state)
        last_seq = _verify_links(keys, head, legacy_count, checkpoints, batch_size, state)
        _verify_reaches_checkpoints(checkpoints, last_seq, legacy_count)
        unchained = _verify_unchained(keys, batch_size, state)
    except _Broken as broken:
        return ChainReport(
            state["checked"], broken.entry_id, broken.problem, 0, state["checkpoints"]
        )
    return ChainReport(state["checked"], None, "", unchained, state["checkpoints"])


def _verify_legacy(keys, batch_size: int, state: dict) -> tuple[str, int]:
    """The entries from before the HMAC chain, against the genesis checkpoint."""
    first = genesis()
    if first is not None:
        _check_signature(first, keys, "the genesis checkpoint")
    previous, count, last_id = GENESIS_HASH, 0, 0
    for entry in _batches(AuditEntry.objects.filter(key_id=""), "id", batch_size):
        if first is None or count >= first.count:
            raise _Broken(
                entry.id,
                "it is an unsigned entry the genesis checkpoint does not cover "
                + ("(the genesis checkpoint is missing)" if first is None else "(added later)"),
            )
        if entry.prev_hash != previous:
            raise _Broken(entry.id, "its link to the previous entry is broken")
        if entry.compute_hash() != entry.entry_hash:
            raise _Broken(entry.id, "its content does not match its hash")
        previous, last_id = entry.entry_hash, entry.id
        count += 1
        state["checked"] += 1
    if first is not None and (count != first.count or previous != first.head_mac):
        raise _Broken(
            last_id or None,
            f"the chain from before the HMAC chain has {count} entries ending at this one, but "
            f"the genesis checkpoint records {first.count} ending at entry {first.entry_id}: "
            "entries were removed or rewritten",
        )
    return (first.head_mac if first else GENESIS_HASH), count


def _verify_links(keys, head: str, legacy: int, checkpoints, batch_size: int, state) -> int:
    by_seq: dict[int, list[dict]] = {}
    for checkpoint in checkpoints:
        by_seq.setdefault(checkpoint["seq"], []).append(checkpoint)
    previous, expected = head, 1
    links = AuditLink.objects.select_related("entry")
    for link in _batches(links, "seq", batch_size):
        entry = link.entry
        if link.seq != expected:
            raise _Broken(
                entry.id,
                f"it is at position {link.seq} of the chain but position {expected} is next: "
                f"entries {expected} to {link.seq - 1} of the chain were removed",
            )
        _check_entry_mac(entry, keys)
        key = keys.get(link.key_id)
        if link.prev_mac != previous:
            raise _Broken(entry.id, "its link to the previous entry is broken")
        if key is None or link.compute_mac(key, entry.mac) != link.mac:
            raise _Broken(entry.id, "its link's MAC does not match (rewritten, or the wrong key)")
        for checkpoint in by_seq.get(link.seq, []):
            if checkpoint["head_mac"] != link.mac or checkpoint["count"] != legacy + link.seq:
                raise _Broken(
                    entry.id,
                    f"the checkpoint of {checkpoint['at']} records a different chain at this "
                    "position: entries up to here were rewritten since",
                )
        previous = link.mac
        expected += 1
        state["checked"] += 1
    return expected - 1


def _verify_reaches_checkpoints(checkpoints: list[dict], last_seq: int, legacy: int) -> None:
    beyond = [c for c in checkpoints if c["seq"] > last_seq]
    if beyond:
        latest = max(beyond, key=lambda c: c["seq"])
        raise _Broken(
            latest["entry_id"],
            f"the chain ends at position {last_seq} ({legacy + last_seq} entries) but the "
            f"checkpoint of {latest['at']} records position {latest['seq']} ({latest['count']} "
            f"entries, the last of them entry {latest['entry_id']}): the trail was truncated; "
            f"the first missing entry is position {last_seq + 1} of the chain",
        )


def _verify_unchained(keys, batch_size: int, state: dict) -> int:
    """Committed entries waiting to be chained: each must be signed and queued."""
    unchained = 0
    queued = AuditEntry.objects.filter(key_id__gt="", link__isnull=True)
    pending = set(AuditPending.objects.values_list("entry_id", flat=True))
    for entry in _batches(queued, "id", batch_size):
        _check_entry_mac(entry, keys)
        if entry.id not in pending:
            raise _Broken(entry.id, "it is neither in the chain nor waiting to be chained")
        unchained += 1
        state["checked"] += 1
    return unchained


def _check_entry_mac(entry: AuditEntry, keys: dict[str, bytes]) -> None:
    key = keys.get(entry.key_id)
    if key is None:
        raise _Broken(entry.id, f"it is signed with key {entry.key_id}, which is not configured")
    if entry.compute_mac(key) != entry.mac:
        raise _Broken(entry.id, "its content does not match its MAC (changed, or the wrong key)")


def _checkpoints(keys, checkpoint_file: Path | None) -> list[dict]:
    """Every tick checkpoint, from the file and the database, each with a valid signature."""
    found = []
    for row in AuditCheckpoint.objects.filter(kind=CheckpointKind.TICK):
        _check_signature(row, keys, f"the checkpoint of {row.at:%Y-%m-%d %H:%M} in the database")
        found.append(row.payload())
    for line in file_checkpoints(checkpoint_file):
        row = _from_line(line)
        _check_signature(row, keys, f"the checkpoint of {line.get('at')} in the file")
        if row.kind == CheckpointKind.TICK:
            found.append(row.payload())
    return found


def _from_line(line: dict) -> AuditCheckpoint:
    return AuditCheckpoint(
        kind=line.get("kind", ""),
        at=parse_datetime(line.get("at", "")) or timezone.now(),
        seq=int(line.get("seq", 0)),
        entry_id=line.get("entry_id"),
        head_mac=line.get("head_mac", ""),
        count=int(line.get("count", 0)),
        key_id=line.get("key_id", ""),
        signature=line.get("signature", ""),
    )


def _check_signature(checkpoint: AuditCheckpoint, keys, name: str) -> None:
    key = keys.get(checkpoint.key_id)
    if key is None or checkpoint.compute_signature(key) != checkpoint.signature:
        raise _Broken(checkpoint.entry_id, f"{name} has a bad signature (forged, or the wrong key)")


def _batches(queryset, order: str, size: int) -> Iterator:
    last = None
    while True:
        page = queryset.order_by(order)
        if last is not None:
            page = page.filter(**{f"{order}__gt": last})
        rows = list(page[:size])
        if not rows:
            return
        yield from rows
        last = getattr(rows[-1], order)


def _chain_batch(batch_size: int) -> int:
    with transaction.atomic():
        _lock_chain()
        ids = list(
            AuditPending.objects.order_by("entry_id").values_list("entry_id", flat=True)[
                :batch_size
            ]
        )
        if not ids:
            return 0
        head = AuditLink.objects.order_by("-seq").only("seq", "mac").first()
        seq, previous = (head.seq, head.mac) if head else (0, genesis_head())
        key_id, key = current_key()
        now = timezone.now()
        links = []
        for entry_id, entry_mac in (
            AuditEntry.objects.filter(id__in=ids).order_by("id").values_list("id", "mac")
        ):
            seq += 1
            link = AuditLink(
                seq=seq, entry_id=entry_id, key_id=key_id, prev_mac=previous, chained_at=now
            )
            link.mac = link.compute_mac(key, entry_mac)
            links.append(link)
            previous = link.mac
        AuditLink.objects.bulk_create(links)
        AuditPending.objects.filter(entry_id__in=ids).delete()
    return len(ids)


def _lock_chain() -> None:
    # SQLite: transactions are IMMEDIATE (settings), so the write lock is already held.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _CHAIN_LOCK_KEYS)


def _append_line(path: Path, line: str) -> None:
    """Append one line and flush it to disk: the file is only ever appended to."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
