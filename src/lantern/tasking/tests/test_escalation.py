"""Escalation along the route, one level per interval, with a clock the test controls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from lantern.audit.models import AuditEntry
from lantern.core import periodic
from lantern.tasking import services
from lantern.tasking.escalation import run_tick
from lantern.tasking.models import Action, EscalationRoute, EscalationStep, Notification
from lantern.tasking.tests.factories import MONDAY, an_action, at, tasking_world

pytestmark = pytest.mark.django_db

DUE = MONDAY + timedelta(days=7)


@pytest.fixture
def world():
    EscalationRoute.objects.update_or_create(
        meeting_type="tasking_group", defaults={"interval_days": 7, "reminder_days_before": 2}
    )
    return tasking_world()


def levels(action):
    return list(action.escalations.values_list("level", "notified__username"))


def test_an_action_on_time_does_not_escalate(world):
    action = an_action(world, due_on=DUE)

    run_tick(at(DUE, 17))

    assert levels(action) == []


def test_the_day_after_the_due_date_the_owner_is_told(world):
    action = an_action(world, due_on=DUE)

    run_tick(at(DUE + timedelta(days=1)))

    assert levels(action) == [(1, world.nurse.username)]
    assert Action.objects.with_escalation_level().get(pk=action.pk).escalation_level == 1


def test_one_interval_later_the_owners_manager_then_the_chair(world):
    action = an_action(world, due_on=DUE)

    run_tick(at(DUE + timedelta(days=1)))
    run_tick(at(DUE + timedelta(days=7)))
    assert [lvl for lvl, _ in levels(action)] == [1]
    run_tick(at(DUE + timedelta(days=8)))
    run_tick(at(DUE + timedelta(days=15)))

    assert levels(action) == [
        (1, world.nurse.username),
        (2, world.nurse_manager.username),
        (3, world.chair.username),
    ]


def test_an_owner_without_a_manager_escalates_to_the_chair_at_level_two(world):
    action = an_action(world, owner=world.social_worker, due_on=DUE)

    run_tick(at(DUE + timedelta(days=8)))

    assert levels(action)[1] == (2, world.chair.username)


def test_running_the_tick_twice_doubles_nothing(world):
    action = an_action(world, due_on=DUE)
    later = at(DUE + timedelta(days=20))

    run_tick(later)
    counts = (EscalationStep.objects.count(), Notification.objects.count(), len(mail.outbox))
    audit = AuditEntry.objects.count()
    summary = run_tick(later)

    assert (
        EscalationStep.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
    ) == counts
    assert AuditEntry.objects.count() == audit
    assert summary.startswith("0 escalation steps")
    assert action.escalations.count() == 3


def test_a_completed_action_stops_escalating(world):
    action = an_action(world, due_on=DUE)
    run_tick(at(DUE + timedelta(days=1)))
    services.complete_action(
        world.nurse,
        action,
        expected_version=action.version,
        result="Done late",
        now=at(DUE + timedelta(days=2)),
    )

    run_tick(at(DUE + timedelta(days=30)))

    assert [lvl for lvl, _ in levels(action)] == [1]


def test_each_step_notifies_in_the_app_by_email_and_in_the_audit_trail(world):
    action = an_action(world, due_on=DUE)

    run_tick(at(DUE + timedelta(days=1)))

    note = Notification.objects.get(recipient=world.nurse, message__contains="escalated")
    assert note.action == action
    assert mail.outbox[0].to == [world.nurse.email]
    entry = AuditEntry.objects.filter(object_repr__contains="escalated to level 1").get()
    assert entry.details["action_ids"] == [action.pk]


def test_owners_are_reminded_once_before_the_due_date(world):
    an_action(world, due_on=DUE)

    run_tick(at(DUE - timedelta(days=3)))
    assert Notification.objects.count() == 0
    run_tick(at(DUE - timedelta(days=2)))
    run_tick(at(DUE - timedelta(days=1)))

    assert Notification.objects.filter(message__startswith="Reminder").count() == 1


def test_the_interval_is_configured_per_meeting_type(world):
    EscalationRoute.objects.filter(meeting_type="tasking_group").update(interval_days=2)
    action = an_action(world, due_on=DUE)

    run_tick(at(DUE + timedelta(days=3)))

    assert [lvl for lvl, _ in levels(action)] == [1, 2]


def test_the_job_is_registered_with_lantern_tick(world):
    names = [job.name for job in periodic.jobs()]

    assert "tasking escalations and reminders" in names


def test_a_person_gets_one_notification_however_many_actions_reach_them(world):
    for _ in range(3):
        an_action(world, due_on=DUE)

    run_tick(at(DUE + timedelta(days=1)))

    note = Notification.objects.get(recipient=world.nurse, message__contains="escalated")
    assert note.message == "3 overdue actions have been escalated to you"
    assert len(mail.outbox) == 1
    assert EscalationStep.objects.filter(notified=world.nurse).count() == 3


def test_lantern_tick_escalates_as_at_the_time_it_is_given(world, capsys):
    from django.core.management import call_command

    action = an_action(world, due_on=DUE)

    call_command("tick", now=(DUE + timedelta(days=8)).isoformat() + "T09:00")

    assert "tasking escalations and reminders: 2 escalation steps" in capsys.readouterr().out
    assert [lvl for lvl, _ in levels(action)] == [1, 2]
