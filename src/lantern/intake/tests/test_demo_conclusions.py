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


# Times that are meant to lie ahead: when something expires, is due, or is next to run.
FUTURE_BY_DESIGN = ("expires", "due", "until", "next", "retry", "locked", "scheduled", "review")


def test_no_event_in_any_app_of_the_demo_is_dated_after_now(demo_borough):
    """Every recorded event (a date-time field on any Lantern model) lies before the demo's
    "now": no decision, action, meeting record or assessment is dated in the future."""
    from django.apps import apps
    from django.db import models

    now = timezone.now()
    late = []
    for model in apps.get_models():
        if not model.__module__.startswith("lantern."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateTimeField):
                continue
            if any(word in field.name for word in FUTURE_BY_DESIGN):
                continue
            count = model.objects.filter(**{f"{field.name}__gt": now}).count()
            if count:
                late.append(f"{model._meta.label}.{field.name}: {count}")
    assert late == []


def test_the_demo_has_members_queries_at_several_stages(demo_borough):
    from lantern.intake.models import MemberQuery, QueryStatus

    assert MemberQuery.objects.filter(stage=1, status=QueryStatus.OPEN).exists()
    assert MemberQuery.objects.filter(status=QueryStatus.CLOSED).exists()
    assert MemberQuery.objects.filter(stage=2, status=QueryStatus.OPEN).exists()
