"""The measures the performance framework reads, each counted from the records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lantern.children import measures
from lantern.children.models import Episode, Gender, ReturnInterview
from lantern.children.tests import factories as f

pytestmark = pytest.mark.django_db

Q2 = (date(2014, 7, 1), date(2014, 9, 30))


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_open_cases_boys_and_co_worked_count_at_the_end_of_the_period():
    girl = f.make_child(open_episode=False)
    boy = f.make_child(gender=Gender.MALE, open_episode=False)
    supported = f.make_child(open_episode=False)
    closed_in_time = f.make_child(open_episode=False)
    for child, role, closed in [
        (girl, "lead", None),
        (boy, "lead", date(2014, 10, 15)),  # still open on 30 September
        (supported, "support", None),
        (closed_in_time, "lead", date(2014, 9, 1)),
    ]:
        Episode.objects.create(
            child=child,
            opened_on=date(2014, 5, 1),
            cse_role=role,
            closed_on=closed,
            opened_by=child.created_by,
        )
    assert measures.cases_open_to_cse_team(*Q2) == 2
    assert measures.cases_open_to_cse_team_boys(*Q2) == 1
    assert measures.cases_co_worked(*Q2) == 1


def test_contacts_count_once_each_but_children_once_each_too():
    child, other = f.make_child(), f.make_child()
    f.make_contact(child, received_on=date(2014, 7, 2))
    f.make_contact(child, received_on=date(2014, 8, 2))
    f.make_contact(other, received_on=date(2014, 8, 3))
    f.make_contact(other, received_on=date(2014, 8, 4), about_cse=False)
    f.make_contact(other, received_on=date(2014, 10, 4))
    assert measures.cse_contacts(*Q2) == 3
    assert measures.children_in_cse_contacts(*Q2) == 2


def test_referrals_and_completed_assessments_are_counted_in_their_period():
    child = f.make_child()
    f.make_referral(child, referred_on=date(2014, 7, 10), completed_on=date(2014, 9, 1))
    f.make_referral(child, referred_on=date(2014, 9, 10), completed_on=date(2014, 10, 1))
    assert measures.contacts_leading_to_referral(*Q2) == 2
    assert measures.children_referred(*Q2) == 1
    assert measures.assessments_completed(*Q2) == 1


def open_since_may() -> object:
    child = f.make_child(open_episode=False)
    Episode.objects.create(
        child=child, opened_on=date(2014, 5, 1), cse_role="lead", opened_by=child.created_by
    )
    return child


def test_high_risk_children_use_the_level_as_it_stood_at_the_end_of_the_period():
    rising = open_since_may()
    f.make_assessment(rising, level="medium", on=date(2014, 7, 1))
    f.make_mace(rising, held_on=date(2014, 8, 1), level="high")
    later = open_since_may()
    f.make_assessment(later, level="high", on=date(2014, 10, 2))
    lowered = open_since_may()
    f.make_assessment(lowered, level="high", on=date(2014, 7, 1))
    assessment = f.make_assessment(lowered, level="high", on=date(2014, 9, 1))
    assessment.override_level = "low"
    assessment.override_rationale = "Moved away from the area"
    assessment.override_status = "approved"
    assessment.save()
    pending = f.make_assessment(open_since_may(), level="high", on=date(2014, 9, 1))
    pending.override_level = "low"
    pending.override_rationale = "Waiting for the chair"
    pending.override_status = "pending"
    pending.save()
    # The pending override does not count yet: that child is still high.
    assert measures.high_risk_children(*Q2) == 2
    assert measures.risk_assessments_completed(*Q2) == 4


def test_missing_incidents_and_distinct_children_and_return_interviews():
    child, other = f.make_child(), f.make_child()
    for day in (date(2014, 7, 5), date(2014, 8, 5), date(2014, 9, 5)):
        f.make_missing(child, reported_at=at(day), found_at=at(day, 18))
    episode = f.make_missing(
        other, reported_at=at(date(2014, 9, 30), 23), found_at=at(date(2014, 10, 1))
    )
    f.make_missing(other, reported_at=at(date(2014, 10, 2)))
    ReturnInterview.objects.create(
        episode=episode,
        offered_at=episode.found_at,
        held_at=episode.found_at + timedelta(hours=5),
        outcome="done",
        recorded_by=other.created_by,
    )
    assert measures.missing_incidents(*Q2) == 4
    assert measures.children_missing(*Q2) == 2
    assert measures.return_interviews(*Q2) == 0
    assert measures.return_interviews(date(2014, 10, 1), date(2014, 12, 31)) == 1


def test_mace_meetings_count_meetings_held_not_discussion_dates():
    from lantern.tasking.models import MeetingStatus, MeetingType
    from lantern.tasking.tests.factories import MONDAY, tasking_world

    world = tasking_world(MeetingType.MACE)
    held, cancelled = world.meetings[0], world.meetings[1]
    held.status, cancelled.status = MeetingStatus.HELD, MeetingStatus.CANCELLED
    held.save(), cancelled.save()
    child = f.make_child()
    f.make_mace(child, held_on=MONDAY + timedelta(days=9))  # a discussion with no meeting record
    month = (MONDAY, MONDAY + timedelta(days=27))
    assert measures.mace_meetings_held(*month) == 1
    assert measures.children_discussed_at_mace(*month) == 1


def test_every_measure_takes_a_period_and_returns_a_count():
    for name, measure in measures.MEASURES.items():
        assert isinstance(measure(*Q2), int), name
