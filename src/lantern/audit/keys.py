"""The audit trail's HMAC keys, read from settings (LANTERN_AUDIT_KEY and the retired keys).

A key's id is a short fingerprint of it, stored on every entry, link and checkpoint, so a
rotated key's entries still verify while it stays listed in LANTERN_AUDIT_RETIRED_KEYS.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from lantern.core.errors import LanternError


class UnknownAuditKey(LanternError):
    """An entry was signed with a key that is neither the current key nor a retired one."""


def key_id_of(secret: str) -> str:
    return "k" + hashlib.sha256(b"lantern-audit-key-id:" + secret.encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    """(key id, key) of the key new entries are signed with."""
    secret = settings.LANTERN_AUDIT_KEY
    if not secret:
        raise UnknownAuditKey("LANTERN_AUDIT_KEY is not set: the audit trail cannot be signed.")
    return key_id_of(secret), secret.encode()


def known_keys() -> dict[str, bytes]:
    """Every key id this installation can verify, with its key."""
    secrets = [settings.LANTERN_AUDIT_KEY, *settings.LANTERN_AUDIT_RETIRED_KEYS]
    return {key_id_of(s): s.encode() for s in secrets if s}
