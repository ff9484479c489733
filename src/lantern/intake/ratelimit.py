"""The public form's rate limits: reports sent and reports started (drafts) per client address,
or per account for people signed in with a public account, per window. Counted in the
database so that every app process behind the load balancer counts against the same number.
Partners and staff are not limited.

The client address is REMOTE_ADDR unless LANTERN_TRUSTED_PROXY_COUNT says how many proxies of
ours stand in front of the app; then it is the address those proxies saw, read from the right
of X-Forwarded-For (anything further left was written by the client and cannot be trusted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from lantern.intake.models import RateCount


def client_address(meta: dict) -> str:
    """The address of the client, trusting X-Forwarded-For only as far as our own proxies."""
    trusted = settings.LANTERN_TRUSTED_PROXY_COUNT
    remote = meta.get("REMOTE_ADDR", "") or "unknown"
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < trusted:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote
    return hops[-trusted]


@dataclass(frozen=True)
class RateCheck:
    """One counted request: whether it went over the limit, and when the window ends."""

    over: bool
    retry_at: datetime


def _window(subject: str, now: datetime, kind: str, setting: str):
    limit, window = getattr(settings, setting)
    bucket = int(now.timestamp()) // window
    key = f"{kind}:{subject}:{window}:{bucket}"[:200]
    return limit, key, datetime.fromtimestamp((bucket + 1) * window, tz=UTC)


def would_exceed(
    subject: str,
    now: datetime,
    *,
    kind: str = "report",
    setting: str = "LANTERN_INTAKE_PUBLIC_RATE",
) -> RateCheck:
    """Whether one more `kind` from `subject` would go over the limit, counting nothing: asked
    when a report is started, so nobody writes a whole report only to be refused at "Send"."""
    limit, key, window_ends = _window(subject, now, kind, setting)
    count = RateCount.objects.filter(key=key).values_list("count", flat=True).first() or 0
    return RateCheck(over=count >= limit, retry_at=window_ends)


def count_and_check(
    subject: str,
    now: datetime,
    *,
    kind: str = "report",
    setting: str = "LANTERN_INTAKE_PUBLIC_RATE",
) -> RateCheck:
    """Count one `kind` (a report sent, a draft started, a status lookup) from `subject` (a
    client address or a public account); say whether that takes it over the limit (the rate
    `setting` of settings.py: count, seconds) for its window, and when the window ends."""
    limit, key, window_ends = _window(subject, now, kind, setting)
    updated = RateCount.objects.filter(key=key).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCount.objects.create(
                    key=key, count=1, expires_at=window_ends + timedelta(seconds=1)
                )
        except IntegrityError:
            # Another process made the row first: count on it.
            RateCount.objects.filter(key=key).update(count=F("count") + 1)
    return RateCheck(over=RateCount.objects.get(key=key).count > limit, retry_at=window_ends)
