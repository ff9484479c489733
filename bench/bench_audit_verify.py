"""`lantern audit verify` over a large trail: time and memory (issue 22).

Writes BENCH_AUDIT_ENTRIES signed, chained entries (default 1,000,000) straight into the
tables (signed with the real key, exactly as `record` and `chain_pending` sign them, but in
bulk: generating them through `record` one by one would take hours here), writes a checkpoint,
then times `verify_chain` and samples the process's resident memory while it runs. Ten million
is extrapolated from the figure measured (verify is one pass in fixed-size batches, so time
grows linearly and memory stays flat); say so when quoting it.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import psutil
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from bench import common
from lantern.audit.chain import genesis_head, verify_chain, write_checkpoint
from lantern.audit.keys import current_key
from lantern.audit.models import AuditEntry, AuditLink

ENTRIES = int(os.environ.get("BENCH_AUDIT_ENTRIES", "1000000"))
BATCH = 10_000


def run() -> None:
    # A checkpoint file of its own: one left by an earlier run describes another chain.
    folder = tempfile.mkdtemp(prefix="lantern-bench-checkpoints-")
    with override_settings(LANTERN_AUDIT_CHECKPOINT_DIR=Path(folder)):
        _measure()


def _measure() -> None:
    started = time.perf_counter()
    _generate(ENTRIES)
    generated_s = time.perf_counter() - started
    write_checkpoint()
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    report = verify_chain()
    verify_s = time.perf_counter() - started
    done.set()
    sampler.join()
    assert report.ok, report.problem
    per_million = verify_s / (report.entries_checked / 1_000_000)
    figures = {
        "entries_checked": report.entries_checked,
        "verify_seconds": round(verify_s, 1),
        "entries_per_second": round(report.entries_checked / verify_s),
        "rss_before_mib": round(baseline / 2**20, 1),
        "rss_peak_during_verify_mib": round(peak[0] / 2**20, 1),
        "rss_growth_mib": round((peak[0] - baseline) / 2**20, 1),
        "extrapolated_10m_verify_minutes": round(per_million * 10 / 60, 1),
        "extrapolated_10m_note": "measured at the size above, extrapolated linearly, not run",
        "generate_seconds": round(generated_s, 1),
    }
    common.write("audit-verify", figures, {"audit_entries": report.entries_checked})


def _generate(count: int) -> None:
    key_id, key = current_key()
    head = AuditLink.objects.order_by("-seq").first()
    seq, previous = (head.seq, head.mac) if head else (0, genesis_head())
    now = timezone.now()
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        entries = []
        for i in range(start, start + size):
            entry = AuditEntry(
                at=now,
                actor=None,
                actor_label="bench reader",
                action="read",
                object_type="children.child",
                object_id=str(i % 50_000),
                object_repr=f"Child CH-B{i % 50_000:05d}",
                path=f"/children/{i % 50_000}/",
                details={},
                key_id=key_id,
            )
            entry.mac = entry.compute_mac(key)
            entries.append(entry)
        with transaction.atomic():
            AuditEntry.objects.bulk_create(entries, batch_size=2000)
            links = []
            for entry in entries:
                seq += 1
                link = AuditLink(
                    seq=seq, entry_id=entry.id, key_id=key_id, prev_mac=previous, chained_at=now
                )
                link.mac = link.compute_mac(key, entry.mac)
                previous = link.mac
                links.append(link)
            AuditLink.objects.bulk_create(links, batch_size=2000)
