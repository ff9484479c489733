"""A professional judgement override waits for the approver it names: until approved, the
computed level is the level that counts."""

from __future__ import annotations

import pytest

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children.services import refresh_current_level
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in
from lantern.risk import services
from lantern.risk.models import RiskAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    chair = make_user(Role.MACE_CHAIR)
    child = f.make_child()
    assessment = f.make_pending_override(child, approver=chair)
    return chair, child, assessment


def test_a_pending_override_shows_as_pending_and_the_computed_level_stands(client, pending):
    chair, child, assessment = pending
    refresh_current_level(child)  # as any later change to the child's records would
    child.refresh_from_db()
    assert child.current_level == "medium"
    sign_in(client, child.created_by)
    page = client.get(f"/risk/assessments/{assessment.pk}/").content.decode()
    assert "Waiting for approval" in page
    assert "the computed level is the level that counts" in page
    assert f"/risk/assessments/{assessment.pk}/decision/" not in page  # not the approver


def test_the_approver_sees_it_at_home_and_approves_it(client, pending):
    chair, child, assessment = pending
    sign_in(client, chair)
    home = client.get("/").content.decode()
    assert 'data-testid="overrides-to-approve"' in home
    assert f"/risk/assessments/{assessment.pk}/decision/" in home

    response = client.post(
        f"/risk/assessments/{assessment.pk}/decision/", {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    child.refresh_from_db()
    assert assessment.override_status == "approved"
    assert assessment.level == "high"
    assert child.current_level == "high"
    assert 'data-testid="overrides-to-approve"' not in client.get("/").content.decode()
    assert AuditEntry.objects.filter(
        object_type="risk.riskassessment", object_id=str(assessment.pk), actor=chair
    ).exists()


def test_declining_needs_a_note_and_keeps_the_computed_level(client, pending):
    chair, child, assessment = pending
    sign_in(client, chair)
    response = client.post(
        f"/risk/assessments/{assessment.pk}/decision/", {"decision": "decline", "note": ""}
    )
    assert response.status_code == 200
    assert "Enter why you are declining the override" in response.content.decode()
    assert RiskAssessment.objects.get(pk=assessment.pk).override_status == "pending"

    client.post(
        f"/risk/assessments/{assessment.pk}/decision/",
        {"decision": "decline", "note": "The school has not confirmed it"},
    )
    assessment.refresh_from_db()
    child.refresh_from_db()
    assert assessment.override_status == "declined"
    assert assessment.override_level == "high"  # kept on the record
    assert assessment.level == "medium"
    assert child.current_level == "medium"
    sign_in(client, child.created_by)
    page = client.get(f"/risk/assessments/{assessment.pk}/").content.decode()
    assert "The school has not confirmed it" in page
    assert "Declined" in page


def test_only_the_named_approver_may_decide(client, pending):
    _, child, assessment = pending
    other_chair = make_user(Role.MACE_CHAIR)
    sign_in(client, other_chair)
    response = client.post(
        f"/risk/assessments/{assessment.pk}/decision/", {"decision": "approve", "note": ""}
    )
    assert response.status_code == 403
    assert RiskAssessment.objects.get(pk=assessment.pk).override_status == "pending"
    with pytest.raises(services.AssessmentRefused, match="named"):
        services.decide_override(other_chair, assessment, approve=True, note="", now=f.NOW)


def test_a_decided_override_cannot_be_decided_again(pending):
    chair, _, assessment = pending
    services.decide_override(chair, assessment, approve=True, note="", now=f.NOW)
    with pytest.raises(services.AssessmentRefused, match="not waiting"):
        services.decide_override(chair, assessment, approve=False, note="No", now=f.NOW)
