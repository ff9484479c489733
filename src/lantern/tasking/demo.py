"""Demo data for tasking: meeting series, a few months of meetings with items and actions (some
overdue and escalated), disruption plans and a register of fictional operations.

At national scale it adds bulk open actions (100,000) for the benchmarks. Everything is
invented for the fictional borough of Northmere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from lantern.accounts.models import AgencyKind, User
from lantern.demo.registry import DemoContext
from lantern.tasking import disruption, services
from lantern.tasking.escalation import run_tick
from lantern.tasking.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Charge,
    ItemStatus,
    MeetingStatus,
    MeetingType,
    Operation,
    Priority,
    Tactic,
)

WEEKS_OF_HISTORY = 16
NATIONAL_OPEN_ACTIONS = 100_000

CONCERNS = [
    (
        "Vehicle seen repeatedly outside a school in {ward}",
        "A car seen several times near a school at home time.",
        "Registration {reg}: driver believed to give lifts to girls aged 13 to 15.",
    ),
    (
        "Gatherings of young people and adults at {ward} park",
        "Older adults meeting young people in the park after dark.",
        "Two adults known to intelligence seen supplying alcohol; one linked to {reg}.",
    ),
    (
        "Hotel in {ward}: young people checked in by adults",
        "Concerns about young people at a hotel late at night.",
        "Staff report a room booked in cash three weekends running; {reg} in the car park.",
    ),
    (
        "Takeaway in {ward}: children seen late at night",
        "Children seen at a takeaway late at night, some in school uniform.",
        "Manager thought to pass phones to children; staff vehicle {reg}.",
    ),
    (
        "Flat in {ward} used as a meeting place",
        "A flat where young people are reported to go after school.",
        "Tenant linked to county lines; visitors arrive in {reg}.",
    ),
    (
        "Taxi driver offering free rides in {ward}",
        "A taxi driver offering free rides to teenagers.",
        "Private hire vehicle {reg}; driver's licence renewal due next month.",
    ),
]
ACTIONS = [
    ("Check the vehicle against the licensing register", AgencyKind.LICENSING),
    ("Add the location to neighbourhood patrol plans", AgencyKind.POLICE),
    ("Speak to the school's designated safeguarding lead", AgencyKind.EDUCATION),
    ("Offer a sexual health appointment to the young person", AgencyKind.HEALTH),
    ("Visit the family and update the child's plan", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Check the tenancy and warn the tenant", AgencyKind.HOUSING),
    ("Detached youth work session at the location", AgencyKind.YOUTH_SERVICE),
    ("Outreach worker to make contact", AgencyKind.VOLUNTARY),
]
RESULTS = [
    "Done: nothing further found.",
    "Done: information passed to the intelligence unit.",
    "Done: young person engaged and offered support.",
    "Done: licence holder spoken to and warned.",
]
# Invented names: none is a real operation.
OPERATIONS = [
    ("Operation Harebell", "Hotels and short-let flats in the town centre."),
    ("Operation Tidewater", "Taxi and private hire vehicles seen near schools."),
    ("Operation Slatefern", "A group of adults linked to several missing episodes."),
    ("Operation Quillwort", "Takeaways open late in the east of the borough."),
]


def generate(ctx: DemoContext) -> str:
    """Create tasking's demo data; returns a one-line summary."""
    now = timezone.now()
    today = timezone.localdate(now)
    accounts = {u.username: u for u in ctx.made.get("accounts", [])}
    if "supervisor" not in accounts:
        return "skipped: no demo accounts"
    disruption.ensure_default_tactics()
    people = _people_by_agency(ctx)
    _give_staff_managers(people)
    wards = [w.name for w in ctx.made.get("wards", [])] or ["Northmere Central"]
    series = _series(ctx, accounts, today)
    items = actions = 0
    for s in series:
        i, a = _history(ctx, s, people, wards, today)
        items, actions = items + i, actions + a
    for s in series:
        upcoming = services.next_meeting(s, today)
        if upcoming:
            services.build_agenda(s.chair, upcoming, now=now)
    plans = _plans(ctx, accounts, people, today, now)
    _operations(accounts, today)
    charged = _charges(ctx, accounts, today, now)
    bulk = _national_actions(ctx, series[0], people, today, now) if ctx.scale == "national" else 0
    from lantern.tasking.demo_strands import reopen_concluded_with_open_work

    reopen_concluded_with_open_work()
    ticked = run_tick(now)
    return (
        f"{len(series)} meeting series, {items} items, {actions + bulk} actions, "
        f"{plans} disruption plans, {len(OPERATIONS)} operations, {charged} charges; "
        f"tick: {ticked}"
    )


def _people_by_agency(ctx) -> dict[str, list[User]]:
    people: dict[str, list[User]] = {}
    users = User.objects.filter(is_active=True, agency__isnull=False).select_related("agency")
    for user in users.order_by("pk"):
        people.setdefault(user.agency.kind, []).append(user)
    return people


def _give_staff_managers(people) -> None:
    """So the second level of escalation reaches a manager: the first of each kind manages."""
    for users in people.values():
        if len(users) > 1:
            head = users[0]
            User.objects.filter(pk__in=[u.pk for u in users[1:]], manager__isnull=True).exclude(
                pk=head.pk
            ).update(manager=head)


# Who sits at each table in a borough like Northmere: no series has every agency, so what a
# partner sees of an agenda depends on the series their agency (or they) belong to.
SERIES_MEMBERS = {
    MeetingType.TASKING_GROUP: {
        AgencyKind.POLICE,
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.HEALTH,
        AgencyKind.EDUCATION,
        AgencyKind.LICENSING,
        AgencyKind.HOUSING,
        AgencyKind.YOUTH_JUSTICE,
    },
    MeetingType.MACE: {
        AgencyKind.POLICE,
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.HEALTH,
        AgencyKind.EDUCATION,
        AgencyKind.YOUTH_JUSTICE,
        AgencyKind.VOLUNTARY,
    },
    MeetingType.GAP: {
        AgencyKind.POLICE,
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.EDUCATION,
        AgencyKind.YOUTH_SERVICE,
        AgencyKind.VOLUNTARY,
    },
    MeetingType.OPERATIONAL_MANAGERS: {
        AgencyKind.POLICE,
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.HEALTH,
        AgencyKind.EDUCATION,
        AgencyKind.HOUSING,
        AgencyKind.YOUTH_JUSTICE,
    },
}


def _series(ctx, accounts, today):
    agencies = ctx.made.get("agencies", {})
    start = today - timedelta(days=today.weekday() + 7 * WEEKS_OF_HISTORY)
    plan = [
        ("Northmere Child Exploitation Tasking Group", MeetingType.TASKING_GROUP, "supervisor", 0),
        ("Northmere MACE", MeetingType.MACE, "macechair", 2),
        ("Northmere GAP meeting", MeetingType.GAP, "macechair", 3),
        ("Northmere Operational Managers Group", MeetingType.OPERATIONAL_MANAGERS, "supervisor", 4),
    ]
    made = []
    for name, kind, chair, offset in plan:
        members = [a for a in agencies.values() if a.kind in SERIES_MEMBERS[kind]]
        member_ids = {a.pk for a in members}
        series = services.create_series(
            "lantern demo",
            name=name,
            meeting_type=kind,
            first_meeting_on=start + timedelta(days=offset),
            chair=accounts[chair],
            member_agencies=members,
            members=[u for u in accounts.values() if u.agency_id in member_ids],
        )
        services.generate_meetings("lantern demo", series, until=today + timedelta(days=28))
        made.append(series)
    return made


def _history(ctx, series, people, wards, today) -> tuple[int, int]:
    """Past meetings with items recorded and actions given; returns (items, actions)."""
    rng = ctx.rng
    items = actions = 0
    past = list(series.meetings.filter(held_on__lt=today).order_by("held_on"))
    limit = series.item_limit or 5
    for meeting in past:
        meeting_now = _at(meeting.held_on, 10)
        services.build_agenda(series.chair, meeting, now=meeting_now)
        for _ in range(max(0, min(limit, rng.randint(2, 5)) - meeting.items.count())):
            title, safe, full = rng.choice(CONCERNS)
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXY") for _ in range(3))
            reg = f"NM{rng.randint(10, 74)} {letters}"
            ward = rng.choice(wards)
            services.add_item(
                series.chair,
                meeting,
                title=title.format(ward=ward),
                partner_summary=safe,
                full_summary=full.format(reg=reg),
            )
        for item in meeting.items.filter(status=ItemStatus.TO_DISCUSS):
            actions += _record(ctx, series, meeting, item, people, meeting_now, today)
            items += 1
    return items, actions


def _record(ctx, series, meeting, item: AgendaItem, people, meeting_now, today) -> int:
    rng = ctx.rng
    closing = rng.random() < 0.35
    services.record_item(
        series.chair,
        item,
        expected_version=item.version,
        discussion="Partners shared what they know; the picture is still developing.",
        decisions="Actions agreed below." if not closing else "No further action.",
        outcome=ItemStatus.CLOSED if closing else ItemStatus.KEPT_ON,
        closure_reason="eliminated" if closing else "",
        rationale="Risk no longer present after checks." if closing else "",
        now=meeting_now,
    )
    if closing:
        return 0
    made = 0
    # A handling code C item's actions go only to agencies inside its conditions (or police).
    cleared = {a.pk for a in item.cleared_agencies.all()} if item.handling_code == "C" else None
    for title, kind in rng.sample(ACTIONS, rng.randint(1, 3)):
        owners = people.get(kind)
        if owners and cleared is not None:
            owners = [o for o in owners if o.agency.is_police or o.agency_id in cleared]
        if not owners:
            continue
        owner = rng.choice(owners[:8])
        due = meeting.held_on + timedelta(days=rng.choice([7, 14, 21]))
        action = services.create_action(
            series.chair,
            title=title,
            description=f"Agreed at {meeting}.",
            owning_agency=owner.agency,
            owner=owner,
            due_on=due,
            priority=rng.choice(Priority.values),
            route=series.meeting_type,
            origin=item,
            meeting=meeting,
            escalation_contact=series.chair,
            now=meeting_now,
        )
        made += 1
        # Most actions are done; some are done late; a few stay open and go overdue.
        if due < today and rng.random() < 0.8:
            done_on = due - timedelta(days=rng.randint(-5, 5))
            done_on = min(done_on, today)
            services.complete_action(
                owner,
                action,
                expected_version=action.version,
                result=rng.choice(RESULTS),
                now=min(_at(done_on, 15), timezone.now()),  # never after the demo's now
            )
    return made


def _plans(ctx, accounts, people, today, now) -> int:
    rng = ctx.rng
    subjects = [
        ("location", "Flat above a takeaway on Millbeck Road"),
        ("vehicle", "Grey people carrier, registration NM61 KTV"),
        ("nominal", "Adult male, 30s, known as 'Jay' (fictional)"),
        ("location", "Short-let apartments at Riverside Quay"),
        ("vehicle", "Private hire saloon, registration NM19 HRP"),
    ]
    tactics = list(Tactic.objects.filter(is_active=True))
    lead = accounts["supervisor"]
    for kind, description in subjects:
        plan = disruption.create_plan(
            lead,
            subject_kind=kind,
            subject_description=description,
            aim="Stop the subject being used to exploit children in Northmere.",
            review_on=today + timedelta(days=rng.randint(7, 42)),
            lead=lead,
            now=now,
        )
        for tactic in rng.sample(tactics, 3):
            owners = people.get(tactic.agency_kind)
            if not owners:
                continue
            owner = rng.choice(owners[:8])
            disruption.add_tactic(
                lead,
                plan,
                tactic=tactic,
                owning_agency=owner.agency,
                owner=owner,
                due_on=today + timedelta(days=rng.randint(3, 28)),
                detail=f"{tactic.name} for this {kind}.",
                now=now,
            )
    return len(subjects)


def _operations(accounts, today) -> None:
    for name, summary in OPERATIONS:
        disruption.create_operation(
            accounts["supervisor"],
            name=name,
            summary=summary,
            started_on=today - timedelta(days=90),
            lead=accounts["supervisor"],
        )


CHARGES = {"borough": 14, "national": 2_000}
OFFENCES = [
    "Sexual activity with a child",
    "Causing or inciting a child to engage in sexual activity",
    "Arranging or facilitating a child sex offence",
    "Meeting a child following sexual grooming",
    "Trafficking a child for sexual exploitation",
    "Being concerned in the supply of a controlled drug",
]


def _charges(ctx, accounts, today, now) -> int:
    """Charges of nominals, most of them for an offence against a child with a CSE referral,
    some within an operation, charged between a month and a year after the child's first
    CSE referral."""
    from lantern.children.models import Referral
    from lantern.risk.models import Nominal

    nominals = list(Nominal.objects.order_by("pk").values_list("pk", flat=True)[:5000])
    if not nominals:
        return 0
    rng = ctx.rng
    first_referrals = list(
        Referral.objects.filter(contact__about_cse=True)
        .values("child_id")
        .annotate(first=Min("referred_on"))
        .order_by("child_id")[:20000]
    )
    operations = list(Operation.objects.order_by("pk"))
    made = []
    for _ in range(CHARGES.get(ctx.scale, CHARGES["borough"])):
        child_id, charged_on = None, today - timedelta(days=rng.randint(7, 700))
        if first_referrals and rng.random() < 0.85:
            referral = rng.choice(first_referrals)
            child_id = referral["child_id"]
            charged_on = min(today, referral["first"] + timedelta(days=rng.randint(30, 400)))
        made.append(
            Charge(
                nominal_id=rng.choice(nominals),
                operation=rng.choice(operations) if operations and rng.random() < 0.6 else None,
                child_id=child_id,
                charged_on=charged_on,
                offence=rng.choice(OFFENCES),
                recorded_by=accounts["supervisor"],
                recorded_at=now,
            )
        )
    Charge.objects.bulk_create(made, batch_size=2000)
    return len(made)


def _national_actions(ctx, series, people, today, now, count=NATIONAL_OPEN_ACTIONS) -> int:
    """Bulk open actions for the benchmarks, spread over the series' past meetings."""
    rng = ctx.rng
    meetings = list(series.meetings.filter(status=MeetingStatus.HELD))
    owners = [u for users in people.values() for u in users]
    made = 0
    with transaction.atomic():
        while made < count:
            batch = []
            for _ in range(min(5000, count - made)):
                owner = rng.choice(owners)
                meeting = rng.choice(meetings)
                title, _ = rng.choice(ACTIONS)
                batch.append(
                    Action(
                        title=title,
                        owning_agency_id=owner.agency_id,
                        owner=owner,
                        due_on=today + timedelta(days=rng.randint(-60, 30)),
                        priority=rng.choice(Priority.values),
                        status=ActionStatus.OPEN,
                        route=series.meeting_type,
                        meeting=meeting,
                        escalation_contact_id=series.chair_id,
                        created_at=now,
                    )
                )
            Action.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)
    refresh_planner_statistics()
    return made


def refresh_planner_statistics() -> None:
    """After a bulk load, let PostgreSQL's planner know the tables' new sizes (as autovacuum
    would, later): without it, it plans for empty tables and sorts 100,000 rows."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Action, AgendaItem):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))
