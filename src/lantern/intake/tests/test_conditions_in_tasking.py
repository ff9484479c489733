"""A grade's handling code C and its conditions travel into the agenda, the item page, the
minutes (per recipient agency, with their distribution), actions and the schedule export
(issue 26: licensing, outside the share list, read the C item on the agenda and the minutes)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document

from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.testing import sign_in
from lantern.intake.tests.conditions_world import (
    C_SUMMARY,
    CONDITIONS,
    MONDAY,
    P_SUMMARY,
    at,
    conditions_world,
)
from lantern.tasking import services as tasking
from lantern.tasking.services import TaskingRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return conditions_world()


def _docx_text(body: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def test_an_agency_outside_the_conditions_sees_nothing_of_the_item(client, world):
    sign_in(client, world.people[world.licensing])
    meeting_page = client.get(f"/tasking/meetings/{world.meeting.pk}/").content.decode()
    assert P_SUMMARY in meeting_page
    assert world.c_sub.reference not in meeting_page
    assert C_SUMMARY not in meeting_page
    assert client.get(f"/tasking/items/{world.c_item.pk}/").status_code == 404
    minutes = client.get(f"/tasking/meetings/{world.meeting.pk}/minutes/").content.decode()
    assert P_SUMMARY in minutes and C_SUMMARY not in minutes
    assert world.c_sub.reference not in minutes
    docx = _docx_text(client.get(f"/tasking/meetings/{world.meeting.pk}/minutes.docx").content)
    assert P_SUMMARY in docx and C_SUMMARY not in docx
    assert "Prepared for: Test licensing" in docx


def test_an_agency_inside_the_conditions_reads_it_with_its_marking(client, world):
    sign_in(client, world.people[world.health])
    meeting_page = client.get(f"/tasking/meetings/{world.meeting.pk}/").content.decode()
    assert C_SUMMARY in meeting_page
    assert f"Handling code C: {CONDITIONS}" in meeting_page
    item_page = client.get(f"/tasking/items/{world.c_item.pk}/").content.decode()
    assert f"Handling code C: {CONDITIONS}" in item_page
    assert "Shared only with Test CSC, Test health" in item_page
    docx = _docx_text(client.get(f"/tasking/meetings/{world.meeting.pk}/minutes.docx").content)
    assert C_SUMMARY in docx
    assert f"HANDLING CODE C: {CONDITIONS}" in docx


def test_the_item_page_links_to_the_submission_for_those_who_may_open_it(client, world):
    sign_in(client, world.chair)
    page = client.get(f"/tasking/items/{world.c_item.pk}/").content.decode()
    assert f'href="/intake/{world.c_sub.reference}/"' in page
    assert f"Handling code C: {CONDITIONS}" in page


def test_the_minutes_record_their_distribution_and_recipient(client, world):
    sign_in(client, world.chair)
    client.get(f"/tasking/meetings/{world.meeting.pk}/minutes.docx?for={world.licensing.pk}")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("id")
    assert entry.details["prepared_for"] == "Test licensing"
    assert entry.details["distribution"] == [
        "Test CSC",
        "Test health",
        "Test licensing",
        "Test police",
    ]
    assert entry.details["items"] == [world.p_item.title]


def test_an_action_on_a_c_item_goes_only_inside_its_conditions_and_carries_them(world):
    due = MONDAY + timedelta(days=7)
    with pytest.raises(TaskingRefused, match="outside its conditions"):
        tasking.create_action(
            world.chair,
            title="Visit the premises",
            owning_agency=world.licensing,
            owner=world.people[world.licensing],
            due_on=due,
            now=at(MONDAY),
            route="tasking_group",
            origin=world.c_item,
            meeting=world.meeting,
        )
    action = tasking.create_action(
        world.chair,
        title="Check the GP record",
        owning_agency=world.health,
        owner=world.people[world.health],
        due_on=due,
        now=at(MONDAY),
        route="tasking_group",
        origin=world.c_item,
        meeting=world.meeting,
    )
    assert (action.handling_code, action.handling_conditions) == ("C", CONDITIONS)


def test_the_schedule_export_prints_the_marking(client, world):
    tasking.create_action(
        world.chair,
        title="Check the GP record",
        owning_agency=world.health,
        owner=world.people[world.health],
        due_on=MONDAY + timedelta(days=7),
        now=at(MONDAY),
        route="tasking_group",
        origin=world.c_item,
        meeting=world.meeting,
    )
    sign_in(client, world.chair)
    csv = client.get("/tasking/actions/export.csv").content.decode("utf-8-sig")
    assert f"C: {CONDITIONS}" in csv
    assert "Check the GP record" in csv
