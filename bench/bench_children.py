"""Children: a child's page with a long chronology, and the caseload list at national scale.

Loads the demo at national scale (20,000 children with their linked records), adds one child
with 500 linked events (contacts from intake submissions, the submissions themselves,
assessments, missing episodes, service referrals and tasking actions), then times the two pages
a social worker opens most. Target: p95 under 300 ms on PostgreSQL.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bench import common
from lantern.accounts.models import User
from lantern.children.models import (
    Child,
    Contact,
    ContactRoute,
    Episode,
    MissingEpisode,
    Service,
    ServiceReferral,
)
from lantern.core.testing import sign_in
from lantern.intake.models import Submission
from lantern.risk.models import RiskAssessment, RiskToolVersion
from lantern.tasking.models import Action


def run() -> None:
    # LANTERN_BENCH_SCALE=borough measures on the borough demo (minutes to load, not the
    # national demo's hour); its figures go to children-borough-<vendor>.json.
    scale = os.environ.get("LANTERN_BENCH_SCALE", "national")
    # At national scale only the borough and the children generators run (20,000 children in
    # about ten minutes); the other apps' national data took over an hour to load, and the
    # timed child's submissions and actions are found through indexed keys (the submission
    # reference, the action's origin), so their cost does not grow with those tables.
    only = "borough,children" if scale == "national" else ""
    started = time.perf_counter()
    call_command("demo", no_serve=True, scale=scale, verbosity=0, only=only)
    load_seconds = time.perf_counter() - started
    worker = User.objects.get(username="socialworker")
    child = _child_with_events(worker, 500)
    client = Client()
    sign_in(client, worker)
    assert client.get(f"/children/{child.pk}/").status_code == 200
    page = client.get(f"/children/{child.pk}/").content.decode()
    rows = page.count('<tr class="govuk-table__row">')
    assert "CH-BENCHSUB-0" in page and "Bench action 0" in page, "linked records not shown"
    child_page = common.timed(lambda: client.get(f"/children/{child.pk}/"), repeat=40)
    caseload = common.timed(lambda: client.get("/children/"), repeat=40)
    caseload_high = common.timed(lambda: client.get("/children/?level=high&page=3"), repeat=40)
    common.write(
        "children" if scale == "national" else f"children-{scale}",
        {
            "demo_load_seconds": round(load_seconds, 2),
            "child_page_500_events": child_page,
            "caseload_list_first_page": caseload,
            "caseload_list_high_risk_page_3": caseload_high,
        },
        {
            "scale": scale,
            "generators": only or "all",
            "children": Child.objects.count(),
            "open_episodes": Episode.objects.filter(closed_on__isnull=True).count(),
            "risk_assessments": RiskAssessment.objects.count(),
            "missing_episodes": MissingEpisode.objects.count(),
            "events_on_timed_child": 500,
            "table_rows_on_timed_page": rows,
        },
    )


def _child_with_events(worker, events: int) -> Child:
    """One child with `events` linked records: contacts, assessments, missing episodes and
    service referrals in equal parts (plus the episode and allocation)."""
    now = timezone.now()
    today = timezone.localdate()
    child = Child.objects.create(
        reference="CH-BENCH01",
        first_name="Bench",
        last_name="Child",
        date_of_birth=today - timedelta(days=15 * 365),
        gender="female",
        ethnicity="not_stated",
        created_by=worker,
        created_at=now,
        is_open=True,
    )
    Episode.objects.create(child=child, opened_on=today, cse_role="lead", opened_by=worker)
    part = events // 6
    submissions = Submission.objects.bulk_create(
        Submission(
            reference=f"CH-BENCHSUB-{i}",
            idempotency_token=uuid.uuid4(),
            source="partner",
            route="specific_child",
            narrative="Concern about a child",
            received_at=now - timedelta(days=i, hours=2),
        )
        for i in range(part)
    )
    Contact.objects.bulk_create(
        Contact(
            child=child,
            received_on=today - timedelta(days=i),
            route=ContactRoute.INTAKE,
            intake_reference=submission.reference,
            source="Single point of entry",
            summary="Concern",
            recorded_by=worker,
        )
        for i, submission in enumerate(submissions)
    )
    version = RiskToolVersion.objects.get(tool__code="cse-screening", status="active")
    RiskAssessment.objects.bulk_create(
        RiskAssessment(
            version=version,
            child=child,
            assessed_on=today - timedelta(days=i),
            assessed_by=worker,
            score=i % 12,
            computed_level=["none", "low", "medium", "high"][i % 4],
            created_at=now,
        )
        for i in range(part)
    )
    missing = MissingEpisode.objects.bulk_create(
        MissingEpisode(
            child=child,
            reported_at=now - timedelta(days=i, hours=5),
            found_at=now - timedelta(days=i),
            where_found="Home",
            risk_level="medium",
            recorded_by=worker,
        )
        for i in range(part)
    )
    service = Service.objects.get(code="camhs")
    ServiceReferral.objects.bulk_create(
        ServiceReferral(
            child=child, service=service, referred_on=today - timedelta(days=i), referred_by=worker
        )
        for i in range(part)
    )
    # Tasking actions answering the child's missing episodes, owned by the social worker.
    episode_type = ContentType.objects.get_for_model(MissingEpisode)
    Action.objects.bulk_create(
        Action(
            origin_type=episode_type,
            origin_id=str(missing[i % len(missing)].pk),
            route="mace",
            title=f"Bench action {i}",
            owning_agency=worker.agency,
            owner=worker,
            due_on=today + timedelta(days=7),
            created_by=worker,
            created_at=now - timedelta(days=i),
        )
        for i in range(events - 5 * part)
    )
    return child
