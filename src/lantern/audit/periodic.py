"""The audit trail's part of `lantern tick`: chain what waits, then sign a checkpoint."""

from __future__ import annotations

from datetime import datetime

from lantern.audit.chain import checkpoint_path, write_checkpoint


def audit_checkpoint(now: datetime) -> str:
    """Chain entries a dead process left unchained and append a signed checkpoint to the file;
    nothing if the chain has not moved since the last one."""
    written = write_checkpoint()
    if written is None:
        return "no new entries since the last checkpoint"
    return f"checkpoint at position {written.seq} ({written.count} entries) in {checkpoint_path()}"
