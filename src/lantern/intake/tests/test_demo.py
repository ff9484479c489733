"""The demo borough has submissions at every stage, with consistent references and traces."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.accounts.models import User
from lantern.core.testing import sign_in
from lantern.intake.models import ReferenceCounter, Status, Submission, TraceEvent
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_stage_and_the_queue_works(demo_borough):
    counts = {s: Submission.objects.filter(status=s).count() for s in Status.values}
    assert all(counts.values()), counts
    assert sum(counts.values()) >= 2000
    assert TraceEvent.objects.filter(kind="received").count() == sum(counts.values())
    # A new submission after the demo gets the next free reference, not a duplicate.
    latest_year = ReferenceCounter.objects.order_by("-year").first()
    fresh = make_submission()
    assert fresh.reference not in set(
        Submission.objects.exclude(pk=fresh.pk).values_list("reference", flat=True)
    )
    assert latest_year is not None
    client = Client()
    sign_in(client, User.objects.get(username="analyst"))
    assert client.get("/intake/queue/").status_code == 200
