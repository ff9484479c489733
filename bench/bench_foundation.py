"""Foundation: loading the demo borough, and a signed-in home page."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.test import Client

from bench import common
from lantern.accounts.models import User
from lantern.audit.models import AuditAction
from lantern.audit.services import record, verify_chain
from lantern.core.testing import sign_in


def run() -> None:
    started = time.perf_counter()
    call_command("demo", no_serve=True, scale="borough", verbosity=0)
    load_seconds = time.perf_counter() - started
    client = Client()
    sign_in(client, User.objects.get(username="analyst"))
    home = common.timed(lambda: client.get("/"), repeat=100)
    admin = Client()
    sign_in(admin, User.objects.get(username="admin"))
    users = common.timed(lambda: admin.get("/manage/users/"), repeat=50)
    analyst = User.objects.get(username="analyst")
    appends = 20_000
    started = time.perf_counter()
    for _ in range(appends):
        record(actor=analyst, action=AuditAction.READ, obj=analyst)
    append_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = verify_chain()
    verify_ms = (time.perf_counter() - started) * 1000
    common.write(
        "foundation",
        {
            "demo_load_seconds": round(load_seconds, 2),
            "home_page": home,
            "user_list_page": users,
            "audit_appends_per_second": round(appends / append_seconds),
            "audit_verify_ms": round(verify_ms, 1),
            "audit_entries_verified": report.entries_checked,
        },
        {"scale": "borough", "users": User.objects.count()},
    )
