"""A BRAG change to red or amber needs an evidence note saying why; blue needs the evidence of
completion (issue 25). The error names the field and keeps what was typed."""

from __future__ import annotations

import pytest

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.plans import services
from lantern.plans.models import Brag, BragChange
from lantern.plans.tests.plan_data import build_plan

pytestmark = pytest.mark.django_db


def _post(client, action, **data):
    return client.post(f"/plans/actions/{action.pk}/", {"version": action.version, **data})


@pytest.mark.parametrize(
    ("brag", "message"),
    [
        ("red", "Enter the evidence saying why this action is red (off target)"),
        ("amber", "Enter the evidence saying why this action is amber (at risk)"),
        ("blue", "Enter the evidence that this action is complete"),
    ],
)
def test_a_rating_without_evidence_is_refused_beside_the_evidence_box(client, brag, message):
    sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))
    plan = build_plan()

    response = _post(client, plan.campaign, brag=brag, evidence="   ")

    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_evidence">{message}' in body
    assert response.context["form"]["brag"].value() == brag  # the choice is kept
    plan.campaign.refresh_from_db()
    assert plan.campaign.brag == Brag.NOT_RATED
    assert not BragChange.objects.exists()


def test_the_service_refuses_red_without_evidence():
    plan = build_plan()
    with pytest.raises(services.PlanRefused, match="why this action is red") as refused:
        services.record_progress("pm", plan.campaign, expected_version=1, brag="red")
    assert refused.value.field == "evidence"


def test_green_needs_no_evidence_and_red_with_evidence_is_kept(client):
    plan = build_plan()
    services.record_progress("pm", plan.campaign, expected_version=1, brag="green")
    services.record_progress(
        "pm", plan.campaign, expected_version=2, brag="red", evidence="Supplier went bust"
    )
    plan.campaign.refresh_from_db()
    assert plan.campaign.brag == Brag.RED
    assert plan.campaign.evidence.get().text == "Supplier went bust"
