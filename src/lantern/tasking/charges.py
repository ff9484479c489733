"""Charges: a nominal charged with an offence, so that the problem profile can measure the
time from a child's referral to a charge. Police only, like the operations register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.tasking.models import Charge
from lantern.tasking.services import TaskingRefused


def record_charge(
    actor: Any,
    *,
    nominal,
    charged_on: date,
    offence: str,
    now: datetime,
    operation=None,
    child=None,
) -> Charge:
    """Record that a nominal was charged. Refuses a charge date after today (by `now`), a
    missing nominal and an empty offence; the record is audited in the same transaction."""
    if nominal is None:
        raise TaskingRefused("Choose the nominal who was charged")
    if charged_on > timezone.localdate(now):
        raise TaskingRefused("The charge date must be today or in the past")
    if not offence.strip():
        raise TaskingRefused("Enter the offence")
    recorder = getattr(actor, "user", actor)
    with transaction.atomic():
        charge = Charge.objects.create(
            nominal=nominal,
            operation=operation,
            child=child,
            charged_on=charged_on,
            offence=offence.strip(),
            recorded_by=recorder,
            recorded_at=now,
        )
        record_change(actor, charge, AuditAction.CREATE)
    return charge
