"""Overdue actions are flagged, and their leads reminded once per due month by `lantern tick`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from lantern.accounts.roles import Role
from lantern.core.periodic import run_all
from lantern.core.testing import make_user
from lantern.plans import services
from lantern.plans.models import DeliveryAction, OverdueReminder
from lantern.plans.tests.plan_data import build_plan

pytestmark = pytest.mark.django_db


def test_an_action_is_overdue_only_after_its_due_month_ends():
    action = DeliveryAction(due=date(2026, 3, 1), brag="green")

    assert not action.is_overdue(date(2026, 3, 31))
    assert action.is_overdue(date(2026, 4, 1))


def test_a_blue_action_or_one_without_a_due_month_is_never_overdue():
    assert not DeliveryAction(due=date(2020, 1, 1), brag="blue").is_overdue(date(2026, 1, 1))
    assert not DeliveryAction(due=None, brag="red").is_overdue(date(2026, 1, 1))


def test_overdue_actions_are_found_in_the_query():
    plan = build_plan()

    overdue = services.overdue_actions(services.live_actions(plan.strategy), date(2026, 4, 1))

    assert list(overdue) == [plan.campaign]


def test_the_lead_is_reminded_once_per_due_month():
    user = make_user(Role.PARTNER_PRACTITIONER, email="robin@northmere.example")
    plan = build_plan(lead_user=user)
    now = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)

    first = services.send_overdue_reminders(now)
    second = services.send_overdue_reminders(now)

    assert first.startswith("1 overdue reminder sent")
    assert second.startswith("0 overdue reminders sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["robin@northmere.example"]
    assert "Run an awareness campaign" in mail.outbox[0].body
    assert OverdueReminder.objects.get().action == plan.campaign


def test_a_new_due_month_earns_a_new_reminder():
    plan = build_plan()
    plan.campaign.lead.email = "robin@northmere.example"
    plan.campaign.lead.save()
    services.send_overdue_reminders(datetime(2026, 4, 2, tzinfo=UTC))
    action = plan.campaign
    services.update_action(
        "manager",
        action,
        expected_version=action.version,
        objective=action.objective,
        text=action.text,
        lead=action.lead,
        due=date(2026, 6, 1),
    )

    services.send_overdue_reminders(datetime(2026, 7, 2, tzinfo=UTC))

    assert len(mail.outbox) == 2
    assert OverdueReminder.objects.count() == 2


def test_a_lead_without_an_address_is_skipped_and_counted():
    build_plan()  # the overdue campaign's lead has no account and no email

    summary = services.send_overdue_reminders(datetime(2026, 4, 2, tzinfo=UTC))

    assert summary == "0 overdue reminders sent, 1 without an address"
    assert mail.outbox == []


def test_the_reminder_job_runs_from_lantern_tick():
    plan = build_plan()
    plan.lead.email = "robin@northmere.example"
    plan.lead.save()

    results = dict(run_all(datetime(2026, 4, 2, tzinfo=UTC)))

    assert results["plans: overdue action reminders"].startswith("1 overdue reminder sent")


def test_lantern_tick_with_a_naive_time_reminds_as_at_local_time(capsys):
    from django.core.management import call_command

    plan = build_plan()
    plan.lead.email = "robin@northmere.example"
    plan.lead.save()

    call_command("tick", now="2026-04-02T09:00")

    assert "plans: overdue action reminders: 1 overdue reminder sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1
