"""A safeguarding report becomes a contact on the child's record the CSE team chooses."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children.models import Contact, ContactDecision, ContactRoute
from lantern.children.tests.factories import make_child
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.intake.children_links import record_contact_from_submission
from lantern.intake.models import Route, TraceKind
from lantern.intake.services import IntakeError
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db


def safeguarding_report(**fields):
    partner = make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Northmere School"))
    fields.setdefault("narrative", "A pupil is collected by older men after school.")
    return make_submission(partner, route=Route.SPECIFIC_CHILD, **fields)


def test_the_contact_is_on_the_childs_record_with_the_reference_and_on_the_trace():
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    child = make_child()
    submission = safeguarding_report()

    contact = record_contact_from_submission(
        worker, submission, child, summary="Collected after school.", now=timezone.now()
    )

    assert contact.child == child and contact.intake_reference == submission.reference
    assert contact.route == ContactRoute.INTAKE and contact.decision == ContactDecision.PENDING
    assert contact.received_on == timezone.localdate(submission.received_at)
    assert contact.source == "Partner agency: Northmere School (single point of entry)"
    assert contact.recorded_by == worker
    event = submission.trace.get(kind=TraceKind.LINKED)
    assert event.summary == f"Contact recorded on child record {child.reference}"
    assert event.actor == worker
    assert AuditEntry.objects.filter(object_type="children.contact", action="create").exists()


def test_a_member_of_the_public_is_not_named_as_the_source():
    report = make_submission(
        route=Route.SPECIFIC_CHILD, source="public", contact_name="Jo Example", narrative="x"
    )
    contact = record_contact_from_submission(
        make_user(Role.CSE_SOCIAL_WORKER), report, make_child(), summary="x", now=timezone.now()
    )
    assert contact.source == "Member of the public (single point of entry)"


def test_the_same_report_is_not_recorded_twice_on_one_child():
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    child = make_child()
    submission = safeguarding_report()
    record_contact_from_submission(worker, submission, child, summary="x", now=timezone.now())
    with pytest.raises(IntakeError, match="already on"):
        record_contact_from_submission(worker, submission, child, summary="x", now=timezone.now())
    assert Contact.objects.count() == 1
    assert submission.trace.filter(kind=TraceKind.LINKED).count() == 1


def test_an_intelligence_submission_not_referred_to_social_care_is_refused():
    submission = make_submission(route=Route.INTELLIGENCE)
    with pytest.raises(IntakeError):
        record_contact_from_submission(
            make_user(Role.CSE_SOCIAL_WORKER),
            submission,
            make_child(),
            summary="x",
            now=timezone.now(),
        )
    assert not Contact.objects.exists()


def test_the_cse_worker_chooses_the_child_through_the_page(client):
    submission = safeguarding_report()
    child = make_child()
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    queue = client.get(reverse("intake:social-care-queue")).content.decode()
    assert reverse("intake:record-contact", args=[submission.reference]) in queue

    page = client.get(reverse("intake:record-contact", args=[submission.reference]))
    assert "A pupil is collected by older men after school." in page.content.decode()
    response = client.post(
        reverse("intake:record-contact", args=[submission.reference]),
        {"child_reference": child.reference.lower(), "summary": "Collected after school."},
    )

    assert response.status_code == 302
    assert Contact.objects.get().child == child
    queue = client.get(reverse("intake:social-care-queue")).content.decode()
    assert submission.reference not in queue  # done: no longer waiting
    queue = client.get(reverse("intake:social-care-queue"), {"show": "recorded"}).content.decode()
    assert f"Contact on {child.reference}" in queue


def test_an_unknown_child_reference_is_explained_by_the_field_and_kept(client):
    submission = safeguarding_report()
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    response = client.post(
        reverse("intake:record-contact", args=[submission.reference]),
        {"child_reference": "CH-999999", "summary": "<script>alert(1)</script>"},
    )
    body = response.content.decode()
    assert "There is no child&#x27;s record with that reference that you can see" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert not Contact.objects.exists()


def test_a_restricted_child_is_not_recorded_on_without_breaking_glass(client):
    submission = safeguarding_report()
    owner = make_user(Role.CSE_SOCIAL_WORKER)
    hidden = make_child(by=owner, restricted=True)
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    body = client.post(
        reverse("intake:record-contact", args=[submission.reference]),
        {"child_reference": hidden.reference, "summary": "x"},
    ).content.decode()
    assert "That record is restricted" in body
    assert not Contact.objects.exists()


def test_an_intelligence_submission_has_no_contact_page(client):
    submission = make_submission(route=Route.INTELLIGENCE)
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    response = client.get(reverse("intake:record-contact", args=[submission.reference]))
    assert response.status_code == 404
