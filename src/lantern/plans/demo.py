"""Demo data: a fictional Northmere CSE delivery plan 2025-28, with history and two versions.

Every objective, action, name and recommendation here is invented for the fictional borough.
The dates below are written as if today were mid-April 2026 and moved forward (or back) by
whole months to the day the demo is loaded, so the plan always looks part-way through: a few
actions overdue, most on track, some complete.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from lantern.demo.registry import DemoContext
from lantern.plans import services, versions
from lantern.plans.models import Brag, Strategy

WRITTEN_AS_AT = date(2026, 4, 15)

STRATEGY_NAME = "Northmere CSE delivery plan 2025-28"
GOVERNANCE = (
    "The plan belongs to the Northmere safeguarding children partnership. The Child "
    "Exploitation Delivery Group, chaired by the police district commander, oversees it and "
    "reports each quarter to the partnership executive. The council's children and young "
    "people scrutiny panel reviews progress twice a year."
)
VISION = "Seeing the child first: every child in Northmere safe from exploitation."

# (priority, objective ref, objective title, [(action, lead key, due "YYYY-MM", history)])
# history: BRAG ratings in order, the first before version 1.0, the last now.
PLAN = [
    (
        "Leadership",
        "1.1",
        "The partnership owns the strategy: clear governance, scrutiny and a plan everyone "
        "can read.",
        [
            (
                "Publish the strategy as a plan on a page with governance first",
                "pm",
                "2025-09",
                "gb",
            ),
            (
                "Report delivery plan progress to the partnership executive each quarter",
                "pm",
                "2027-03",
                "gg",
            ),
            (
                "Agree a scrutiny timetable with the children and young people scrutiny panel",
                "sc",
                "2025-12",
                "ga",
            ),
            (
                "Refresh the multi-agency learning and development offer on exploitation",
                "ld",
                "2026-06",
                "gg",
            ),
        ],
    ),
    (
        "Prevent",
        "2.1",
        "Children, families and communities recognise the signs of exploitation and know how "
        "to report them.",
        [
            (
                "Run a borough-wide awareness campaign on social media and community radio",
                "cm",
                "2026-03",
                "ga",
            ),
            (
                "Deliver healthy relationships sessions in every secondary school and the "
                "pupil referral unit",
                "ed",
                "2026-07",
                "gg",
            ),
            (
                "Train taxi and private hire drivers to recognise and report exploitation",
                "li",
                "2025-11",
                "gb",
            ),
            (
                "Work with faith and community groups on outreach in every ward",
                "cm",
                "2026-01",
                "ar",
            ),
            (
                "Brief staff of night-time economy premises on the signs of exploitation",
                "li",
                "2026-09",
                "-g",
            ),
        ],
    ),
    (
        "Prevent",
        "2.2",
        "Information and soft intelligence about exploitation is shared quickly and acted on.",
        [
            (
                "Produce the annual problem profile from partner data and intelligence",
                "po",
                "2025-10",
                "gb",
            ),
            (
                "Open a single point of entry for concerns from partners, councillors and "
                "the public",
                "po",
                "2026-02",
                "gb",
            ),
            (
                "Give every partner who submits information feedback within ten working days",
                "po",
                "2026-05",
                "ga",
            ),
            (
                "Review information sharing agreements with housing and licensing",
                "ho",
                "2027-01",
                "--",
            ),
        ],
    ),
    (
        "Protect",
        "3.1",
        "Children at risk are identified early and protected through MACE.",
        [
            ("Review the MACE terms of reference and thresholds", "cs", "2025-08", "gb"),
            (
                "Complete a return home interview within 72 hours of every missing episode",
                "cs",
                "2026-04",
                "ar",
            ),
            (
                "Audit a sample of child exploitation risk assessments each quarter",
                "qa",
                "2026-12",
                "gg",
            ),
            ("Plan transitional safeguarding for young people turning 18", "as", "2026-10", "ga"),
        ],
    ),
    (
        "Pursue",
        "4.1",
        "Perpetrators are identified, disrupted and brought to justice.",
        [
            (
                "Use child abduction warning notices and civil orders where charges are not "
                "yet possible",
                "pi",
                "2026-09",
                "gg",
            ),
            (
                "Map hot spots each quarter and agree a disruption plan for each",
                "pi",
                "2026-12",
                "gg",
            ),
            (
                "Carry out joint licensing and police visits to hotels and licensed premises",
                "li",
                "2026-06",
                "ga",
            ),
            (
                "Track investigations from report to charge and publish the outcomes",
                "pi",
                "2027-03",
                "--",
            ),
        ],
    ),
    (
        "Provide",
        "5.1",
        "Victims and survivors get support that suits them, for as long as they need it.",
        [
            ("Commission an independent survivor support service", "cm2", "2026-04", "ga"),
            ("Map commissioned and community support for survivors", "cm2", "2025-12", "gb"),
            (
                "Offer a named key worker to each child open to the exploitation team",
                "cs",
                "2026-08",
                "gg",
            ),
            (
                "Agree a pathway from children's to adult services for survivors",
                "as",
                "2026-02",
                "ar",
            ),
        ],
    ),
    (
        "Participation",
        "6.1",
        "The voices of children, young people and survivors shape services.",
        [
            ("Set up a young people's advisory group for the partnership", "yw", "2026-01", "gb"),
            ("Hold survivor listening events twice a year", "yw", "2026-06", "ga"),
            (
                "Publish 'you said, we did' updates after each listening event",
                "pm",
                "2027-02",
                "--",
            ),
            ("Include children's feedback in the quarterly data summary", "po", "2026-09", "gg"),
        ],
    ),
]

# Lead officers: key -> (job title, agency, demo account username or None).
LEADS = {
    "pm": ("Partnership manager", "Northmere Council", "partnership"),
    "sc": ("Scrutiny officer", "Northmere Council", None),
    "ld": ("Learning and development lead", "Northmere Children's Social Care", None),
    "cm": ("Head of communications", "Northmere Council", None),
    "ed": ("Safeguarding lead for schools", "Northmere Schools Safeguarding Service", None),
    "li": ("Licensing officer", "Northmere Licensing Service", "licensing"),
    "po": ("Performance officer", "Northmere Council", "performance"),
    "ho": ("Housing options manager", "Northmere Housing", None),
    "cs": ("Head of child exploitation services", "Northmere Children's Social Care", None),
    "qa": ("Quality assurance manager", "Northmere Children's Social Care", None),
    "as": ("Adult services commissioner", "Northmere Council", None),
    "pi": ("Detective chief inspector", "Northmere Police", None),
    "cm2": ("Commissioning manager", "Northmere Health Partnership", "practitioner"),
    "yw": ("Participation lead", "Lanternlight Young People's Trust", None),
}

RECOMMENDATIONS = [
    (
        "Northmere independent review 2024",
        "recommendation 1",
        "Put governance at the front of the strategy.",
        ["1.1"],
    ),
    ("Northmere independent review 2024", "recommendation 2", "Publish a plan on a page.", ["1.1"]),
    (
        "Northmere independent review 2024",
        "recommendation 3",
        "Give feedback to everyone who reports a concern.",
        ["2.2"],
    ),
    (
        "Northmere independent review 2024",
        "recommendation 4",
        "Hear the voices of adult survivors.",
        ["6.1"],
    ),
    (
        "Northmere independent review 2024",
        "recommendation 5",
        "Evaluate awareness campaigns for their effect.",
        [],
    ),
    (
        "Council motion, June 2025",
        "motion point 2",
        "Train council staff and contractors who work in communities.",
        ["1.1"],
    ),
    ("Council motion, June 2025", "motion point 3", "Run a public information campaign.", ["2.1"]),
    (
        "Council motion, June 2025",
        "motion point 4",
        "Clear actions, deadlines, owners and escalation for reports.",
        ["2.2"],
    ),
    (
        "Council motion, June 2025",
        "motion point 8",
        "An exit strategy for children leaving exploitation.",
        [],
    ),
]

LETTERS = {"b": Brag.BLUE, "g": Brag.GREEN, "a": Brag.AMBER, "r": Brag.RED, "-": Brag.NOT_RATED}
EVIDENCE = {
    Brag.BLUE: "Completed and signed off by the delivery group.",
    Brag.GREEN: "On track: work is under way and the lead has reported progress.",
    Brag.AMBER: "At risk: the due month may be missed; the lead has agreed remedial steps.",
    Brag.RED: "Off target: escalated to the partnership executive for extra resources.",
}


def generate(ctx: DemoContext) -> str:
    """Build the plan, rate it, publish version 1.0, move some ratings on, publish 1.1."""
    if Strategy.objects.filter(name=STRATEGY_NAME).exists():
        return "already loaded"
    accounts = {u.username: u for u in ctx.made.get("accounts", [])}
    today = timezone.localdate()
    shift = (today.year - WRITTEN_AS_AT.year) * 12 + today.month - WRITTEN_AS_AT.month
    manager = accounts.get("partnership") or "lantern demo"
    strategy = services.create_strategy(
        manager,
        name=STRATEGY_NAME,
        start_year=2025,
        end_year=2028,
        governance=GOVERNANCE,
        vision=VISION,
    )
    leads = {}
    for key, (job_title, agency, username) in LEADS.items():
        user = accounts.get(username) if username else None
        name = user.full_name if user else ctx.faker.name()
        leads[key] = services.save_lead_officer(
            manager,
            strategy,
            name=name,
            job_title=job_title,
            agency=agency,
            email="" if user else f"lead.{key}@northmere.example",
            user=user,
        )
    objectives, actions = {}, []
    for priority_name, ref, title, rows in PLAN:
        priority = strategy.priorities.get(name=priority_name)
        objectives[ref] = services.save_objective(
            manager, strategy, priority=priority, ref=ref, title=title
        )
        for text, lead_key, due, history in rows:
            year, month = (int(p) for p in due.split("-"))
            action = services.create_action(
                manager,
                objectives[ref],
                text=text,
                lead=leads[lead_key],
                due=_months_later(date(year, month, 1), shift),
            )
            actions.append((action, history))
    for source, reference, text, refs in RECOMMENDATIONS:
        recommendation = services.save_recommendation(
            manager, strategy, source=source, reference=reference, text=text
        )
        for ref in refs:
            first = objectives[ref].actions.order_by("pk").first()
            first.recommendations.add(recommendation)
    _rate(manager, actions, 0, _at(date(2025, 9, 15), shift))
    versions.publish_version(
        manager,
        strategy,
        comment="Delivery plan approved by the delivery group",
        now=_at(date(2025, 9, 30), shift),
    )
    _rate(manager, actions, 1, _at(date(2026, 3, 12), shift))
    versions.publish_version(
        manager,
        strategy,
        comment="BRAG rating updates from action leads",
        now=_at(date(2026, 3, 31), shift),
    )
    return f"1 strategy, {len(objectives)} objectives, {len(actions)} actions, 2 versions"


def _rate(actor, actions, step: int, now: datetime) -> None:
    for action, history in actions:
        brag = LETTERS[history[step]]
        if brag == action.brag:
            continue
        action.refresh_from_db()
        services.record_progress(
            actor,
            action,
            expected_version=action.version,
            brag=brag,
            evidence=EVIDENCE.get(brag, ""),
            on=now.date(),
            now=now,
        )


def _months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=min(day.day, 28))


def _at(day: date, shift: int) -> datetime:
    return timezone.make_aware(datetime.combine(_months_later(day, shift), time(10, 0)))
