"""Assessments with a tool version, overrides, versioning, and nominals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in
from lantern.risk import services
from lantern.risk.levels import RiskLevel
from lantern.risk.models import (
    Indicator,
    IndicatorGroup,
    RiskAssessment,
    RiskToolVersion,
    ScoringBand,
    VersionStatus,
)

pytestmark = pytest.mark.django_db


def _indicators(version, n):
    return list(Indicator.objects.filter(group__version=version).order_by("group__order", "order"))[
        :n
    ]


def test_an_assessment_totals_the_ticked_weights_and_maps_to_a_level():
    child = f.make_child()
    version = f.active_version("cse-screening")
    ticked = _indicators(version, 3)
    assessment = services.record_assessment(
        child.created_by,
        version,
        child=child,
        assessed_on=f.TODAY,
        ticked={i.pk: "seen by school" for i in ticked},
        now=f.NOW,
    )
    expected = sum(i.weight for i in ticked)
    assert assessment.score == expected
    assert assessment.computed_level == ("medium" if 4 <= expected <= 8 else "low")
    assert assessment.answers.filter(answer="present").count() == 3
    child.refresh_from_db()
    assert child.current_level == assessment.computed_level


def test_an_assessment_on_a_retired_version_is_refused():
    child = f.make_child()
    version = f.active_version("cse-screening")
    RiskToolVersion.objects.filter(pk=version.pk).update(status=VersionStatus.RETIRED)
    version.refresh_from_db()
    with pytest.raises(services.AssessmentRefused, match="retired"):
        services.record_assessment(
            child.created_by, version, child=child, assessed_on=f.TODAY, ticked={}, now=f.NOW
        )
    assert RiskAssessment.objects.count() == 0


def test_a_retired_version_is_refused_through_the_page_and_nothing_is_saved(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")
    RiskToolVersion.objects.filter(pk=version.pk).update(status=VersionStatus.RETIRED)
    answers = {f"answer_{i.pk}": "absent" for i in Indicator.objects.filter(group__version=version)}
    response = client.post(
        f"/risk/children/{child.pk}/assess/{version.pk}/", {"assessed_on": "2015-03-01", **answers}
    )
    assert response.status_code == 200
    assert "assess with the active version" in response.content.decode()
    assert RiskAssessment.objects.count() == 0


def test_a_tool_for_suspects_cannot_assess_a_child():
    child = f.make_child()
    with pytest.raises(services.AssessmentRefused):
        services.record_assessment(
            child.created_by,
            f.active_version("suspect-risk"),
            child=child,
            assessed_on=f.TODAY,
            ticked={},
            now=f.NOW,
        )


def test_an_old_assessment_renders_with_its_own_version_after_a_new_one_is_active(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    old = f.active_version("cse-screening")
    first = _indicators(old, 1)[0]
    assessment = services.record_assessment(
        worker, old, child=child, assessed_on=f.TODAY, ticked={first.pk: "x"}, now=f.NOW
    )
    new = RiskToolVersion.objects.create(tool=old.tool, number=2, status=VersionStatus.DRAFT)
    group = IndicatorGroup.objects.create(version=new, name="Revised signs")
    Indicator.objects.create(group=group, text="A brand new indicator", weight=5)
    ScoringBand.objects.create(version=new, min_score=0, max_score=4, level="low")
    ScoringBand.objects.create(version=new, min_score=5, max_score=None, level="high")
    services.activate_version(worker, new)
    old.refresh_from_db()
    assert old.status == VersionStatus.RETIRED
    page = client.get(f"/risk/assessments/{assessment.pk}/").content.decode()
    assert first.text in page
    assert "A brand new indicator" not in page
    assert "Version 1 (retired)" in page


def test_activating_a_version_with_gaps_in_its_bands_is_refused():
    old = f.active_version("cse-screening")
    new = RiskToolVersion.objects.create(tool=old.tool, number=2, status=VersionStatus.DRAFT)
    ScoringBand.objects.create(version=new, min_score=0, max_score=2, level="low")
    ScoringBand.objects.create(version=new, min_score=5, max_score=None, level="high")
    with pytest.raises(services.AssessmentRefused, match="no band"):
        services.activate_version(make_user(Role.CSE_SOCIAL_WORKER), new)
    old.refresh_from_db()
    assert old.status == VersionStatus.ACTIVE


@pytest.mark.parametrize("override", ["none", "low", "high"])
def test_an_approved_override_keeps_both_levels_and_the_override_counts(override):
    child = f.make_child()
    assessment = f.make_assessment(child, level=RiskLevel.MEDIUM)
    chair = make_user(Role.MACE_CHAIR)
    services.override_level(
        child.created_by,
        assessment,
        level=override,
        rationale="MACE knows of a new older boyfriend",
        approver=chair,
        now=f.NOW,
    )
    assessment.refresh_from_db()
    assert assessment.override_status == "pending"
    assert assessment.level == RiskLevel.MEDIUM  # pending: the computed level stands
    services.decide_override(chair, assessment, approve=True, note="", now=f.NOW)
    assessment.refresh_from_db()
    assert assessment.computed_level == RiskLevel.MEDIUM
    assert assessment.override_level == override
    assert assessment.level == override
    assert assessment.override_approved_by == chair
    child.refresh_from_db()
    assert child.current_level == override
    entries = AuditEntry.objects.filter(object_type="risk.riskassessment", action="update")
    assert entries.first().reason == "MACE knows of a new older boyfriend"


def test_an_override_without_rationale_is_refused_by_the_field(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    assessment = f.make_assessment(child)
    chair = make_user(Role.MACE_CHAIR)
    response = client.post(
        f"/risk/assessments/{assessment.pk}/override/",
        {"level": "high", "rationale": "   ", "approver": chair.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the rationale for your professional judgement" in page
    assessment.refresh_from_db()
    assert assessment.override_level == ""


def test_the_assessor_cannot_approve_their_own_override():
    chair = make_user(Role.MACE_CHAIR)
    child = f.make_child(by=chair)
    assessment = f.make_assessment(child)
    with pytest.raises(services.AssessmentRefused, match="someone other than the assessor"):
        services.override_level(
            chair, assessment, level="high", rationale="r", approver=chair, now=f.NOW
        )


def test_an_approver_without_the_role_is_refused():
    child = f.make_child()
    assessment = f.make_assessment(child)
    colleague = make_user(Role.CSE_SOCIAL_WORKER)
    with pytest.raises(services.AssessmentRefused, match="may not approve"):
        services.override_level(
            child.created_by, assessment, level="high", rationale="r", approver=colleague, now=f.NOW
        )


def test_ticking_without_evidence_is_refused_with_the_users_text_kept(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")
    first, second = _indicators(version, 2)
    response = client.post(
        f"/risk/children/{child.pk}/assess/{version.pk}/",
        {
            "assessed_on": "2015-03-01",
            f"answer_{first.pk}": "present",
            f"answer_{second.pk}": "present",
            f"evidence_{second.pk}": "<script>alert(1)</script>",
        },
    )
    page = response.content.decode()
    assert "Enter the evidence for" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert RiskAssessment.objects.count() == 0


def test_a_social_worker_assesses_a_child_through_the_page(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")
    ticked = _indicators(version, 3)
    data = {"assessed_on": "2015-03-01"}
    for i in Indicator.objects.filter(group__version=version):
        data[f"answer_{i.pk}"] = "absent"
    for i in ticked:
        data[f"answer_{i.pk}"] = "present"
        data[f"evidence_{i.pk}"] = "Reported by school"
    response = client.post(f"/risk/children/{child.pk}/assess/{version.pk}/", data)
    assessment = RiskAssessment.objects.get()
    assert response.status_code == 302
    assert assessment.assessed_by == worker
    assert assessment.assessed_on == date(2015, 3, 1)


def test_nominals_are_police_only(client):
    nominal = f.make_nominal()
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    assert client.get(f"/risk/nominals/{nominal.pk}/").status_code in (403, 404)
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    assert client.get(f"/risk/nominals/{nominal.pk}/").status_code == 200


def test_a_nominal_is_assessed_with_the_suspect_tool_and_levels_show_over_time(client):
    analyst = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    nominal = f.make_nominal(analyst)
    version = f.active_version("suspect-risk")
    heavy = Indicator.objects.filter(group__version=version).order_by("-weight")[:3]
    assessment = services.record_assessment(
        analyst,
        version,
        nominal=nominal,
        assessed_on=f.TODAY,
        ticked={i.pk: "intelligence ref 123" for i in heavy},
        now=f.NOW,
    )
    assert assessment.computed_level == "high"
    page = client.get(f"/risk/nominals/{nominal.pk}/").content.decode()
    assert 'data-testid="risk-chart"' in page
    supervisor = make_user(Role.POLICE_SUPERVISOR)
    services.override_level(
        analyst,
        assessment,
        level="medium",
        rationale="Now in prison",
        approver=supervisor,
        now=f.NOW,
    )
    assert RiskAssessment.objects.get().level == "high"  # until the supervisor approves
    services.decide_override(
        supervisor, RiskAssessment.objects.get(), approve=True, note="Agreed", now=f.NOW
    )
    assert RiskAssessment.objects.get().level == "medium"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    computed=st.sampled_from(RiskLevel.values),
    judged=st.sampled_from(RiskLevel.values),
    # Forms refuse NUL characters (and PostgreSQL cannot store them), so none reach here.
    rationale=st.text(
        st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=200,
    ).filter(str.strip),
)
def test_any_override_keeps_the_computed_level_beside_the_judged_one(computed, judged, rationale):
    assume(computed != judged)
    child = f.make_child()
    assessment = f.make_assessment(child, level=computed)
    services.override_level(
        child.created_by,
        assessment,
        level=judged,
        rationale=rationale,
        approver=(chair := make_user(Role.MACE_CHAIR)),
        now=f.NOW,
    )
    services.decide_override(chair, assessment, approve=True, note="", now=f.NOW)
    stored = RiskAssessment.objects.get(pk=assessment.pk)
    assert (stored.computed_level, stored.override_level, stored.level) == (
        computed,
        judged,
        judged,
    )
    assert stored.override_rationale == rationale
