"""The computed measures the foundation can answer today (Leadership: the partnership itself).

They prove the registry: other apps register theirs the same way from their own AppConfig.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.access import Cap, has_capability, visible
from lantern.accounts.models import Agency, User
from lantern.performance.registry import ComputedMeasure, register

SECTION = "Partnership in Lantern"


def register_foundation_measures() -> None:
    register(
        ComputedMeasure(
            code="leadership-agencies-active",
            name="Partner agencies using Lantern (as at end of period)",
            priority="leadership",
            section=SECTION,
            unit="count",
            timing="snapshot",
            polarity="up",
            definition=(
                "Partner agencies added to Lantern by the end of the period and not archived."
            ),
            compute=agencies_active,
            drilldown=agencies_active_records,
            order=10,
        )
    )
    register(
        ComputedMeasure(
            code="leadership-staff-accounts",
            name="Staff accounts (as at end of period)",
            priority="leadership",
            section=SECTION,
            unit="count",
            timing="snapshot",
            polarity="neither",
            definition="People with an active Lantern account who joined by the end of the period.",
            compute=staff_accounts,
            compute_many=staff_accounts_many,
            drilldown=staff_account_records,
            order=20,
        )
    )
    register(
        ComputedMeasure(
            code="leadership-second-factor",
            name="Staff accounts protected by a second factor (%)",
            priority="leadership",
            section=SECTION,
            unit="percentage",
            timing="snapshot",
            polarity="up",
            definition=(
                "Of the active staff accounts at the end of the period, the share that had "
                "confirmed an authenticator app by then."
            ),
            compute=second_factor_share,
            compute_many=second_factor_share_many,
            order=30,
        )
    )


def agencies_active(period) -> int:
    return _agencies(period).count()


def staff_accounts(period) -> int:
    return _staff(period).count()


def second_factor_share(period) -> Decimal | None:
    total = _staff(period).count()
    if not total:
        return None
    ends = _end_of(period)
    with_app = TOTPDevice.objects.filter(confirmed=True, created_at__lt=ends).values("user_id")
    return _share(_staff(period).filter(pk__in=with_app).count(), total)


def staff_accounts_many(periods) -> dict:
    """Staff accounts at the end of each period, counted in one pass over the accounts."""
    counts = User.objects.filter(is_active=True).aggregate(
        **{
            f"p{i}": Count("pk", filter=Q(date_joined__lt=_end_of(p)))
            for i, p in enumerate(periods)
        }
    )
    return {p: counts[f"p{i}"] for i, p in enumerate(periods)}


def second_factor_share_many(periods) -> dict:
    """The second-factor share at the end of each period, in one query: each active account's
    joining date and first confirmed app, grouped once, then counted per period."""
    per_account = (
        TOTPDevice.objects.filter(confirmed=True, user__is_active=True)
        .values("user_id")
        .annotate(first=Min("created_at"), joined=Max("user__date_joined"))
    )
    protected = per_account.aggregate(
        **{
            f"p{i}": Count("user_id", filter=Q(first__lt=_end_of(p), joined__lt=_end_of(p)))
            for i, p in enumerate(periods)
        }
    )
    staff = staff_accounts_many(periods)
    return {p: _share(protected[f"p{i}"], staff[p]) for i, p in enumerate(periods)}


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def agencies_active_records(user, period):
    if not has_capability(user, Cap.MANAGE_AGENCIES):
        return None
    return visible(user, _agencies(period))


def staff_account_records(user, period):
    if not has_capability(user, Cap.MANAGE_USERS):
        return None
    return visible(user, _staff(period))


def _agencies(period):
    return Agency.objects.filter(is_active=True, created_at__lt=_end_of(period))


def _staff(period):
    return User.objects.filter(is_active=True, date_joined__lt=_end_of(period))


def _end_of(period) -> datetime:
    """The first moment after the period, in the partnership's time zone: a plain comparison
    the database can answer from an index, where `__date` would convert every row."""
    return timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
