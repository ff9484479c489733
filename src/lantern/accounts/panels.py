"""The administrator's home panel: the accounts that need attention."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Agency, User
from lantern.accounts.roles import SECOND_FACTOR_REQUIRED


def admin_panel(request) -> dict:
    """Active users and agencies, people still to set up a second factor, locked usernames."""
    active = User.objects.filter(is_active=True)
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    locked_since = timezone.now() - settings.AXES_COOLOFF_TIME
    return {
        "active_users": active.count(),
        "active_agencies": Agency.objects.filter(is_active=True).count(),
        "awaiting_second_factor": active.filter(role_assignments__role__in=SECOND_FACTOR_REQUIRED)
        .exclude(pk__in=enrolled)
        .distinct()
        .count(),
        "locked_usernames": list(
            AccessAttempt.objects.filter(
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                attempt_time__gte=locked_since,
            ).values_list("username", flat=True)[:20]
        ),
    }
