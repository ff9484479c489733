"""Demo submissions for Northmere across the whole lifecycle, loaded in bulk.

Borough scale: a few thousand submissions over two years. National scale: 500,000 over three
years, for the benchmark, with fewer mentions per submission so the load stays quick.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lantern.demo.registry import DemoContext
from lantern.intake.models import (
    SIGNS,
    Decision,
    HandlingCode,
    HowKnown,
    Outcome,
    ReferenceCounter,
    ReferredChild,
    Route,
    Source,
    Status,
    Submission,
    SubmissionPerson,
    SubmissionPhone,
    SubmissionVehicle,
    TraceEvent,
    TraceKind,
)

SIZES = {"borough": (3000, 730), "national": (500_000, 1095)}
CHUNK = 5000
PLACES = [
    "the car park behind the Market Street shops",
    "the takeaway on Canal Road",
    "the bus station",
    "the park by the leisure centre",
    "a flat above the bookmakers on High Street",
    "the hotel near the ring road",
    "the retail park",
    "the skate park",
]
WHAT = [
    "Saw two girls of about 14 getting into a car with older men late at night.",
    "A boy in school uniform was given a new phone and cash by a man he called a friend.",
    "Young people are going in and out of the flat at all hours; neighbours hear shouting.",
    "Several taxis drop teenagers here after midnight and collect them an hour later.",
    "A pupil has been missing from school and says an older boyfriend buys her alcohol.",
    "An online account keeps messaging children from the local school offering lifts.",
    "Men in a car were seen handing small packages to boys on bikes.",
]
SUMMARIES = [
    "Concern about possible exploitation of young people at a location in the borough.",
    "Information about a vehicle seen with young people late at night.",
    "Information about an online account contacting children.",
]


def generate(ctx: DemoContext) -> str:
    count, days = SIZES.get(ctx.scale, SIZES["borough"])
    accounts = {u.username: u for u in ctx.made.get("accounts", [])}
    analyst = accounts.get("analyst")
    partners = [u for u in ctx.made.get("staff", []) if u.agency_id and not u.agency.is_police]
    partners += [accounts[n] for n in ("practitioner", "licensing") if n in accounts]
    councillor = accounts.get("councillor")
    public = accounts.get("public")
    wards = list(ctx.made.get("wards", []))
    now = timezone.now()
    rich = ctx.scale == "borough"
    made = 0
    # Carry on from references already given out, so a second load never reuses one.
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    while made < count:
        size = min(CHUNK, count - made)
        with transaction.atomic():
            rows = [
                _submission(ctx, now, days, analyst, partners, councillor, public, wards, counters)
                for _ in range(size)
            ]
            Submission.objects.bulk_create(rows, batch_size=1000)
            TraceEvent.objects.bulk_create(
                (e for s in rows for e in _trace(s, analyst)), batch_size=5000
            )
            _shares(rows)
            _referred_children(rows)
            if rich or ctx.rng.random() < 0.2:
                _mentions(ctx, rows, rich)
        made += size
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=y, last=n) for y, n in counters.items()],
        update_conflicts=True,
        unique_fields=["year"],
        update_fields=["last"],
    )
    queries = _member_queries(councillor, analyst, accounts.get("partnership"), now) if rich else 0
    return f"{made} submissions across the lifecycle, {queries} members' queries"


def _member_queries(councillor, analyst, manager, now) -> int:
    """A few of the councillor's queries at different points of the members' protocol: one
    waiting at stage 1, one answered and closed, one taken on to stage 2 and waiting there."""
    from lantern.intake import protocol

    if councillor is None or analyst is None:
        return 0
    items = list(
        Submission.objects.filter(submitted_by=councillor, is_piece=True)
        .filter(received_at__lt=now - timedelta(days=30))
        .order_by("-received_at")[:3]
    )
    texts = [
        "I reported this a month ago and have heard nothing. Has anyone looked at it?",
        "Residents tell me the cars are still there. Was this passed to the tasking group?",
        "Can you tell me whether the school was told about this?",
    ]
    for n, (item, text) in enumerate(zip(items, texts, strict=False)):
        raised = now - timedelta(days=20 - 6 * n)
        query = protocol.raise_query(councillor, item, text=text, now=raised)
        if n == 0:
            continue  # waiting at stage 1 (overdue: the tick moves it on)
        protocol.answer_query(
            analyst,
            query,
            text="Thank you. Your report was looked at by the intelligence unit and is being "
            "acted on. We cannot share details, to protect the people involved.",
            expected_version=query.version,
            now=raised + timedelta(days=2),
        )
        if n == 1:
            protocol.close_query(
                councillor, query, expected_version=query.version, now=raised + timedelta(days=3)
            )
        elif manager is not None:
            protocol.take_to_next_stage(
                councillor,
                query,
                reason="That does not tell me whether the school knows.",
                expected_version=query.version,
                now=raised + timedelta(days=3),
            )
    return len(items)


def _submission(ctx, now, days, analyst, partners, councillor, public, wards, counters):
    rng = ctx.rng
    received = now - timedelta(minutes=rng.randint(5, days * 24 * 60))
    year = timezone.localtime(received).year
    counters[year] = counters.get(year, 0) + 1
    roll = rng.random()
    if roll < 0.6 and partners:
        source, by = Source.PARTNER, rng.choice(partners)
    elif roll < 0.7 and councillor:
        source, by = Source.COUNCILLOR, councillor
    elif roll < 0.8 and public:
        source, by = Source.PUBLIC, public
    else:
        source, by = Source.PUBLIC, None
    route = rng.choices(list(Route.values), weights=[3, 17, 80])[0]
    age = (now - received).days
    # Older submissions have travelled further through the lifecycle.
    stage = 4 if age > 30 or rng.random() < age / 30 else rng.randint(0, 4)
    s = Submission(
        reference=f"LAN-{year}-{counters[year]:06d}",
        idempotency_token=uuid.UUID(int=rng.getrandbits(128), version=4),
        source=source,
        route=route,
        urgent=route == Route.IMMEDIATE_DANGER,
        submitted_by=by,
        submitter_agency_id=by.agency_id if by else None,
        contact_email="" if by else rng.choice(["", "", "reporter@example.org"]),
        narrative=rng.choice(WHAT),
        occurred_on=(received - timedelta(days=rng.randint(0, 5))).date(),
        location=rng.choice(PLACES),
        ward=rng.choice(wards) if wards else None,
        how_known=rng.choice(HowKnown.values),
        signs=rng.sample([c for c, _ in SIGNS], rng.randint(0, 3)),
        received_at=received,
        status=[Status.RECEIVED, Status.ASSIGNED, Status.GRADED, Status.DECIDED, Status.CONCLUDED][
            stage
        ],
    )
    if stage >= 1:
        s.assigned_to, s.assigned_at = analyst, received + timedelta(minutes=rng.randint(5, 600))
    if stage >= 2:
        s.graded_at = s.assigned_at + timedelta(minutes=rng.randint(10, 4000))
        s.source_evaluation = rng.choice("1222223")
        s.intelligence_assessment = rng.choice("ABBCCCDE")
        s.handling_code = HandlingCode.C if rng.random() < 0.2 else HandlingCode.P
        s.handling_conditions = (
            "Not to be shared beyond the tasking group." if s.handling_code == "C" else ""
        )
        s.partner_summary = rng.choice(SUMMARIES)
        s.research_notes = "Checked against existing records; see linked nominals."
    if stage >= 3:
        s.decided_at = s.graded_at + timedelta(hours=rng.randint(1, 96))
        s.decision = rng.choices(list(Decision.values), weights=[55, 15, 5, 25])[0]
        s.decision_rationale = (
            "Below the threshold for action; recorded for the picture."
            if s.decision == Decision.RECORD_ONLY
            else "Meets the threshold."
        )
        s.referred_to = "Neighbouring force" if s.decision == Decision.REFER_ELSEWHERE else ""
    if stage >= 4:
        s.concluded_at = s.decided_at + timedelta(days=rng.randint(1, 40))
        s.outcome = Outcome.RECORDED if s.decision == Decision.RECORD_ONLY else Outcome.ACTED_ON
        s.outcome_notes = (
            "Recorded for the picture." if s.outcome == Outcome.RECORDED else "Acted on."
        )
    # No step of the lifecycle happens after the demo's "now".
    for name in ("assigned_at", "graded_at", "decided_at", "concluded_at"):
        if getattr(s, name) and getattr(s, name) > now:
            setattr(s, name, now)
    return s


CHILD_FIRST = ["Robin", "Sky", "Ellis", "Jordan", "Rowan", "Kit", "Sam", "Alex"]
CHILD_LAST = ["Ashdown", "Brackley", "Corrin", "Dunmere", "Elstow", "Fenwood"]
SCHOOLS = ["Northmere Academy", "St Aldwyn's High School", "Larkfield College", ""]


def _referred_children(rows) -> None:
    """What reporters said about the child on "specific child" reports: some of it, or nothing.
    A random stream of its own per submission, so the rest of the demo is unchanged."""
    import random

    made = []
    for s in rows:
        if s.route != Route.SPECIFIC_CHILD:
            continue
        rng = random.Random(s.reference)
        if rng.random() < 0.25:
            continue  # the reporter knew nothing about who the child is
        made.append(
            ReferredChild(
                submission=s,
                name=f"{rng.choice(CHILD_FIRST)} {rng.choice(CHILD_LAST)}"
                if rng.random() < 0.7
                else "",
                age=str(rng.randint(11, 17)) if rng.random() < 0.6 else "",
                school=rng.choice(SCHOOLS),
                lives_with=rng.choice(["Their mother", "Foster carers", "Their grandparents", ""]),
            )
        )
    ReferredChild.objects.bulk_create(made, batch_size=2000)


def _trace(s, analyst):
    label = str(analyst) if analyst else "Officer"
    reporter = str(s.submitted_by) if s.submitted_by else "Reporter"
    events = [
        TraceEvent(
            submission=s,
            at=s.received_at,
            kind=TraceKind.RECEIVED,
            actor=s.submitted_by,
            actor_label=reporter,
            summary=f"Received from {Source(s.source).label.lower()}",
        ),
    ]
    steps = [
        (s.assigned_at, TraceKind.ASSIGNED, f"Assigned to {label}", ""),
        (s.graded_at, TraceKind.GRADED, f"Graded {s.grade}", ""),
        (
            s.decided_at,
            TraceKind.DECIDED,
            Decision(s.decision).label if s.decision else "",
            s.decision_rationale,
        ),
        (s.concluded_at, TraceKind.CONCLUDED, "Concluded", ""),
    ]
    for at, kind, summary, reason in steps:
        if at:
            events.append(
                TraceEvent(
                    submission=s,
                    at=at,
                    kind=kind,
                    actor=analyst,
                    actor_label=label,
                    summary=summary,
                    reason=reason,
                )
            )
    return events


def _shares(rows):
    through = Submission.shared_with.through
    links = [
        through(submission_id=s.pk, agency_id=s.submitter_agency_id)
        for s in rows
        if s.submitter_agency_id
    ]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)


def _mentions(ctx, rows, rich):
    rng = ctx.rng
    people, vehicles, phones = [], [], []
    for s in rows:
        if rich and rng.random() < 0.6:
            people.append(
                SubmissionPerson(
                    submission=s,
                    name=ctx.faker.name() if rng.random() < 0.4 else "",
                    approximate_age=str(rng.randint(12, 45)),
                    description="Slim build, dark jacket",
                    role=rng.choice(["possible_victim", "possible_perpetrator", "other"]),
                )
            )
        if rng.random() < 0.4:
            letters = rng.choice("ABCDEFGH") + rng.choice("JKLMN") + rng.choice("PRSTU")
            reg = f"NM{rng.randint(10, 99)}{letters}"
            partial = rng.random() < 0.3
            if partial:
                reg = reg[:4] + "?" + reg[5:]
            vehicles.append(
                SubmissionVehicle(
                    submission=s,
                    raw=reg,
                    registration=reg,
                    is_partial=partial,
                    make=rng.choice(["Ford", "Vauxhall", "BMW", "Toyota"]),
                    colour=rng.choice(["black", "silver", "white"]),
                )
            )
        if rich and rng.random() < 0.3:
            # Ofcom's drama range (07700 900000 to 900999): never a real subscriber.
            number = f"+447700900{rng.randint(0, 999):03d}"
            phones.append(SubmissionPhone(submission=s, raw=number, e164=number, is_valid=True))
    SubmissionPerson.objects.bulk_create(people, batch_size=2000)
    SubmissionVehicle.objects.bulk_create(vehicles, batch_size=2000)
    SubmissionPhone.objects.bulk_create(phones, batch_size=2000)
