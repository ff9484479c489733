"""Performance framework: every computed measure for 40 quarters, a quarterly and an annual
data summary, the Cabinet report, and the public pages (a published data summary and the
published plan on a page, through the test client, without signing in).

Data size ("national"): 1,000 agencies, 40,000 staff accounts and 30,000 authenticator apps
joined over ten years (what the foundation's computed measures count), and a catalogue of 150
partner-entered measures (5 priorities x 6 sections x 5 measures, one in five a total of the
other four) with a figure for each of 40 quarters and 10 years: 7,500 figures.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from random import Random

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import common
from lantern.accounts.models import Agency, User
from lantern.core.periods import Period
from lantern.performance import exports, registry, reports, summary
from lantern.performance.models import Measure, MeasureValue, ObjectiveUpdate
from lantern.plans import services as plan_services
from lantern.plans.models import Strategy

AGENCIES = 1_000
STAFF = 40_000
DEVICES = 30_000
LAST_QUARTER = Period.parse("2024/25-Q4")
LAST_YEAR = LAST_QUARTER.financial_year()
QUARTERS = [LAST_QUARTER.shift(-i) for i in range(39, -1, -1)]
START = datetime(2015, 4, 1, tzinfo=UTC)


def run() -> None:
    load_average = os.getloadavg()[0]  # the machine is shared: say how busy it was
    rng = Random(7)
    load_started = time.perf_counter()
    _load_accounts(rng)
    measures = _load_catalogue(rng)
    load_seconds = time.perf_counter() - load_started

    started = time.perf_counter()
    computed = 0
    for spec in registry.computed_measures():
        for quarter in QUARTERS:
            spec.compute(quarter)
            computed += 1
    compute_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for spec in registry.computed_measures():
        spec.figures(QUARTERS)
    batched_seconds = time.perf_counter() - started

    summary_ms = common.timed(
        lambda: exports.render(summary.build_summary(LAST_QUARTER), "html"), repeat=5
    )
    suppressed_csv_ms = common.timed(
        lambda: exports.render(
            summary.suppress_for_audience(summary.build_summary(LAST_QUARTER)), "csv"
        ),
        repeat=5,
    )
    cabinet_ms = common.timed(
        lambda: exports.render_cabinet_docx(reports.cabinet_report(LAST_QUARTER)), repeat=3
    )
    annual_ms = common.timed(
        lambda: exports.render(summary.build_summary(LAST_YEAR), "html"), repeat=5
    )
    from lantern.performance import annual

    annual_docx_ms = common.timed(
        lambda: exports.render_annual_docx(annual.annual_report(LAST_YEAR, summary.AGGREGATE)),
        repeat=3,
    )
    public_ms = _public_pages()
    common.write(
        "performance",
        {
            "load_seconds": round(load_seconds, 1),
            "computed_measures_40_quarters_seconds": round(compute_seconds, 3),
            "computed_figures": computed,
            "computed_measures_40_quarters_batched_seconds": round(batched_seconds, 3),
            "data_summary_html": summary_ms,
            "data_summary_csv_suppressed": suppressed_csv_ms,
            "cabinet_report_docx": cabinet_ms,
            "annual_data_summary_html": annual_ms,
            "annual_report_docx": annual_docx_ms,
            **public_ms,
            "load_average_at_start": round(load_average, 1),
            "load_average_at_end": round(os.getloadavg()[0], 1),
        },
        {
            "agencies": Agency.objects.count(),
            "staff_accounts": User.objects.count(),
            "authenticator_apps": TOTPDevice.objects.count(),
            "measures": Measure.objects.count(),
            "computed_measures": len(registry.computed_measures()),
            "entered_measures": measures,
            "figures": MeasureValue.objects.count(),
            "quarters": len(QUARTERS),
        },
    )


def _public_pages() -> dict:
    """p95 of the public pages: the annual data summary as published, and the plan on a page."""
    from django.test import Client
    from django.urls import reverse

    from lantern.performance import services
    from lantern.plans import versions

    actor = User.objects.first()
    services.publish_report(
        actor, LAST_YEAR, now=datetime(2025, 5, 2, tzinfo=UTC), accept_gaps=True
    )
    strategy = Strategy.objects.order_by("-start_year").first()
    versions.publish_version(actor, strategy, comment="Bench version")
    client = Client()
    report_url = reverse("performance:public-report", args=[str(LAST_YEAR).replace("/", "-")])
    plan_url = reverse("plans:public-plan", args=[strategy.pk])
    for url in (report_url, plan_url):
        assert client.get(url).status_code == 200, url
    return {
        "public_data_summary_page": common.timed(lambda: client.get(report_url), repeat=40),
        "public_plan_on_a_page": common.timed(lambda: client.get(plan_url), repeat=40),
    }


def _when(rng: Random) -> datetime:
    return START + timedelta(days=rng.randrange(0, 3650))


def _load_accounts(rng: Random) -> None:
    Agency.objects.bulk_create(
        Agency(name=f"Bench agency {i}", kind="health") for i in range(AGENCIES)
    )
    ids = list(Agency.objects.filter(name__startswith="Bench agency").values_list("pk", flat=True))
    for i in range(0, len(ids), 25):  # created_at is auto_now_add: spread it afterwards
        Agency.objects.filter(pk__in=ids[i : i + 25]).update(created_at=_when(rng))
    password = make_password("bench-password-not-used")
    User.objects.bulk_create(
        (
            User(
                username=f"bench{i}",
                full_name=f"Bench user {i}",
                password=password,
                date_joined=_when(rng),
                is_active=rng.random() > 0.05,
            )
            for i in range(STAFF)
        ),
        batch_size=2_000,
    )
    users = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    TOTPDevice.objects.bulk_create(
        (TOTPDevice(user_id=pk, name="phone", confirmed=True) for pk in rng.sample(users, DEVICES)),
        batch_size=2_000,
    )
    devices = list(TOTPDevice.objects.values_list("pk", flat=True))
    for i in range(0, len(devices), 500):
        TOTPDevice.objects.filter(pk__in=devices[i : i + 500]).update(created_at=_when(rng))


def _load_catalogue(rng: Random) -> int:
    now = datetime(2025, 5, 1, tzinfo=UTC)
    made = []
    for priority in ("prevent", "protect", "pursue", "provide", "participation"):
        for s in range(6):
            parts = [
                Measure(
                    code=f"bench-{priority}-{s}-{m}",
                    name=f"Measure {m} of section {s}",
                    priority=priority,
                    section=f"Section {s}",
                    order=m,
                    timing="snapshot" if m == 2 else "flow",
                )
                for m in range(5)
            ]
            Measure.objects.bulk_create(parts)
            saved = list(Measure.objects.filter(code__in=[p.code for p in parts]).order_by("order"))
            saved[0].components.set(saved[1:])
            made.extend(saved)
    periods = [str(q) for q in QUARTERS] + [
        str(LAST_QUARTER.financial_year().shift(-i)) for i in range(10)
    ]
    MeasureValue.objects.bulk_create(
        (
            MeasureValue(
                measure=m,
                period=p,
                value=Decimal(rng.randrange(0, 80)),
                updated_at=now,
            )
            for m in made
            for p in periods
        ),
        batch_size=2_000,
    )
    from lantern.accounts.models import User as U

    lead = U.objects.first()
    strategy = Strategy.objects.order_by("-start_year").first() or plan_services.create_strategy(
        lead, name="Bench delivery plan", start_year=LAST_QUARTER.start.year, end_year=2040
    )
    for n, name in enumerate(("Prevent", "Protect", "Pursue"), start=1):
        objective = strategy.objectives.filter(priority__name=name).first() or (
            plan_services.save_objective(
                lead,
                strategy,
                priority=strategy.priorities.get(name=name),
                ref=f"9{n}.1",
                title=f"Bench objective for {name}",
            )
        )
        ObjectiveUpdate.objects.create(
            period=str(LAST_QUARTER),
            objective=objective,
            priority=name.lower(),
            achievements="Achievements written by the lead. " * 20,
            next_steps="Next steps written by the lead. " * 10,
            written_by=lead,
            updated_at=now,
        )
    return len(made)
