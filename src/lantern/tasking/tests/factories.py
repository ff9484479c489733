"""Tasking test data: a police-chaired tasking group with police, social care and health."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user
from lantern.tasking import disruption, services
from lantern.tasking.models import MeetingType

MONDAY = date(2026, 11, 2)


def at(day: date, hour: int = 9) -> datetime:
    """An aware date-time on `day`, the clock tests pass to services."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def tasking_world(meeting_type: str = MeetingType.TASKING_GROUP) -> SimpleNamespace:
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    social_care = AgencyFactory(name="Test social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    unrelated = AgencyFactory(name="Unrelated housing", kind=AgencyKind.HOUSING)
    licensing = AgencyFactory(name="Test licensing", kind=AgencyKind.LICENSING)
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police)
    analyst = make_user(Role.POLICE_INTELLIGENCE, agency=police, manager=chair)
    nurse_manager = make_user(Role.PARTNER_PRACTITIONER, agency=health)
    nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health, manager=nurse_manager)
    social_worker = make_user(Role.CSE_SOCIAL_WORKER, agency=social_care)
    outsider = make_user(Role.PARTNER_PRACTITIONER, agency=unrelated)
    licensing_officer = make_user(Role.PARTNER_PRACTITIONER, agency=licensing)
    series = services.create_series(
        chair,
        name=f"Northmere {meeting_type} group",
        meeting_type=meeting_type,
        first_meeting_on=MONDAY,
        chair=chair,
        member_agencies=[police, social_care, health, licensing],
    )
    services.generate_meetings(chair, series, until=MONDAY + timedelta(days=28))
    meetings = list(series.meetings.order_by("held_on"))
    return SimpleNamespace(**locals())


def an_action(world, *, owner=None, due_on=None, now=None, meeting=None, **kwargs):
    owner = owner or world.nurse
    meeting = meeting or world.meetings[0]
    return services.create_action(
        world.chair,
        title=kwargs.pop("title", "Check the sexual health clinic's records"),
        owning_agency=owner.agency,
        owner=owner,
        due_on=due_on or MONDAY + timedelta(days=7),
        now=now or at(MONDAY),
        route=meeting.series.meeting_type,
        meeting=meeting,
        escalation_contact=world.chair,
        **kwargs,
    )


def a_plan(world, now=None):
    disruption.ensure_default_tactics()
    return disruption.create_plan(
        world.analyst,
        subject_kind="location",
        subject_description="Flat above the Larkfield takeaway",
        aim="Stop the flat being used to meet children",
        review_on=MONDAY + timedelta(days=28),
        lead=world.chair,
        now=now or at(MONDAY),
    )
