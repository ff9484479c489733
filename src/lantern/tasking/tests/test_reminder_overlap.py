"""Two `lantern tick` runs that overlap send each reminder once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction  # noqa: F401 - skipif reads it
from django.utils import timezone

from lantern.tasking.escalation import _remind
from lantern.tasking.models import EscalationRoute, Notification
from lantern.tasking.tests.factories import MONDAY, an_action, at, tasking_world

DUE = MONDAY + timedelta(days=7)


@pytest.fixture
def world():
    EscalationRoute.objects.update_or_create(
        meeting_type="tasking_group", defaults={"interval_days": 7, "reminder_days_before": 2}
    )
    return tasking_world()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two connections at once")
@pytest.mark.django_db(transaction=True)
def test_a_tick_overlapping_another_sends_no_second_reminder(world):
    an_action(world, due_on=DUE)
    an_action(world, due_on=DUE)
    now = at(DUE - timedelta(days=1))
    today = timezone.localdate(now)
    second: dict = {}

    def second_tick() -> None:
        try:
            with transaction.atomic():
                second["sent"] = _remind(now, today)
        finally:
            connections.close_all()

    with transaction.atomic():
        assert _remind(now, today) == 2
        other = threading.Thread(target=second_tick)
        other.start()
        _wait_until_waiting_on_a_lock()
    other.join(timeout=30)

    assert second["sent"] == 0
    assert Notification.objects.filter(message__startswith="Reminder").count() == 2


def _wait_until_waiting_on_a_lock() -> None:
    """Until another session of this database waits on a lock (the second tick on ours)."""
    deadline = time.monotonic() + 20
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second tick never waited on the first")
