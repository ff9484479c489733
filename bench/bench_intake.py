"""Single point of entry: the queue, a submission page and its trace page, at borough scale and
at national scale (500,000 submissions; set LANTERN_BENCH_INTAKE_NATIONAL to another number to
measure at a smaller size on a slow machine). Run on PostgreSQL with DATABASE_URL set.

Strands (issue 14, `run_strands`): the trace page of one strand that has been on 40 agenda items
and had 60 actions, and the trace matrix filtered by a reporter who has 10,000 strands among
40,000 pieces of information; target p95 under 300 ms. LANTERN_BENCH_INTAKE_PARTS chooses
"pages", "strands" or both (the default)."""

from __future__ import annotations

import itertools
import os
import time
from random import Random

from django.core.management import call_command
from django.test import Client
from faker import Faker

from bench import common
from lantern.accounts.models import User
from lantern.core.models import Ward
from lantern.core.testing import sign_in
from lantern.demo.registry import DemoContext
from lantern.intake import demo
from lantern.intake.models import Submission, TraceEvent

REPEAT = 40


def run() -> None:
    parts = os.environ.get("LANTERN_BENCH_INTAKE_PARTS", "pages,strands").split(",")
    if "strands" in parts:
        run_strands()
    if "pages" in parts:
        run_pages()


def run_pages() -> None:
    if not User.objects.filter(username="admin").exists():
        call_command("demo", no_serve=True, scale="borough", verbosity=0)
    figures = {"borough": _measure()}
    sizes = {"borough_submissions": Submission.objects.count()}

    target = int(os.environ.get("LANTERN_BENCH_INTAKE_NATIONAL", 500_000))
    started = time.perf_counter()
    _top_up(target)
    figures["national_load_seconds"] = round(time.perf_counter() - started, 1)
    _analyse()
    figures["national"] = _measure()
    sizes["national_submissions"] = Submission.objects.count()
    sizes["national_trace_events"] = TraceEvent.objects.count()
    common.write("intake", figures, sizes)


def _measure() -> dict:
    client = Client()
    sign_in(client, User.objects.get(username="analyst"))
    sample = list(
        Submission.objects.order_by("?").values_list("reference", flat=True)[: REPEAT + 1]
    )
    details = itertools.cycle(f"/intake/{ref}/" for ref in sample)
    traces = itertools.cycle(f"/intake/{ref}/trace/" for ref in sample)
    ward = Ward.objects.order_by("name").first()
    queue_with = {
        # The queue as officers triage it (issue 20): by ward, by source, past the target,
        # sorted by a column. Each measured on its own, from a fresh set of remembered filters.
        "queue_ward": f"/intake/queue/?ward={ward.pk}",
        "queue_source": "/intake/queue/?source=councillor",
        "queue_overdue": "/intake/queue/?clock=overdue",
        "queue_sorted_by_ward": "/intake/queue/?sort=ward",
        "queue_unassigned_sorted_newest": "/intake/queue/?show=unassigned&sort=-received",
    }
    return {
        **{
            name: common.timed(lambda url=url: _ok(client.get(url)), REPEAT)
            for name, url in queue_with.items()
        },
        "queue_page": common.timed(lambda: _ok(client.get("/intake/queue/?clear=1")), REPEAT),
        "submission_page": common.timed(lambda: _ok(client.get(next(details))), REPEAT),
        "trace_page": common.timed(lambda: _ok(client.get(next(traces))), REPEAT),
    }


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def _top_up(target: int) -> None:
    """Add demo submissions (bulk, no mentions for most) until there are `target` of them."""
    missing = target - Submission.objects.count()
    if missing <= 0:
        return
    names = ("analyst", "councillor", "public", "practitioner", "licensing")
    accounts = list(User.objects.filter(username__in=names))
    faker = Faker("en_GB")
    faker.seed_instance(7)
    ctx = DemoContext(
        scale="national",
        rng=Random(7),
        faker=faker,
        made={"accounts": accounts, "staff": [], "wards": list(Ward.objects.all())},
    )
    demo.SIZES["bench"] = (missing, 1095)
    ctx.scale = "bench"
    demo.generate(ctx)


def _analyse() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- Strands (issue 14) ----------------------------------------------------------------------

STRAND_ITEMS, STRAND_ACTIONS = 40, 60
REPORTER_STRANDS, OTHER_PIECES, STRANDS_PER_DOCUMENT = 10_000, 30_000, 4


def run_strands() -> None:
    """The trace of a long-worked strand and the trace matrix for one reporter's strands."""
    from lantern.intake.open_work import open_work_for

    users = _strand_users()
    started = time.perf_counter()
    strand = _worked_strand(users)
    _reporter_strands(users["councillor"])
    _analyse()
    load = round(time.perf_counter() - started, 1)

    analyst, supervisor, partner = Client(), Client(), Client()
    sign_in(analyst, users["analyst"])
    sign_in(supervisor, users["supervisor"])
    sign_in(partner, users["partner"])
    trace_url = f"/intake/{strand.reference}/trace/"
    matrix_url = "/intake/trace-matrix/?reporter=bench.councillor"
    page = supervisor.get(matrix_url).content.decode()
    assert f"{REPORTER_STRANDS:,}" in page or str(REPORTER_STRANDS) in page, "matrix count"
    figures = {
        "load_seconds": load,
        "strand_trace_page": common.timed(lambda: _ok(analyst.get(trace_url)), REPEAT),
        "strand_detail_page": common.timed(
            lambda: _ok(analyst.get(f"/intake/{strand.reference}/")), REPEAT
        ),
        "strand_partner_view": common.timed(
            lambda: _ok(partner.get(f"/intake/{strand.reference}/")), REPEAT
        ),
        "open_work_for_strand": common.timed(lambda: open_work_for(strand), REPEAT),
        "trace_matrix_by_reporter": common.timed(lambda: _ok(supervisor.get(matrix_url)), REPEAT),
        "trace_matrix_by_reporter_open_over_30_days": common.timed(
            lambda: _ok(supervisor.get(matrix_url + "&open_closed=open&days_open_over=30")),
            REPEAT,
        ),
    }
    sizes = {
        "pieces_of_information": Submission.objects.filter(is_piece=True).count(),
        "reporter_strands": Submission.objects.filter(
            submitted_by=users["councillor"], is_piece=True
        ).count(),
        "strand_trace_events": strand.trace.count(),
        "strand_agenda_items": STRAND_ITEMS,
        "strand_actions": STRAND_ACTIONS,
        "trace_events": TraceEvent.objects.count(),
    }
    common.write("intake-strands", figures, sizes)


def _strand_users() -> dict:
    from lantern.accounts.models import AgencyKind
    from lantern.accounts.roles import Role
    from lantern.core.testing import AgencyFactory, make_user

    police = AgencyFactory(name="Bench police", kind=AgencyKind.POLICE)
    health = AgencyFactory(name="Bench health", kind=AgencyKind.HEALTH)
    return {
        "analyst": make_user(Role.POLICE_INTELLIGENCE, agency=police, username="bench.analyst"),
        "supervisor": make_user(Role.POLICE_SUPERVISOR, agency=police, username="bench.chair"),
        "partner": make_user(Role.PARTNER_PRACTITIONER, agency=health, username="bench.partner"),
        "councillor": make_user(Role.COUNCILLOR, username="bench.councillor"),
        "police": police,
        "health": health,
    }


def _worked_strand(users) -> Submission:
    """A councillor's document split into strands, one of which went to tasking and was
    kept on the schedule at 40 meetings with 60 actions, each on its trace as tasking writes it."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from lantern.intake import strands
    from lantern.intake.tests.factories import make_submission, move_to
    from lantern.tasking.models import (
        Action,
        ActionStatus,
        AgendaItem,
        ItemStatus,
        Meeting,
        MeetingSeries,
        MeetingType,
    )

    now = timezone.now()
    start = now - timedelta(weeks=STRAND_ITEMS + 2)
    analyst = users["analyst"]
    document = make_submission(
        users["councillor"], source="councillor", now=start, shared_with=[users["health"]]
    )
    move_to(document, "assigned", analyst, now=start)
    made = strands.split_submission(
        analyst,
        document,
        strands=[
            strands.NewStrand(summary=f"Concern {n}", partner_summary=f"Concern {n}")
            for n in range(1, 4)
        ],
        expected_version=document.version,
        now=start,
    )
    strand = move_to(made[0], "decided", analyst, now=start)
    strand.shared_with.add(users["health"])
    series = MeetingSeries.objects.create(
        name="Bench tasking group",
        meeting_type=MeetingType.TASKING_GROUP,
        first_meeting_on=start.date(),
        chair=users["supervisor"],
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(series=series, held_on=(start + timedelta(weeks=w)).date())
        for w in range(STRAND_ITEMS)
    )
    ct = ContentType.objects.get_for_model(Submission)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=m,
            title=f"{strand.reference}: 2/B/P",
            partner_summary="Concern 1",
            source_type=ct,
            source_id=str(strand.pk),
            status=ItemStatus.CLOSED if n == STRAND_ITEMS - 1 else ItemStatus.KEPT_ON,
            discussion="Discussed; kept on the schedule.",
        )
        for n, m in enumerate(meetings)
    )
    Action.objects.bulk_create(
        Action(
            origin_type=ct,
            origin_id=str(strand.pk),
            meeting=meetings[n % STRAND_ITEMS],
            route=MeetingType.TASKING_GROUP,
            title=f"Bench action {n}",
            owning_agency=users["police"],
            owner=analyst,
            due_on=(start + timedelta(days=7 * (n % STRAND_ITEMS) + 14)).date(),
            status=ActionStatus.OPEN if n % 10 == 0 else ActionStatus.COMPLETED,
            created_at=start,
        )
        for n in range(STRAND_ACTIONS)
    )
    events = []
    for n, item in enumerate(items):
        at = start + timedelta(weeks=n, hours=11)
        events.append(
            TraceEvent(
                submission=strand,
                at=at,
                kind="agenda",
                actor=users["supervisor"],
                actor_label="Bench chair",
                summary="Bench tasking group: kept on the schedule",
                reason="Decision: keep on the schedule\nDiscussion: discussed",
                details={
                    "partner": "Discussed at the tasking group: kept on the schedule",
                    "item": item.pk,
                },
            )
        )
    for n in range(STRAND_ACTIONS):
        at = start + timedelta(weeks=n % STRAND_ITEMS, hours=12)
        events.append(
            TraceEvent(
                submission=strand,
                at=at,
                kind="action",
                actor=users["supervisor"],
                actor_label="Bench chair",
                summary=f"Tasking action for Bench police: action {n}",
                details={"partner": "Action for Bench police", "event": "created"},
            )
        )
    TraceEvent.objects.bulk_create(events)
    return strand


def _reporter_strands(councillor) -> None:
    """10,000 strands of one councillor's documents among 40,000 pieces of information."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from lantern.intake.models import Status

    now = timezone.now()
    documents = Submission.objects.bulk_create(
        Submission(
            reference=f"BEN-D-{n:06d}",
            idempotency_token=uuid.uuid4(),
            source="councillor",
            submitted_by=councillor,
            narrative="A bench document",
            received_at=now - timedelta(hours=n),
            is_piece=False,
            status=Status.ASSIGNED,
        )
        for n in range(REPORTER_STRANDS // STRANDS_PER_DOCUMENT)
    )
    statuses = [Status.ASSIGNED, Status.GRADED, Status.DECIDED, Status.CONCLUDED]
    rows = []
    for d, document in enumerate(documents):
        for k in range(1, STRANDS_PER_DOCUMENT + 1):
            status = statuses[(d + k) % 4]
            rows.append(
                Submission(
                    reference=f"{document.reference}-S{k}",
                    idempotency_token=uuid.uuid4(),
                    source="councillor",
                    submitted_by=councillor,
                    narrative="A bench strand",
                    received_at=document.received_at,
                    original=document,
                    strand_number=k,
                    status=status,
                    decision="tasking" if status in (Status.DECIDED, Status.CONCLUDED) else "",
                    outcome="acted_on" if status == Status.CONCLUDED else "",
                    concluded_at=document.received_at + timedelta(days=20)
                    if status == Status.CONCLUDED
                    else None,
                )
            )
    Submission.objects.bulk_create(rows, batch_size=2000)
    Submission.objects.bulk_create(
        (
            Submission(
                reference=f"BEN-O-{n:06d}",
                idempotency_token=uuid.uuid4(),
                source="partner",
                narrative="Another reporter's item",
                received_at=now - timedelta(minutes=n),
            )
            for n in range(OTHER_PIECES)
        ),
        batch_size=2000,
    )
