"""The demo never tells a reporter "acted on" while work is open, and nothing in it lies after
its "now"."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lantern.intake.models import Outcome, Status, Submission, TraceEvent
from lantern.intake.open_work import open_work_for

pytestmark = pytest.mark.django_db


def test_no_demo_submission_is_acted_on_with_open_work(demo_borough):
    acted_on = Submission.objects.filter(status=Status.CONCLUDED, outcome=Outcome.ACTED_ON)
    assert acted_on.exists()
    with_open_work = [s.reference for s in acted_on.iterator() if open_work_for(s)]
    assert with_open_work == []


def test_no_demo_time_lies_after_now(demo_borough):
    now = timezone.now()
    for name in ("received_at", "assigned_at", "graded_at", "decided_at", "concluded_at"):
        assert not Submission.objects.filter(**{f"{name}__gt": now}).exists(), name
    assert not TraceEvent.objects.filter(at__gt=now).exists()
