"""/healthz: database, migrations, last tick and last audit checkpoint, asked as at a time the
test chooses; no sign-in, no personal data; a stale tick is not healthy."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.models import Agency
from lantern.audit.services import record
from lantern.core.health import health_report
from lantern.core.periodic import run_all

pytestmark = pytest.mark.django_db

KEYS = {
    "healthy",
    "problems",
    "checked_at",
    "database",
    "migrations",
    "last_tick",
    "last_tick_age_seconds",
    "failing_jobs",
    "last_checkpoint",
    "last_checkpoint_age_seconds",
    "audit_entries_since_checkpoint",
}


def _audited_change() -> None:
    agency = Agency.objects.create(name="Healthz test agency", kind="council")
    record(actor="test", action="create", obj=agency)


def test_healthy_just_after_a_tick():
    _audited_change()
    run_all(timezone.now())

    report = health_report(timezone.now() + timedelta(minutes=1))

    assert report["healthy"], report["problems"]
    assert report["database"] == "ok" and report["migrations"] == "ok"
    assert report["last_tick_age_seconds"] < 120
    assert report["audit_entries_since_checkpoint"] == 0


@override_settings(LANTERN_HEALTH_MAX_TICK_AGE=900)
def test_a_stale_tick_is_not_healthy():
    run_all(timezone.now())

    report = health_report(timezone.now() + timedelta(hours=2))

    assert not report["healthy"]
    assert any("lantern tick last finished" in problem for problem in report["problems"])


@override_settings(LANTERN_HEALTH_MAX_TICK_AGE=900)
def test_entries_waiting_after_an_old_checkpoint_are_not_healthy():
    run_all(timezone.now())
    _audited_change()  # after the checkpoint

    soon = health_report(timezone.now() + timedelta(minutes=5))
    later = health_report(timezone.now() + timedelta(minutes=20))

    assert soon["audit_entries_since_checkpoint"] == 1
    assert not any("checkpoint" in problem for problem in soon["problems"])
    assert any("not covered by a checkpoint" in problem for problem in later["problems"])


def test_the_page_needs_no_sign_in_and_says_503_when_never_ticked(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert not body["healthy"]
    assert "lantern tick has never finished a job" in body["problems"]


def test_the_page_holds_times_and_counts_only(client):
    _audited_change()
    run_all(timezone.now())

    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    body = json.loads(response.content)
    assert set(body) == KEYS
    assert "Healthz test agency" not in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
