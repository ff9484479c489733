"""A tasking group with a handling code C submission shared with two of its four agencies, for
the tests that its conditions hold through agendas, minutes, actions and exports."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user
from lantern.intake import services
from lantern.intake.models import Decision
from lantern.intake.tests.factories import make_submission, move_to
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType

MONDAY = date(2026, 11, 2)
CONDITIONS = "Share with CSC and Health only"
C_SUMMARY = "Pattern of older males collecting a girl from the care home."
P_SUMMARY = "Young people gathering behind the takeaway late at night."


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def conditions_world() -> SimpleNamespace:
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    csc = AgencyFactory(name="Test CSC", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    licensing = AgencyFactory(name="Test licensing", kind=AgencyKind.LICENSING)
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police, username="chair")
    analyst = make_user(Role.POLICE_INTELLIGENCE, agency=police, username="analyst")
    people = {
        agency: make_user(Role.PARTNER_PRACTITIONER, agency=agency, username=f"p{agency.pk}")
        for agency in (csc, health, licensing)
    }
    series = tasking.create_series(
        chair,
        name="Northmere tasking group",
        meeting_type=MeetingType.TASKING_GROUP,
        first_meeting_on=MONDAY,
        chair=chair,
        member_agencies=[police, csc, health, licensing],
        members=list(people.values()),
    )
    tasking.generate_meetings(chair, series, until=MONDAY)
    meeting = series.meetings.get()
    c_sub = decided(analyst, "C", C_SUMMARY, share_with=[csc, health])
    p_sub = decided(analyst, "P", P_SUMMARY, share_with=[])
    tasking.build_agenda(chair, meeting, now=at(MONDAY, 8))
    return SimpleNamespace(
        police=police,
        csc=csc,
        health=health,
        licensing=licensing,
        chair=chair,
        analyst=analyst,
        people=people,
        series=series,
        meeting=meeting,
        c_sub=c_sub,
        p_sub=p_sub,
        c_item=meeting.items.get(title__startswith=c_sub.reference),
        p_item=meeting.items.get(title__startswith=p_sub.reference),
    )


def decided(analyst, code: str, summary: str, *, share_with, reporter=None):
    """A submission graded `code` with `summary` and decided to tasking, shared as given."""
    received = at(MONDAY - timedelta(days=4))
    submission = move_to(make_submission(reporter, now=received), "assigned", analyst)
    services.grade_submission(
        analyst,
        submission,
        expected_version=submission.version,
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code=code,
        handling_conditions=CONDITIONS if code == "C" else "",
        partner_summary=summary,
        research_notes="",
        now=received,
    )
    submission.refresh_from_db()
    services.decide_submission(
        analyst,
        submission,
        expected_version=submission.version,
        decision=Decision.TASKING,
        rationale="",
        share_with=share_with,
        now=at(MONDAY - timedelta(days=3)),
    )
    submission.refresh_from_db()
    return submission
