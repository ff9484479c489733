"""The public form's rate limit: reports per client address per window, counted in the database
so that every app process behind the load balancer counts against the same number.

The client address is REMOTE_ADDR unless LANTERN_TRUSTED_PROXY_COUNT says how many proxies of
ours stand in front of the app; then it is the address those proxies saw, read from the right
of X-Forwarded-For (anything further left was written by the client and cannot be trusted).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from lantern.intake.models import RateCount

DEFAULT_RATE = (10, 3600)  # reports per address per hour from people not signed in
DEFAULT_LOOKUP_RATE = (10, 3600)  # status lookups per address per hour, right or wrong


def client_address(meta: dict) -> str:
    """The address of the client, trusting X-Forwarded-For only as far as our own proxies."""
    trusted = int(getattr(settings, "LANTERN_TRUSTED_PROXY_COUNT", 0) or 0)
    remote = meta.get("REMOTE_ADDR", "") or "unknown"
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < trusted:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return hops[-trusted]


def count_and_check(address: str, now: datetime, *, scope: str = "report") -> bool:
    """Count one report (or, with scope "status", one status lookup) from `address`; True if
    that takes it over the limit for its window."""
    if scope == "report":
        limit, window = getattr(settings, "LANTERN_INTAKE_PUBLIC_RATE", DEFAULT_RATE)
        prefix = ""
    else:
        limit, window = getattr(settings, "LANTERN_STATUS_LOOKUP_RATE", DEFAULT_LOOKUP_RATE)
        prefix = f"{scope}:"
    bucket = int(now.timestamp()) // window
    key = f"{prefix}{address}:{window}:{bucket}"[:200]
    updated = RateCount.objects.filter(key=key).update(count=F("count") + 1)
    if not updated:
        expires = datetime.fromtimestamp((bucket + 1) * window, tz=UTC) + timedelta(seconds=1)
        try:
            with transaction.atomic():
                RateCount.objects.create(key=key, count=1, expires_at=expires)
        except IntegrityError:
            # Another process made the row first: count on it.
            RateCount.objects.filter(key=key).update(count=F("count") + 1)
    return RateCount.objects.get(key=key).count > limit
