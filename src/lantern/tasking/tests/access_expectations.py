"""Who may open each tasking page (checked by core's access matrix test)."""

from __future__ import annotations

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user
from lantern.core.tests.matrix import Expect

R = Role
TASKING = {
    R.PARTNER_PRACTITIONER,
    R.POLICE_INTELLIGENCE,
    R.POLICE_SUPERVISOR,
    R.CSE_SOCIAL_WORKER,
    R.MACE_CHAIR,
}
CHAIRS = {R.POLICE_SUPERVISOR, R.MACE_CHAIR}
POLICE = {R.POLICE_INTELLIGENCE, R.POLICE_SUPERVISOR}
# A health action: its agency (the partner), police and chairs; not social care.
ACTION_SEERS = {R.PARTNER_PRACTITIONER, R.POLICE_INTELLIGENCE, R.POLICE_SUPERVISOR, R.MACE_CHAIR}
PLAN_SEERS = {R.POLICE_INTELLIGENCE, R.POLICE_SUPERVISOR, R.MACE_CHAIR}


def _world(world):
    """A police-chaired tasking group of the matrix's agencies, one meeting, item and action."""
    from datetime import timedelta

    from django.utils import timezone

    from lantern.tasking import disruption, services
    from lantern.tasking.models import MeetingSeries, Operation, Tactic

    if getattr(world, "tasking", None):
        return world.tasking
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    social_care = AgencyFactory(name="Test social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    council = AgencyFactory(name="Test council", kind=AgencyKind.COUNCIL)
    chair = make_user(R.POLICE_SUPERVISOR, agency=police)
    nurse = make_user(R.PARTNER_PRACTITIONER, agency=health)
    now = timezone.now()
    today = timezone.localdate(now)
    series = MeetingSeries.objects.filter(name="Matrix tasking group").first()
    if series is None:
        series = services.create_series(
            chair,
            name="Matrix tasking group",
            meeting_type="tasking_group",
            first_meeting_on=today,
            chair=chair,
            member_agencies=[police, social_care, health, council],
        )
    services.generate_meetings(chair, series, until=today)
    meeting = series.meetings.get()
    item = services.add_item(chair, meeting, title="Item", partner_summary="Safe summary")
    action = services.create_action(
        chair,
        title="Check records",
        owning_agency=health,
        owner=nurse,
        due_on=today + timedelta(days=7),
        now=now,
        route="tasking_group",
        origin=item,
        meeting=meeting,
    )
    plan = disruption.create_plan(
        chair,
        subject_kind="vehicle",
        subject_description="Silver hatchback",
        aim="Disrupt",
        review_on=today + timedelta(days=7),
        lead=chair,
        now=now,
    )
    tactic, _ = Tactic.objects.get_or_create(name="Matrix tactic", agency_kind="police")
    operation, _ = Operation.objects.get_or_create(
        name="Operation Matrix Lantern",
        defaults={"summary": "Test", "started_on": today, "lead": chair},
    )
    from lantern.tasking.export_jobs import build_export, request_export

    # An export asked for by the chair (not one of the matrix's users): only its requester
    # may download it, so every role gets "not found".
    job = build_export(request_export(chair, fmt="csv", filters={}, now=now), now=now)
    world.tasking = {
        "export_job": job.pk,
        "series": series.pk,
        "meeting": meeting.pk,
        "item": item.pk,
        "action": action.pk,
        "plan": plan.pk,
        "tactic": tactic.pk,
        "operation": operation.pk,
    }
    return world.tasking


def pk(kind):
    return lambda world: {"pk": _world(world)[kind]}


EXPECTATIONS = {
    "tasking:index": Expect(TASKING),
    "tasking:series-create": Expect(CHAIRS),
    "tasking:series-detail": Expect(TASKING, kwargs=pk("series")),
    "tasking:meeting-detail": Expect(TASKING, kwargs=pk("meeting")),
    "tasking:meeting-build": Expect({R.POLICE_SUPERVISOR}, kwargs=pk("meeting")),
    "tasking:meeting-reorder": Expect({R.POLICE_SUPERVISOR}, kwargs=pk("meeting")),
    "tasking:item-create": Expect({R.POLICE_SUPERVISOR}, kwargs=pk("meeting")),
    "tasking:meeting-minutes": Expect(
        TASKING, kwargs=lambda world: {"pk": _world(world)["meeting"], "fmt": "docx"}
    ),
    "tasking:meeting-minutes-page": Expect(TASKING, kwargs=pk("meeting")),
    "tasking:meeting-agenda-paper": Expect(
        TASKING, kwargs=lambda world: {"pk": _world(world)["meeting"], "fmt": "pdf"}
    ),
    "tasking:item-detail": Expect(TASKING, kwargs=pk("item")),
    "tasking:item-move": Expect({R.POLICE_SUPERVISOR}, kwargs=pk("item")),
    "tasking:item-defer": Expect({R.POLICE_SUPERVISOR}, kwargs=pk("item")),
    "tasking:item-action-create": Expect({R.POLICE_SUPERVISOR}, kwargs=pk("item")),
    "tasking:owner-options": Expect(POLICE | {R.MACE_CHAIR}),
    "tasking:schedule": Expect(TASKING),
    "tasking:schedule-export": Expect(TASKING, kwargs=lambda world: {"fmt": "csv"}),
    "tasking:my-actions": Expect(TASKING),
    "tasking:export-list": Expect(TASKING),
    "tasking:export-download": Expect(set(), kwargs=pk("export_job")),
    "tasking:agency-actions": Expect(TASKING),
    "tasking:action-detail": Expect(ACTION_SEERS, kwargs=pk("action")),
    "tasking:action-update": Expect(ACTION_SEERS, kwargs=pk("action")),
    "tasking:action-complete": Expect(ACTION_SEERS, kwargs=pk("action")),
    "tasking:action-due-date": Expect(ACTION_SEERS, kwargs=pk("action")),
    "tasking:notifications": Expect(TASKING),
    "tasking:notifications-read": Expect(TASKING, method="post"),
    "tasking:routes": Expect(CHAIRS),
    "tasking:plan-list": Expect(TASKING),
    "tasking:plan-create": Expect(POLICE),
    "tasking:plan-detail": Expect(PLAN_SEERS, kwargs=pk("plan")),
    "tasking:plan-tactic-add": Expect(POLICE, kwargs=pk("plan")),
    "tasking:tactic-list": Expect(TASKING),
    "tasking:tactic-edit": Expect(CHAIRS, kwargs=pk("tactic")),
    "tasking:operation-list": Expect(POLICE),
    "tasking:operation-create": Expect(POLICE),
    "tasking:operation-detail": Expect(POLICE, kwargs=pk("operation")),
    "tasking:charge-list": Expect(POLICE),
    "tasking:charge-create": Expect(POLICE),
}
