"""The grading target in working days: weekends and England and Wales bank holidays skipped."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import Route
from lantern.intake.panels import queue as queue_panel
from lantern.intake.queue import clock_for, overdue_q
from lantern.intake.tests.factories import make_submission
from lantern.intake.working_days import add_working_days, is_working_day, working_days_before

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, h=10, minute=0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=LONDON)


def test_three_working_days_from_a_friday_skip_the_weekend():
    assert add_working_days(at(2026, 11, 27), 3) == at(2026, 12, 2)  # Fri -> Wed


def test_three_working_days_skip_good_friday_and_easter_monday():
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert add_working_days(at(2026, 4, 2), 3) == at(2026, 4, 9)


def test_christmas_and_the_boxing_day_substitute_are_not_working_days():
    assert not is_working_day(at(2026, 12, 25).date())
    assert not is_working_day(at(2026, 12, 28).date())  # Boxing Day falls on a Saturday
    assert add_working_days(at(2026, 12, 24), 3) == at(2026, 12, 31)


def test_a_report_received_at_the_weekend_counts_from_monday():
    # Three working days from Saturday: Monday, Tuesday and Wednesday, due as Wednesday ends.
    assert add_working_days(at(2026, 11, 28, 15), 3) == at(2026, 12, 3, 0)


def test_the_subdivision_is_a_setting(settings):
    settings.LANTERN_BANK_HOLIDAYS_SUBDIV = "SCT"
    # 2 January is a bank holiday in Scotland only.
    assert not is_working_day(at(2026, 1, 2).date())
    settings.LANTERN_BANK_HOLIDAYS_SUBDIV = "ENG"
    assert is_working_day(at(2026, 1, 2).date())


@pytest.mark.parametrize(
    "now",
    [at(2026, 12, 2), at(2026, 11, 28, 15), at(2026, 4, 7, 9), at(2026, 12, 29, 11, 30)],
)
def test_working_days_before_is_the_cutoff_for_add_working_days(now):
    cutoff = working_days_before(now, 3)
    # Received just before the cutoff: overdue by now; just after: not yet.
    assert add_working_days(cutoff - timedelta(minutes=1), 3) < now
    assert add_working_days(cutoff + timedelta(minutes=1), 3) > now


@pytest.mark.django_db
def test_the_clock_is_within_target_over_a_weekend_and_overdue_after(settings):
    settings.LANTERN_INTAKE_TARGETS = {"urgent_hours": 1, "routine_working_days": 3}
    submission = make_submission(now=at(2026, 11, 27))  # Friday

    tuesday = clock_for(submission, at(2026, 12, 1))
    thursday = clock_for(submission, at(2026, 12, 3))

    assert not tuesday.overdue and tuesday.due == at(2026, 12, 2)
    assert thursday.overdue
    assert tuesday.target_label == "3 working days"


@pytest.mark.django_db
def test_the_target_is_configurable(settings):
    submission = make_submission(now=at(2026, 11, 27))
    settings.LANTERN_INTAKE_TARGETS = {"routine_working_days": 1}
    assert clock_for(submission, at(2026, 12, 1)).overdue  # due Monday
    settings.LANTERN_INTAKE_TARGETS = {"routine_hours": 120}
    clock = clock_for(submission, at(2026, 12, 1))
    assert not clock.overdue and clock.target_label == "120 hours"


@pytest.mark.django_db
def test_urgent_reports_keep_their_hour(settings):
    settings.LANTERN_INTAKE_TARGETS = {"urgent_hours": 1}
    urgent = make_submission(route=Route.IMMEDIATE_DANGER, now=at(2026, 11, 28, 10))
    assert clock_for(urgent, at(2026, 11, 28, 11, 30)).overdue


@pytest.mark.django_db
def test_the_queue_shows_when_each_is_due(client):
    submission = make_submission(now=at(2026, 4, 2))
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    body = client.get(reverse("intake:queue")).content.decode()
    assert submission.reference in body
    assert "Due Thu 09 Apr 10:00 (3 working days)" in body


@pytest.mark.django_db
def test_the_overdue_count_agrees_with_the_clocks(rf):
    now = at(2026, 12, 3, 12)  # Thursday
    late = make_submission(now=at(2026, 11, 27, 11))  # Friday: due Wednesday 11:00
    weekend = make_submission(now=at(2026, 11, 28, 15))  # Saturday: due as Wednesday ends
    fresh = make_submission(now=at(2026, 12, 2, 9))
    from lantern.intake.models import Submission

    overdue = set(Submission.objects.filter(overdue_q(now)).values_list("pk", flat=True))

    assert overdue == {s.pk for s in (late, weekend, fresh) if clock_for(s, now).overdue}
    assert overdue == {late.pk, weekend.pk}
    assert queue_panel(rf.get("/"))["overdue_count"] >= 0
