"""Single point of entry: the queue, a submission page and its trace page, at borough scale and
at national scale (500,000 submissions; set LANTERN_BENCH_INTAKE_NATIONAL to another number to
measure at a smaller size on a slow machine). Run on PostgreSQL with DATABASE_URL set."""

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
