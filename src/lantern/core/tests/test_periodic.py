"""`lantern tick` when runs overlap or a job fails (issue 24): a job another tick is running is
skipped and logged, a failing job is logged and recorded for the health page, and in both cases
every other job still runs. Holds the lock the way a second tick would, so the overlap is
deterministic on SQLite and on PostgreSQL."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.core import periodic
from lantern.core.models import JobRun
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db

NOW = "2026-11-30T09:00"


@pytest.fixture
def test_jobs():
    """Three jobs of our own around the real ones; each notes the time it was run as at."""
    ran: dict[str, object] = {}

    def job(name, fails=False):
        def run(now):
            ran[name] = now
            if fails:
                raise RuntimeError("the mail server refused the connection")
            return f"{name} done"

        return run

    registered = [
        periodic.PeriodicJob("test-first", job("test-first"), order=1),
        periodic.PeriodicJob("test-middle", job("test-middle"), order=2),
        periodic.PeriodicJob("test-last", job("test-last"), order=999),
    ]
    for item in registered:
        periodic.register(item)
    yield ran, job
    for item in registered:
        periodic.unregister(item.name)


@contextmanager
def another_tick_running(name):
    """Hold the job's lock as a second `lantern tick` would, while the block runs."""
    if connection.vendor == "postgresql":
        # A lock of another session: the other tick has its own database connection.
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        keys = periodic.advisory_key(name)
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", keys)
                assert cursor.fetchone()[0]
            yield
            # Let go before closing: a closed session's locks go only once its server process
            # has ended, which on a busy machine can be after the next tick has asked.
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", keys)
        finally:
            other.close()
    else:
        with periodic.job_lock(name) as held:
            assert held
            yield


def tick(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("tick", "--now", NOW, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_job_another_tick_is_running_is_skipped_logged_and_the_others_run(test_jobs, caplog):
    ran, _ = test_jobs
    caplog.set_level(logging.WARNING, logger="lantern.tick")

    with another_tick_running("test-middle"):
        out, err = tick()

    assert "test-middle: skipped: another tick is running this job" in out
    assert set(ran) == {"test-first", "test-last"}  # before and after the skipped one
    assert "intake-drafts:" in out  # the real jobs ran too
    assert ran["test-last"].isoformat().startswith("2026-11-30T09:00")  # as at --now
    assert "test-middle skipped: another tick is running it" in caplog.text
    middle = JobRun.objects.get(name="test-middle")
    assert middle.last_skipped_at is not None and middle.last_started_at is None
    assert JobRun.objects.get(name="test-last").last_summary == "test-last done"


def test_the_lock_is_let_go_so_the_next_tick_runs_the_job(test_jobs):
    ran, _ = test_jobs
    with another_tick_running("test-middle"):
        tick()
    assert "test-middle" not in ran

    out, _ = tick()

    assert "test-middle: test-middle done" in out and "test-middle" in ran
    # And this tick let go of it in turn: another can take it at once.
    with another_tick_running("test-middle"):
        pass


@pytest.mark.skipif("connection.vendor == 'postgresql'")
def test_a_lock_row_left_by_a_tick_that_died_lapses(test_jobs, settings):
    ran, _ = test_jobs
    settings.LANTERN_TICK_LOCK_SECONDS = 60
    JobRun.objects.create(
        name="test-middle", holder="a killed tick", held_until=timezone.now() - timedelta(seconds=1)
    )
    tick()
    assert "test-middle" in ran
    assert JobRun.objects.get(name="test-middle").held_until is None


def test_a_job_that_fails_is_recorded_and_the_others_still_run(test_jobs, caplog):
    ran, job = test_jobs
    periodic.register(periodic.PeriodicJob("test-middle", job("test-middle", fails=True), 2))
    caplog.set_level(logging.ERROR, logger="lantern.tick")

    with pytest.raises(SystemExit) as exit_status:
        out, err = tick()

    assert exit_status.value.code == 1  # after every other job has run
    assert set(ran) == {"test-first", "test-middle", "test-last"}
    assert "test-middle failed" in caplog.text and "RuntimeError" in caplog.text
    middle = JobRun.objects.get(name="test-middle")
    assert middle.last_failed_at is not None and middle.failures_in_a_row == 1
    assert middle.last_error == "RuntimeError: the mail server refused the connection"
    assert JobRun.objects.get(name="test-last").last_summary == "test-last done"


def test_the_health_page_shows_a_failed_job_to_an_administrator(test_jobs, client):
    _, job = test_jobs
    periodic.register(periodic.PeriodicJob("test-middle", job("test-middle", fails=True), 2))
    with pytest.raises(SystemExit):
        tick()
    sign_in(client, make_user(Role.ADMINISTRATOR))

    body = client.get(reverse("core:health")).content.decode()

    assert "1 periodic job failed on its last run" in body
    assert "RuntimeError: the mail server refused the connection" in body
    assert 'href="#job-test-middle"' in body and 'id="job-test-middle"' in body
    assert "test-last done" in body


def test_a_job_that_succeeds_again_is_no_longer_shown_as_failing(test_jobs, client):
    ran, job = test_jobs
    periodic.register(periodic.PeriodicJob("test-middle", job("test-middle", fails=True), 2))
    with pytest.raises(SystemExit):
        tick()
    periodic.register(periodic.PeriodicJob("test-middle", job("test-middle"), 2))
    tick()
    middle = JobRun.objects.get(name="test-middle")
    assert middle.failures_in_a_row == 0 and middle.last_failed_at is not None  # kept to see
    sign_in(client, make_user(Role.ADMINISTRATOR))
    body = client.get(reverse("core:health")).content.decode()
    assert "failed on its last run" not in body


def test_only_administrators_see_the_health_page(client):
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    assert client.get(reverse("core:health")).status_code == 403
