"""A large schedule export never runs in the request (issue 26: the unfiltered PDF timed out at
31 s with a 500 and stalled the site): it is queued, `lantern tick` builds it with the
requester's access, the requester downloads it when ready, and the download is audited."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.testing import make_user, sign_in
from lantern.tasking.models import ExportJob, ExportStatus
from lantern.tasking.tests.factories import an_action, tasking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.LANTERN_EXPORT_SYNC_ROWS = 2
    world = tasking_world()
    for n in range(3):
        an_action(world, title=f"Action number {n}")
    return world


def test_a_large_export_is_queued_not_built_in_the_request(client, world):
    sign_in(client, world.chair)
    response = client.get("/tasking/actions/export.pdf")
    assert response.status_code == 302
    assert response["Location"] == "/tasking/exports/"
    job = ExportJob.objects.get()
    assert (job.status, job.fmt, job.requested_by) == (ExportStatus.QUEUED, "pdf", world.chair)
    page = client.get("/tasking/exports/").content.decode()
    assert "is being prepared" in page and "Not ready yet" in page


def test_tick_builds_it_and_the_requester_downloads_it_audited(client, world):
    sign_in(client, world.chair)
    client.get("/tasking/actions/export.csv")
    call_command("tick")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.READY and job.rows == 3
    assert "Download actions-" in client.get("/tasking/exports/").content.decode()
    response = client.get(f"/tasking/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert "Action number 2" in response.content.decode("utf-8-sig")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert entry.details["job"] == job.pk and entry.details["count"] == 3
    job.refresh_from_db()
    assert job.downloaded_at is not None


def test_nobody_else_can_download_it(client, world):
    sign_in(client, world.chair)
    client.get("/tasking/actions/export.csv")
    call_command("tick")
    job = ExportJob.objects.get()
    other = make_user(Role.POLICE_SUPERVISOR, agency=world.chair.agency)
    client.logout()
    sign_in(client, other)
    assert client.get(f"/tasking/exports/{job.pk}/download/").status_code == 404


def test_a_small_export_is_still_served_at_once(client, world, settings):
    settings.LANTERN_EXPORT_SYNC_ROWS = 2000
    sign_in(client, world.chair)
    response = client.get("/tasking/actions/export.csv")
    assert response.status_code == 200
    assert not ExportJob.objects.exists()
