"""The demo borough's tasking data: meetings with a history, overdue and escalated actions."""

from __future__ import annotations

import pytest

from lantern.tasking.models import (
    Action,
    DisruptionPlan,
    EscalationStep,
    MeetingSeries,
    MeetingStatus,
    Operation,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_meetings_actions_escalations_plans_and_operations(demo_borough):

    assert MeetingSeries.objects.count() == 4
    assert MeetingSeries.objects.get(meeting_type="mace").item_limit == 3
    assert (
        MeetingSeries.objects.get(name__contains="Tasking")
        .meetings.filter(status=MeetingStatus.HELD)
        .count()
        >= 10
    )
    assert Action.objects.filter(status="completed").exists()
    assert Action.objects.filter(status="open", escalations__isnull=False).exists()
    assert EscalationStep.objects.filter(level=2).exists()
    assert Action.objects.filter(owner__username="practitioner").exists()
    assert DisruptionPlan.objects.count() == 5
    assert Operation.objects.count() == 4
