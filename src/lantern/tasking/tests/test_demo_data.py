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


def test_the_demo_series_have_realistic_membership_which_decides_what_a_partner_sees(
    demo_borough,
):
    from lantern.accounts.access import visible
    from lantern.accounts.models import User
    from lantern.tasking.models import AgendaItem

    sizes = {s.meeting_type: s.member_agencies.count() for s in MeetingSeries.objects.all()}
    assert all(size < 9 for size in sizes.values()), sizes
    assert (
        len(set(sizes.values())) > 1
        or len(
            {
                frozenset(s.member_agencies.values_list("pk", flat=True))
                for s in MeetingSeries.objects.all()
            }
        )
        > 1
    )
    # Health is at the tasking group and MACE, not the GAP meeting; licensing only at tasking.
    nurse = User.objects.get(username="practitioner")
    licensing = User.objects.get(username="licensing")
    seen = {
        user.username: set(
            visible(user, AgendaItem.objects.all()).values_list(
                "meeting__series__meeting_type", flat=True
            )
        )
        for user in (nurse, licensing)
    }
    assert "gap" not in seen["practitioner"] and "tasking_group" in seen["practitioner"]
    assert seen["licensing"] <= {"tasking_group"} and "tasking_group" in seen["licensing"]
