"""Demo data: a catalogue of partner-entered measures for Northmere, figures for the last eight
quarters, a request waiting for this quarter's figures, and a published report."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from lantern.accounts.models import Agency, User
from lantern.core.periods import quarter_of
from lantern.demo.registry import DemoContext
from lantern.performance import services
from lantern.performance.models import Measure, MeasureValue
from lantern.plans.models import Objective

# (priority, section, name, owning agency, typical quarterly figure, timing). Measure names
# follow the shape of a published data summary; the figures are invented. Only what Lantern
# does not hold the records for is typed in: cases open to the CSE team, contacts about CSE,
# return home interviews and child abduction warning notices are computed from the records
# (see each app's performance_measures.py), so they are not here.
CATALOGUE = [
    (
        "prevent",
        "Training and awareness",
        "Staff trained in child exploitation",
        "Northmere Health Partnership",
        30,
        "flow",
    ),
    (
        "prevent",
        "Training and awareness",
        "School staff and governors trained",
        "Northmere Schools Safeguarding Service",
        20,
        "flow",
    ),
    (
        "prevent",
        "Training and awareness",
        "Pupils involved in awareness sessions",
        "Northmere Schools Safeguarding Service",
        300,
        "flow",
    ),
    (
        "protect",
        "Missing from home or care",
        "Reported runaway incidents in the borough, under 18s",
        "Northmere Police",
        100,
        "flow",
    ),
    ("pursue", "Police", "Arrests", "Northmere Police", 13, "flow"),
    ("pursue", "Police", "Charged with an offence", "Northmere Police", 3, "flow"),
    (
        "provide",
        "Support to victims and survivors",
        "Young people referred to the support project",
        "Lanternlight Young People's Trust",
        8,
        "flow",
    ),
    (
        "participation",
        "Voice of children",
        "Young people engaged in awareness events",
        "Lanternlight Young People's Trust",
        120,
        "flow",
    ),
]
# Where a partner's figures come from, and the caveats that travel with them.
SOURCES = {
    "Reported runaway incidents in the borough, under 18s": (
        "Police missing persons system: every reported incident in the borough, not only "
        "children known to the CSE team"
    ),
}
CAVEATS = {
    "Reported runaway incidents in the borough, under 18s": (
        "The police changed how repeat incidents on the same day are recorded during the "
        "period shown: take care comparing with earlier years."
    ),
}
# A note on one figure (the second quarter before last): seasonal effects.
SEASONAL_NOTE = (
    "Pupils involved in awareness sessions",
    "Fewer sessions run over the school summer holidays.",
)


def generate(ctx: DemoContext) -> str:
    now = timezone.now()
    last = quarter_of(timezone.localdate()).previous()
    officer = User.objects.filter(username="performance").first()
    made = 0
    for order, (priority, section, name, agency_name, typical, timing) in enumerate(CATALOGUE):
        agency = Agency.objects.filter(name=agency_name).first()
        measure = Measure.objects.create(
            code=f"demo-{order}",
            name=name,
            priority=priority,
            section=section,
            owner=agency,
            timing=timing,
            order=order,
            polarity="up" if priority in ("prevent", "pursue") else "neither",
            target=Decimal(typical) if priority == "prevent" else None,
            source_name=SOURCES.get(name, ""),
            caveat=CAVEATS.get(name, ""),
        )
        figures = [
            MeasureValue(
                measure=measure,
                period=str(last.shift(-i)),
                value=Decimal(max(0, typical + ctx.rng.randint(-typical // 2, typical // 2))),
                updated_at=now - timedelta(days=7),
            )
            for i in range(1, 12)
        ]
        if name == SEASONAL_NOTE[0]:
            figures[1].note = SEASONAL_NOTE[1]
        MeasureValue.objects.bulk_create(figures)
        made += len(figures)
    if officer is None:
        return f"{len(CATALOGUE)} measures, {made} figures"
    # The demo's history publishes as a performance officer would after checking the gaps.
    services.publish_report(officer, last.previous(), now=now, accept_gaps=True)
    objective = (
        Objective.objects.filter(priority__name__iexact="Prevent")
        .order_by("-strategy__start_year", "position", "pk")
        .first()
    )
    if objective is not None:
        services.save_objective_update(
            officer,
            period=last,
            objective=objective,
            achievements="Awareness sessions were held in every secondary school in the borough.",
            next_steps="Extend the sessions to primary schools and youth clubs.",
            expected_version=None,
            now=now,
        )
    for agency in Agency.objects.filter(name__in={row[3] for row in CATALOGUE}):
        services.request_figures(officer, agency=agency, period=last, due_on=None, now=now)
    return f"{len(CATALOGUE)} measures, {made} figures, 1 published report"
