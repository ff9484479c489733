"""Escalation and reminders for open actions, run by `lantern tick`.

Set-based: each level of each route is one INSERT ... SELECT into EscalationStep, whose unique
(action, level) constraint makes a second run add nothing. An action reaches level L of its
route when it is overdue by more than (L - 1) x the route's interval:

    level 1  the owner                          the day after the due date
    level 2  the owner's manager                one interval later
    level 3  the chair or police supervisor     two intervals later

Completed and cancelled actions are never selected, so they stop escalating.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from lantern.accounts.models import User
from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.tasking.models import (
    Action,
    EscalationRoute,
    EscalationStep,
    MeetingType,
    Notification,
)

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL_DAYS = 7
DEFAULT_REMINDER_DAYS = 2
REMINDER_MESSAGE = "Reminder: an action you own is due in the next few days"

# Whom each level notifies, as SQL over the action (a) and its owner (u).
_NOTIFIED = {
    1: "a.owner_id",
    2: "COALESCE(u.manager_id, a.escalation_contact_id, a.owner_id)",
    3: "COALESCE(a.escalation_contact_id, u.manager_id, a.owner_id)",
}


def run_tick(now: datetime) -> str:
    """Escalate overdue actions and remind owners of actions nearly due, as at `now`.

    Idempotent: steps are unique per action and level, reminders are marked as sent.
    Returns a one-line summary for `lantern tick`.
    """
    if timezone.is_naive(now):  # `lantern tick --now 2026-11-30T09:00` is local time
        now = timezone.make_aware(now)
    today = timezone.localdate(now)
    tick = uuid.uuid4().hex  # marks the steps this run takes, so only they are notified
    with transaction.atomic():
        reminders = _remind(now, today)
        per_level = _escalate(now, today, tick)
        emails = _notify_new_steps(now, tick) if sum(per_level.values()) else 0
    levels = ", ".join(f"level {lvl}: {n}" for lvl, n in sorted(per_level.items()) if n)
    return (
        f"{sum(per_level.values())} escalation steps ({levels or 'none'}), "
        f"{reminders} reminders, {emails} emails"
    )


def routes() -> dict[str, tuple[int, int]]:
    """(interval days, reminder days) for every route, defaults where none is configured."""
    found = {
        r.meeting_type: (r.interval_days, r.reminder_days_before)
        for r in EscalationRoute.objects.all()
    }
    return {
        value: found.get(value, (DEFAULT_INTERVAL_DAYS, DEFAULT_REMINDER_DAYS))
        for value in MeetingType.values
    }


def _escalate(now: datetime, today, tick: str) -> dict[int, int]:
    action_table = Action._meta.db_table
    step_table = EscalationStep._meta.db_table
    user_table = User._meta.db_table
    ops = connection.ops
    per_level: Counter[int] = Counter()
    for route, (interval, _) in routes().items():
        for level in sorted(_NOTIFIED):
            cutoff = today - timedelta(days=(level - 1) * interval)
            params = [level, ops.adapt_datetimefield_value(now), tick, route]
            params += [ops.adapt_datefield_value(cutoff), level]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""INSERT INTO {step_table} (action_id, level, at, tick, notified_id)
                    SELECT a.id, %s, %s, %s, {_NOTIFIED[level]}
                    FROM {action_table} a JOIN {user_table} u ON u.id = a.owner_id
                    WHERE a.status = 'open' AND a.route = %s AND a.due_on < %s
                      AND NOT EXISTS (SELECT 1 FROM {step_table} s
                                      WHERE s.action_id = a.id AND s.level = %s)
                    ON CONFLICT (action_id, level) DO NOTHING""",  # noqa: S608 - names from _meta
                    params,
                )
                per_level[level] += max(cursor.rowcount, 0)
    return dict(per_level)


def _remind(now: datetime, today) -> int:
    """One in-app reminder per open action nearly due; `reminded_at` makes it once only.

    The actions are claimed (row locks) before anyone is reminded, so a second tick that
    overlaps this one waits for it, then finds them reminded and sends nothing again."""
    sent = 0
    for route, (_, days) in routes().items():
        due = Action.objects.filter(
            status="open",
            route=route,
            reminded_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=days),
        )
        claimed = list(due.select_for_update().values_list("id", "owner_id"))
        if not claimed:
            continue
        Action.objects.filter(id__in=[a for a, _ in claimed]).update(reminded_at=now)
        Notification.objects.bulk_create(
            Notification(recipient_id=owner, action_id=action, message=REMINDER_MESSAGE, at=now)
            for action, owner in claimed
        )
        sent += len(claimed)
    return sent


def _notify_new_steps(now: datetime, tick: str) -> int:
    """For the steps this tick took: one audit entry per level listing the actions, and one
    in-app notification and one email per person told (however many actions reached them)."""
    rows = list(EscalationStep.objects.filter(tick=tick).values_list("action_id", "level"))
    if not rows:
        return 0
    for level in sorted({r[1] for r in rows}):
        ids = [action for action, lvl in rows if lvl == level]
        record(
            actor="lantern tick",
            action=AuditAction.UPDATE,
            object_type="tasking.action",
            object_repr=f"{len(ids)} overdue actions escalated to level {level}",
            details={"escalation_level": level, "action_ids": ids},
        )
    new = EscalationStep.objects.filter(tick=tick, notified__isnull=False)
    per_person = new.values("notified_id").annotate(n=Count("pk"), one=Min("action_id"))
    Notification.objects.bulk_create(
        Notification(
            recipient_id=row["notified_id"],
            action_id=row["one"] if row["n"] == 1 else None,
            message=(
                "An overdue action has been escalated to you"
                if row["n"] == 1
                else f"{row['n']} overdue actions have been escalated to you"
            ),
            at=now,
        )
        for row in per_person
    )
    return _emails(Counter({row["notified_id"]: row["n"] for row in per_person}))


def _emails(counts: Counter) -> int:
    people = User.objects.filter(pk__in=counts.keys(), is_active=True).exclude(email="")
    messages = [
        (
            "Lantern: overdue actions need your attention",
            f"{counts[person.pk]} overdue action(s) have been escalated to you. "
            "Sign in to Lantern and open 'Actions' to see them.",
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
        for person in people.only("pk", "email")
    ]
    if not messages:
        return 0
    try:
        return send_mass_mail(messages)
    except (OSError, smtplib.SMTPException):
        # The in-app notifications are saved either way; a mail outage must not stop escalation.
        logger.exception("Could not send escalation emails")
        return 0
