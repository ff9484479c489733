"""Missing episodes, alerts to the on-call roles, and return home interviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from lantern.accounts.roles import Role
from lantern.children import services
from lantern.children.models import Alert, MissingEpisode, ReturnInterview
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_a_found_time_before_the_reported_time_is_refused_by_the_field(client):
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child()
    response = client.post(
        f"/children/{child.pk}/missing/add/",
        {
            "reported_at": "2015-03-01T22:00",
            "found_at": "2015-03-01T21:00",
            "where_found": "Bus station",
            "risk_level": "medium",
        },
    )
    page = response.content.decode()
    assert "The time found must be after the time reported" in page
    assert 'href="#id_found_at"' in page
    assert MissingEpisode.objects.count() == 0


def test_a_high_risk_cse_episode_alerts_the_on_call_roles_at_once(
    django_capture_on_commit_callbacks,
):
    chair = make_user(Role.MACE_CHAIR, email="chair@example.org")
    make_user(Role.POLICE_SUPERVISOR, email="duty@example.org")
    make_user(Role.BOARD_MEMBER, email="board@example.org")
    child = f.make_child()
    with django_capture_on_commit_callbacks(execute=True):
        episode = services.record_missing_episode(
            child.created_by,
            child,
            reported_at=f.NOW - timedelta(hours=2),
            found_at=None,
            where_found="",
            risk_level="high",
            cse_related=True,
            notes="",
            now=f.NOW,
        )
    alert = Alert.objects.get()
    assert alert.missing_episode == episode
    assert alert.emailed_to == ["chair@example.org", "duty@example.org"]
    assert len(mail.outbox) == 1
    assert child.full_name not in mail.outbox[0].body  # the email names the reference only
    assert chair


def test_a_medium_risk_episode_raises_no_alert():
    child = f.make_child()
    services.record_missing_episode(
        child.created_by,
        child,
        reported_at=f.NOW - timedelta(hours=2),
        found_at=None,
        where_found="",
        risk_level="medium",
        cse_related=True,
        notes="",
        now=f.NOW,
    )
    assert Alert.objects.count() == 0


def test_the_return_interview_is_due_72_hours_after_return_and_before_return_is_refused(client):
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    found = f.NOW - timedelta(days=1)
    episode = f.make_missing(f.make_child(), reported_at=f.NOW - timedelta(days=2), found_at=found)
    assert episode.interview_due_by == found + timedelta(hours=72)
    response = client.post(
        f"/children/missing/{episode.pk}/interview/",
        {
            "offered_at": (found + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "outcome": "done",
            "held_at": (found - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert "The interview must be after the child returned" in response.content.decode()
    assert ReturnInterview.objects.count() == 0


def test_a_declined_interview_is_recorded_with_its_offer():
    found = f.NOW - timedelta(days=1)
    episode = f.make_missing(f.make_child(), reported_at=f.NOW - timedelta(days=2), found_at=found)
    interview = services.record_return_interview(
        episode.child.created_by,
        episode,
        offered_at=found + timedelta(hours=5),
        outcome="declined",
        held_at=None,
        notes="",
        now=f.NOW,
    )
    assert interview.offered_in_time


def test_recording_a_child_found_sets_the_duration():
    episode = f.make_missing(f.make_child(), reported_at=f.NOW - timedelta(hours=30))
    services.record_found(
        episode.child.created_by,
        episode,
        found_at=f.NOW - timedelta(hours=4),
        where_found="Friend's house",
        now=f.NOW,
        expected_version=1,
    )
    episode.refresh_from_db()
    assert episode.duration == timedelta(hours=26)
    assert episode.duration_text == "1 days 2 hours"


def test_overdue_return_interviews_alert_the_allocated_worker_once(
    django_capture_on_commit_callbacks,
):
    worker = make_user(Role.CSE_SOCIAL_WORKER, email="worker@example.org")
    child = f.make_child(by=worker)
    services.allocate_worker(worker, child, worker=worker, role="specialist", started_on=f.TODAY)
    late = f.make_missing(
        child, reported_at=f.NOW - timedelta(days=5), found_at=f.NOW - timedelta(days=4)
    )
    f.make_missing(child, reported_at=f.NOW - timedelta(days=2), found_at=f.NOW - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.alert_overdue_return_interviews(f.NOW)
    second = services.alert_overdue_return_interviews(f.NOW)
    alert = Alert.objects.get()
    assert first == "1 overdue return home interview alert"
    assert second == "0 overdue return home interview alerts"
    assert alert.missing_episode == late and alert.kind == "interview_overdue"
    assert mail.outbox[0].to == ["worker@example.org"]
