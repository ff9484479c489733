"""A submission decided to tasking reaches the tasking agenda, and its actions reach its trace."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user
from lantern.intake.models import TraceKind
from lantern.intake.tests.factories import make_submission, move_to
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_a_submission_decided_to_tasking_is_actioned_and_its_trace_shows_it():
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    licensing = AgencyFactory(name="Test licensing", kind=AgencyKind.LICENSING)
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police)
    officer = make_user(Role.POLICE_INTELLIGENCE, agency=police)
    licensing_officer = make_user(Role.PARTNER_PRACTITIONER, agency=licensing)
    series = tasking.create_series(
        chair,
        name="Northmere tasking group",
        meeting_type=MeetingType.TASKING_GROUP,
        first_meeting_on=MONDAY,
        chair=chair,
        member_agencies=[police, licensing],
    )
    tasking.generate_meetings(chair, series, until=MONDAY)
    meeting = series.meetings.get()
    to_tasking = move_to(
        make_submission(now=at(MONDAY - timedelta(days=4))),
        "decided",
        officer,
        now=at(MONDAY - timedelta(days=3)),
    )
    recorded = move_to(
        make_submission(now=at(MONDAY - timedelta(days=4))),
        "decided",
        officer,
        now=at(MONDAY - timedelta(days=3)),
        decision="record_only",
    )

    tasking.build_agenda(chair, meeting, now=at(MONDAY, 8))

    item = meeting.items.get(title__startswith=to_tasking.reference)
    assert not meeting.items.filter(title__startswith=recorded.reference).exists()
    assert item.partner_summary == "Concern about young people at a location."
    action = tasking.create_action(
        chair,
        title="Check the taxi firm's licence records",
        owning_agency=licensing,
        owner=licensing_officer,
        due_on=MONDAY + timedelta(days=7),
        now=at(MONDAY, 10),
        route=MeetingType.TASKING_GROUP,
        origin=item,
        meeting=meeting,
    )
    tasking.complete_action(
        licensing_officer,
        action,
        expected_version=action.version,
        result="Two drivers' badges suspended",
        now=at(MONDAY + timedelta(1)),
    )

    actions_on_trace = list(
        to_tasking.trace.filter(kind=TraceKind.ACTION)
        .order_by("at")
        .values_list("summary", flat=True)
    )
    assert len(actions_on_trace) == 2
    assert "Check the taxi firm's licence records" in actions_on_trace[0]
    assert "Two drivers' badges suspended" in actions_on_trace[1]
