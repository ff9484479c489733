"""Retention review and two-person disposal, with the clock the test chooses."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.audit.services import verify_chain
from lantern.children.models import Child
from lantern.children.tests.factories import make_child
from lantern.core.testing import make_user, sign_in
from lantern.governance import retention
from lantern.governance.models import DisposalStatus, DisposedRecord
from lantern.intake.models import Submission, SubmissionPerson
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

RECEIVED = timezone.make_aware(datetime(2015, 3, 2, 10, 0))


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def _ungraded(**fields) -> Submission:
    fields.setdefault("people", [{"name": "Jordan Exampleton", "role": "victim"}])
    return make_submission(
        now=RECEIVED,
        contact_name="Pat Reporterson",
        contact_phone="07700 900123",
        location="Behind the parade of shops",
        **fields,
    )


def _labels(user, today) -> list[str]:
    return [row.stub_label for row in retention.review_queue(user, today)]


@override_settings(LANTERN_RETENTION_INTELLIGENCE_YEARS={"A": 10, "B": 10, "E": 3, "ungraded": 2})
def test_submissions_come_up_for_review_by_grade():
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    ungraded = _ungraded()
    graded = _ungraded()
    Submission.objects.filter(pk=graded.pk).update(intelligence_assessment="B", graded_at=RECEIVED)

    assert _labels(analyst, date(2017, 3, 1)) == []
    assert _labels(analyst, date(2017, 3, 2)) == [f"Submission {ungraded.reference}"]
    assert f"Submission {graded.reference}" not in _labels(analyst, date(2024, 12, 31))
    assert f"Submission {graded.reference}" in _labels(analyst, date(2025, 3, 2))


@override_settings(LANTERN_RETENTION_CHILD_AGE=25)
def test_a_childs_record_comes_up_at_the_configured_age():
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    child = make_child(dob=date(2001, 5, 1))

    assert _labels(worker, date(2026, 4, 30)) == []
    assert _labels(worker, date(2026, 5, 1)) == [f"Child {child.reference}"]
    with override_settings(LANTERN_RETENTION_CHILD_AGE=30):
        assert _labels(worker, date(2026, 5, 1)) == []


def test_the_queue_shows_only_the_owning_teams_types():
    _ungraded()
    make_child(dob=date(1990, 1, 1))
    today = date(2030, 1, 1)
    worker, analyst = make_user(Role.CSE_SOCIAL_WORKER), make_user(Role.POLICE_INTELLIGENCE)

    assert all(label.startswith("Child") for label in _labels(worker, today))
    assert all(label.startswith("Submission") for label in _labels(analyst, today))
    assert len(_labels(make_user(Role.ADMINISTRATOR), today)) == 2
    assert _labels(make_user(Role.PARTNER_PRACTITIONER), today) == []


def test_keeping_a_record_takes_it_off_the_queue_until_its_next_review():
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    submission = _ungraded()
    today = date(2018, 1, 1)

    retention.retain(
        actor=analyst,
        label="intake.submission",
        object_id=str(submission.pk),
        reason="Linked to an open investigation",
        until=date(2019, 1, 1),
        now=_at(today),
    )

    assert _labels(analyst, today) == []
    assert _labels(analyst, date(2019, 1, 1)) == [f"Submission {submission.reference}"]
    with pytest.raises(retention.RetentionRefused, match="after today"):
        retention.retain(
            actor=analyst,
            label="intake.submission",
            object_id=str(submission.pk),
            reason="x",
            until=today,
            now=_at(today),
        )


def test_two_person_disposal_removes_personal_data_and_keeps_the_audit_trail():
    requester, approver = make_user(Role.POLICE_INTELLIGENCE), make_user(Role.POLICE_SUPERVISOR)
    submission = _ungraded()
    entries_before = AuditEntry.objects.filter(object_id=str(submission.pk)).count()
    today = date(2018, 1, 1)

    request = retention.request_disposal(
        actor=requester,
        label="intake.submission",
        object_id=str(submission.pk),
        reason="Past its review date, no further relevance",
        now=_at(today),
    )
    assert _labels(requester, today) == []  # waiting, not due twice
    with pytest.raises(retention.RetentionRefused, match="cannot approve it"):
        retention.approve_disposal(actor=requester, request_id=request.pk, now=_at(today))
    submission.refresh_from_db()
    assert submission.contact_name == "Pat Reporterson"  # nothing disposed yet

    stub = retention.approve_disposal(
        actor=approver, request_id=request.pk, note="Agreed", now=_at(today + timedelta(days=1))
    )

    submission.refresh_from_db()
    assert submission.reference and submission.narrative == "[disposed]"
    assert submission.contact_name == submission.contact_phone == submission.location == ""
    assert SubmissionPerson.objects.get(submission=submission).name == ""
    assert stub.stub_label == f"Submission {submission.reference}"
    assert "contact_name" in stub.fields_removed and "submissionperson.name" in stub.fields_removed
    request.refresh_from_db()
    assert request.status == DisposalStatus.APPROVED and request.decided_by == approver
    trail = AuditEntry.objects.filter(object_id=str(submission.pk)).order_by("id")
    assert trail.count() == entries_before + 2  # the request and the disposal, nothing removed
    disposal = trail.last()
    assert disposal.action == "dispose" and disposal.actor == approver
    assert disposal.details["requested_by"] == requester.pk
    assert verify_chain().ok
    assert _labels(requester, date(2040, 1, 1)) == []  # disposed records are not due again


def test_a_disposal_cannot_be_approved_twice_or_asked_for_twice():
    requester, approver = make_user(Role.POLICE_INTELLIGENCE), make_user(Role.POLICE_SUPERVISOR)
    submission = _ungraded()
    now = _at(date(2018, 1, 1))
    args = {"label": "intake.submission", "object_id": str(submission.pk), "now": now}
    request = retention.request_disposal(actor=requester, reason="Due", **args)
    with pytest.raises(retention.RetentionRefused, match="already waiting"):
        retention.request_disposal(actor=approver, reason="Due", **args)
    retention.approve_disposal(actor=approver, request_id=request.pk, now=now)
    with pytest.raises(retention.RetentionRefused, match="not waiting"):
        retention.approve_disposal(actor=approver, request_id=request.pk, now=now)
    with pytest.raises(retention.RetentionRefused, match="already been disposed"):
        retention.request_disposal(actor=requester, reason="Again", **args)


def test_a_refused_disposal_leaves_the_record():
    requester, other = make_user(Role.POLICE_INTELLIGENCE), make_user(Role.POLICE_INTELLIGENCE)
    submission = _ungraded()
    now = _at(date(2018, 1, 1))
    request = retention.request_disposal(
        actor=requester,
        label="intake.submission",
        object_id=str(submission.pk),
        reason="Due",
        now=now,
    )
    with pytest.raises(retention.RetentionRefused, match="why"):
        retention.refuse_disposal(actor=other, request_id=request.pk, note="", now=now)

    retention.refuse_disposal(actor=other, request_id=request.pk, note="Still relevant", now=now)

    submission.refresh_from_db()
    assert submission.contact_name == "Pat Reporterson"
    assert not DisposedRecord.objects.exists()


def test_only_the_owning_team_may_ask_or_approve():
    submission = _ungraded()
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    with pytest.raises(retention.RetentionRefused, match="do not review"):
        retention.request_disposal(
            actor=worker,
            label="intake.submission",
            object_id=str(submission.pk),
            reason="Due",
            now=_at(date(2018, 1, 1)),
        )


def test_disposing_of_a_child_keeps_the_reference_and_the_birth_year():
    requester, approver = make_user(Role.CSE_SOCIAL_WORKER), make_user(Role.MACE_CHAIR)
    child = make_child(dob=date(1990, 6, 15), known_as="Sunny", school="Northmere Academy")
    now = _at(date(2030, 1, 1))
    request = retention.request_disposal(
        actor=requester, label="children.child", object_id=str(child.pk), reason="Age 25", now=now
    )
    retention.approve_disposal(actor=approver, request_id=request.pk, now=now)

    child = Child.objects.get(pk=child.pk)
    assert (child.first_name, child.last_name, child.known_as, child.school) == (
        "Disposed",
        "[disposed]",
        "",
        "",
    )
    assert child.date_of_birth == date(1990, 1, 1) and child.reference.startswith("CH-")


def test_the_requester_approving_on_the_page_is_refused(client):
    requester = make_user(Role.POLICE_INTELLIGENCE)
    submission = _ungraded()
    request = retention.request_disposal(
        actor=requester,
        label="intake.submission",
        object_id=str(submission.pk),
        reason="Due",
        now=_at(date(2018, 1, 1)),
    )
    sign_in(client, requester)

    response = client.post(reverse("governance:decide", args=[request.pk]), {"decision": "approve"})

    assert response.status_code == 200
    assert "cannot approve it" in response.content.decode()
    submission.refresh_from_db()
    assert submission.narrative != "[disposed]"


def test_asking_for_disposal_on_the_page_keeps_what_was_typed_on_an_error(client):
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    submission = _ungraded()
    sign_in(client, analyst)
    data = {"record_type": "intake.submission", "object_id": submission.pk, "decision": "retain"}

    missing = client.post(reverse("governance:review"), {**data, "reason": "Keep"})
    assert "Enter the date of the next review" in missing.content.decode()

    done = client.post(
        reverse("governance:review"), {**data, "decision": "dispose", "reason": "Due"}
    )
    assert done.status_code == 302
    assert client.get(reverse("governance:queue")).status_code == 200
