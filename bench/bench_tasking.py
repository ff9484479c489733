"""Tasking at national scale: building the agenda, the action schedule and "my actions" pages,
and one `lantern tick` over 100,000 open actions. Run on PostgreSQL with DATABASE_URL set."""

from __future__ import annotations

import time
from random import Random

from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from faker import Faker

from bench import common
from lantern.accounts.models import User
from lantern.demo.registry import DemoContext
from lantern.tasking import demo, services
from lantern.tasking.escalation import run_tick
from lantern.tasking.models import Action, EscalationStep, MeetingSeries, MeetingType


def run() -> None:
    if not User.objects.filter(username="admin").exists():
        call_command("demo", no_serve=True, scale="borough", verbosity=0)
    now = timezone.now()
    today = timezone.localdate(now)
    series = MeetingSeries.objects.get(meeting_type=MeetingType.TASKING_GROUP)
    started = time.perf_counter()
    _top_up_open_actions(series, now)
    load_seconds = time.perf_counter() - started
    open_actions = Action.objects.filter(status="open").count()

    meeting = services.next_meeting(series, today)
    agenda = common.timed(lambda: _build_and_roll_back(series.chair, meeting, now), repeat=30)

    analyst, practitioner = (User.objects.get(username=n) for n in ("analyst", "practitioner"))
    police, partner = Client(), Client()
    from lantern.core.testing import sign_in

    sign_in(police, analyst)
    sign_in(partner, practitioner)
    pages = {
        "meeting_page": (police, f"/tasking/meetings/{meeting.pk}/"),
        "schedule_police": (police, "/tasking/actions/"),
        "schedule_police_page_100": (police, "/tasking/actions/?page=100"),
        "schedule_overdue_filter": (police, "/tasking/actions/?overdue=yes&status=open"),
        "schedule_partner": (partner, "/tasking/actions/"),
        "my_actions_partner": (partner, "/tasking/actions/mine/"),
        "agency_actions_partner": (partner, "/tasking/actions/agency/"),
    }
    figures = {"agenda_build": agenda}
    for name, (client, url) in pages.items():
        assert client.get(url).status_code == 200, url
        figures[name] = common.timed(lambda c=client, u=url: c.get(u), repeat=30)

    started = time.perf_counter()
    first = run_tick(now)
    figures["tick_first_seconds"] = round(time.perf_counter() - started, 2)
    figures["tick_first_summary"] = first
    started = time.perf_counter()
    second = run_tick(now)
    figures["tick_second_seconds"] = round(time.perf_counter() - started, 2)
    figures["tick_second_summary"] = second
    common.write(
        "tasking",
        figures,
        {
            "open_actions": open_actions,
            "actions": Action.objects.count(),
            "escalation_steps": EscalationStep.objects.count(),
            "users": User.objects.count(),
            "top_up_seconds": round(load_seconds, 1),
        },
    )


def _top_up_open_actions(series, now) -> None:
    """Add bulk open actions until there are 100,000 (the national-scale figure)."""
    missing = demo.NATIONAL_OPEN_ACTIONS - Action.objects.filter(status="open").count()
    if missing <= 0:
        return
    faker = Faker("en_GB")
    faker.seed_instance(7)
    ctx = DemoContext(scale="national", rng=Random(7), faker=faker, made={})
    people = demo._people_by_agency(ctx)
    demo._national_actions(ctx, series, people, timezone.localdate(now), now, count=missing)
    demo.refresh_planner_statistics()


def _build_and_roll_back(chair, meeting, now) -> None:
    with transaction.atomic():
        services.build_agenda(chair, meeting, now=now)
        transaction.set_rollback(True)
