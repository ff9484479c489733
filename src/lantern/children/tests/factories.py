"""Test data for children and risk: plain functions over the services' models."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.children.models import (
    Child,
    Contact,
    ContactRoute,
    Episode,
    Ethnicity,
    Gender,
    MaceDiscussion,
    MissingEpisode,
    Referral,
    Service,
    ServiceReferral,
    Threshold,
)
from lantern.core.testing import make_user
from lantern.risk.levels import RiskLevel
from lantern.risk.models import Nominal, RiskAssessment, RiskToolVersion

NOW = timezone.make_aware(datetime(2015, 3, 20, 12, 0))
TODAY = NOW.date()
_counter = iter(range(1, 10**6))


def make_child(*, by=None, dob: date | None = None, gender=Gender.FEMALE, open_episode=True, **kw):
    by = by or make_user(Role.CSE_SOCIAL_WORKER)
    n = next(_counter)
    child = Child.objects.create(
        reference=f"CH-T{n:05d}",
        first_name=kw.pop("first_name", f"Alex{n}"),
        last_name=kw.pop("last_name", "Testchild"),
        date_of_birth=dob or date(2001, 5, 1),
        gender=gender,
        ethnicity=Ethnicity.WHITE_BRITISH,
        created_by=by,
        created_at=NOW,
        is_open=open_episode,
        **kw,
    )
    if open_episode:
        Episode.objects.create(
            child=child, opened_on=date(2015, 1, 5), cse_role="lead", opened_by=by
        )
    return child


def make_contact(child, *, received_on=date(2015, 2, 1), about_cse=True, by=None):
    return Contact.objects.create(
        child=child,
        received_on=received_on,
        route=ContactRoute.DIRECT,
        source="School safeguarding lead",
        about_cse=about_cse,
        summary="Seen getting into a car after school",
        recorded_by=by or child.created_by,
    )


def make_referral(child, *, referred_on=date(2015, 2, 2), completed_on=None):
    contact = make_contact(child, received_on=referred_on)
    contact.decision = "referral"
    contact.save()
    return Referral.objects.create(
        contact=contact,
        child=child,
        referred_on=referred_on,
        threshold=Threshold.SPECIALIST,
        assessment_completed_on=completed_on,
    )


def make_mace(child, *, held_on=date(2015, 2, 10), level=RiskLevel.HIGH, review_on=None):
    return MaceDiscussion.objects.create(
        child=child,
        held_on=held_on,
        chair=make_user(Role.MACE_CHAIR),
        agreed_level=level,
        review_on=review_on or held_on + timedelta(days=28),
        recorded_by=child.created_by,
        created_at=NOW,
    )


def make_missing(child, *, reported_at=None, found_at=None, level=RiskLevel.MEDIUM):
    reported_at = reported_at or NOW - timedelta(days=3)
    return MissingEpisode.objects.create(
        child=child,
        reported_at=reported_at,
        found_at=found_at,
        where_found="A friend's flat" if found_at else "",
        risk_level=level,
        recorded_by=child.created_by,
    )


def make_service_referral(child):
    return ServiceReferral.objects.create(
        child=child,
        service=Service.objects.get(code="camhs"),
        referred_on=date(2015, 2, 12),
        referred_by=child.created_by,
    )


def active_version(code: str) -> RiskToolVersion:
    return RiskToolVersion.objects.get(tool__code=code, status="active")


def make_assessment(child=None, *, nominal=None, level=RiskLevel.MEDIUM, on=date(2015, 2, 5)):
    code = "cse-screening" if child is not None else "suspect-risk"
    by = child.created_by if child is not None else nominal.created_by
    return RiskAssessment.objects.create(
        version=active_version(code),
        child=child,
        nominal=nominal,
        assessed_on=on,
        assessed_by=by,
        score=5,
        computed_level=level,
        created_at=NOW,
    )


def make_nominal(by=None):
    by = by or make_user(Role.POLICE_INTELLIGENCE)
    return Nominal.objects.create(name="Test Nominal", created_by=by, created_at=NOW)


def make_draft(code: str) -> RiskToolVersion:
    """A draft version of a tool, copied from its active version (the same draft if one is
    already started)."""
    from lantern.risk import services as risk

    tool = active_version(code).tool
    existing = tool.versions.filter(status="draft").first()
    return existing or risk.new_draft_version(make_user(Role.ADMINISTRATOR), tool)


def make_pending_override(child, *, approver=None, level=RiskLevel.HIGH):
    """An assessment of the child (medium) with an override waiting for `approver`."""
    from lantern.risk import services as risk

    assessment = make_assessment(child, level=RiskLevel.MEDIUM)
    risk.override_level(
        child.created_by,
        assessment,
        level=level,
        rationale="New intelligence from the school",
        approver=approver or make_user(Role.MACE_CHAIR),
        now=NOW,
    )
    return assessment
