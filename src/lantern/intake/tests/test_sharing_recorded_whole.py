"""Sharing a summary with several agencies is recorded whole, old and new, on the trace and the
audit (issue 26: the trace named one agency and the audit showed "CSC → (empty)")."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.intake import services
from lantern.intake.models import Decision, TraceKind
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db
NOW = datetime.fromisoformat("2026-03-10T10:00:00+00:00")


@pytest.fixture
def agencies():
    csc = AgencyFactory(
        name="Northmere Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    health = AgencyFactory(name="Northmere Health", kind=AgencyKind.HEALTH)
    return csc, health


def _decide(officer, submission, share_with):
    services.decide_submission(
        officer,
        submission,
        expected_version=submission.version,
        decision=Decision.TASKING,
        rationale="",
        share_with=share_with,
        now=NOW,
    )


def test_sharing_with_two_agencies_when_one_already_shares_records_both(agencies):
    csc, health = agencies
    officer = make_user(Role.POLICE_INTELLIGENCE)
    # Health submitted it, so its own agency already shares the summary.
    submission = move_to(make_submission(now=NOW, shared_with=[health]), "graded", officer)
    _decide(officer, submission, [csc, health])

    shared = submission.trace.get(kind=TraceKind.SHARED)
    assert "Northmere Children's Social Care" in shared.summary
    assert "Northmere Health" in shared.summary
    entry = AuditEntry.objects.filter(object_id=str(submission.pk)).order_by("-id").first()
    assert entry.details["changes"]["shared_with"] == [
        ["Northmere Health"],
        ["Northmere Children's Social Care", "Northmere Health"],
    ]


def test_the_audit_history_shows_the_whole_lists(client, agencies):
    csc, health = agencies
    officer = make_user(Role.POLICE_INTELLIGENCE)
    submission = move_to(make_submission(now=NOW), "graded", officer)
    _decide(officer, submission, [csc, health])
    sign_in(client, make_user(Role.ADMINISTRATOR))
    body = client.get(
        reverse("audit:record", args=["intake.submission", submission.pk])
    ).content.decode()
    assert "shared_with: (empty) → Northmere Children&#x27;s Social Care, Northmere Health" in body


def test_sharing_nothing_new_writes_no_share_on_the_trace(agencies):
    csc, _ = agencies
    officer = make_user(Role.POLICE_INTELLIGENCE)
    submission = move_to(make_submission(now=NOW, shared_with=[csc]), "graded", officer)
    _decide(officer, submission, [csc])
    assert not submission.trace.filter(kind=TraceKind.SHARED).exists()
    entry = AuditEntry.objects.filter(object_id=str(submission.pk)).order_by("-id").first()
    assert "shared_with" not in entry.details["changes"]
