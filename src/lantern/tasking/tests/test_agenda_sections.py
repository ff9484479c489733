"""The agenda in the sections a tasking meeting takes (issue 23): new intelligence first, then
what was kept on the schedule, missing episodes, high-risk nominals, and overdue actions as one
item per agency and owner; counts and suggested times; reordering within a section; the paper."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse

from lantern.core.testing import sign_in
from lantern.tasking import agenda, exports, services
from lantern.tasking.models import AgendaItem, ItemStatus
from lantern.tasking.tests.factories import MONDAY, an_action, at, tasking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = tasking_world()
    w.first, w.second = w.meetings[:2]
    return w


def item(meeting, title, source_key="", **fields):
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        title=title,
        partner_summary=f"About {title}",
        source_key=source_key,
        position=position,
        **fields,
    )


def mixed_agenda(world):
    """Items from every kind of source, added in an order unlike the meeting's."""
    meeting = world.second
    earlier = item(world.first, "Car at the park", "intake.to_tasking", status=ItemStatus.KEPT_ON)
    made = {
        "hand": item(meeting, "Any other business"),
        "nominal": item(meeting, "Nominal N-7 high risk", "risk.high_risk_nominals"),
        "missing": item(meeting, "Missing episode of child C-3", "children.missing_episodes"),
        "new1": item(meeting, "Report S-1: hotel", "intake.to_tasking"),
        "kept": item(meeting, "Car at the park", "intake.to_tasking", carried_from=earlier),
        "new2": item(meeting, "Report S-2: taxi rank", "intake.to_tasking"),
        "done": item(meeting, "Report S-3: shop", "intake.to_tasking", status=ItemStatus.CLOSED),
    }
    return meeting, made


def test_items_sit_in_the_sections_in_the_order_the_meeting_takes_them(world):
    meeting, made = mixed_agenda(world)
    parts = agenda.in_sections([(i, None) for i in meeting.items.all()])

    assert [p.section.key for p in parts] == ["new", "kept", "missing", "nominals", "other"]
    new = parts[0]
    assert [i.title for i, _ in new.rows] == [
        "Report S-1: hotel",
        "Report S-2: taxi rank",
        "Report S-3: shop",
    ]
    assert (new.count, len(new.to_discuss), len(new.done)) == (3, 2, 1)
    assert new.suggested_minutes == 2 * 5
    assert parts[1].rows[0][0] == made["kept"]  # carried: kept, whatever first put it there
    assert parts[-1].rows[0][0] == made["hand"]


def test_overdue_actions_are_one_item_per_agency_and_owner(world):
    then = at(world.second.held_on - timedelta(days=20))
    for days, title in ((-10, "Visit the hotel"), (-3, "Call the school"), (1, "Share the plan")):
        due = world.second.held_on + timedelta(days=days)
        an_action(world, due_on=due, title=title, now=then)
    an_action(
        world, owner=world.social_worker, due_on=world.second.held_on, title="See C-3", now=then
    )

    services.build_agenda(world.chair, world.second, now=at(MONDAY))

    actions = [i for i in world.second.items.all() if agenda.section_of(i) == "actions"]
    assert len(actions) == 2
    nurse = next(i for i in actions if i.source == world.nurse)
    assert nurse.title == f"Actions: Test health, {world.nurse} (3 actions)"
    assert nurse.reason.startswith("2 overdue")
    summary = nurse.partner_summary
    assert summary.index("Visit the hotel") < summary.index("Call the school")
    assert "Share the plan: due" in summary and "Visit the hotel: overdue since" in summary


def test_moving_an_item_stays_inside_its_section(world):
    meeting, made = mixed_agenda(world)
    services.reorder_items(world.chair, meeting, {})  # numbered in the meeting's order

    services.move_item(world.chair, made["new2"], "down")  # last to discuss in "new": stays
    services.move_item(world.chair, made["new2"], "up")

    ordered = list(meeting.items.order_by("position"))
    new = [i.title for i in ordered if agenda.section_of(i) == "new"]
    assert new == ["Report S-2: taxi rank", "Report S-1: hotel", "Report S-3: shop"]
    assert [agenda.section_of(i) for i in ordered] == sorted(
        (agenda.section_of(i) for i in ordered), key=agenda.SECTION_KEYS.index
    )


def test_numbers_typed_reorder_within_each_section(world):
    meeting, made = mixed_agenda(world)
    services.reorder_items(world.chair, meeting, {made["new2"].pk: 1, made["new1"].pk: 2})
    parts = agenda.in_sections([(i, None) for i in meeting.items.all()])
    assert [i.title for i, _ in parts[0].to_discuss] == [
        "Report S-2: taxi rank",
        "Report S-1: hotel",
    ]


def test_the_meeting_page_shows_sections_with_counts_times_and_new_marks(world, client):
    meeting, made = mixed_agenda(world)
    sign_in(client, world.chair)
    page = client.get(reverse("tasking:meeting-detail", args=[meeting.pk])).content.decode()

    headings = [
        page.index(f'id="section-{key}"') for key in ("new", "kept", "missing", "nominals", "other")
    ]
    assert headings == sorted(headings)
    assert "New intelligence</a>: 3 items, about 10 minutes" in page
    assert "2 to discuss, 1 done" in page
    assert "Done in this section (1)" in page  # collapsed in a details
    new_part = page[headings[0] : headings[1]]
    assert new_part.count('govuk-tag--blue">New</strong>') == 2  # not the done one
    kept_part = page[headings[1] : headings[2]]
    assert ">New</strong>" not in kept_part


def test_the_agenda_paper_follows_the_sections_and_each_copy_is_partner_safe(world, client):
    meeting, made = mixed_agenda(world)
    secret = item(
        meeting,
        "Report S-9: restricted",
        "intake.to_tasking",
        handling_code="C",
        handling_conditions="Police and health only",
        full_summary="Source is a hotel night manager",
    )
    secret.cleared_agencies.set([world.health])

    health = exports.agenda_context(meeting, recipient=world.health)
    licensing = exports.agenda_context(meeting, recipient=world.licensing_officer.agency)
    titles = lambda ctx: [i.title for p in ctx["sections"] for i, _ in p.rows]  # noqa: E731
    assert "Report S-9: restricted" in titles(health)
    assert "Report S-9: restricted" not in titles(licensing)

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(exports.agenda_docx(health))).paragraphs)
    assert text.index("1. New intelligence") < text.index("2. Kept on the schedule")
    assert "HANDLING CODE C: Police and health only. Shared only with Test health." in text
    assert "Source is a hotel night manager" not in text
    assert "3 items" in text or "4 items" in text

    sign_in(client, world.licensing_officer)
    response = client.get(reverse("tasking:meeting-agenda-paper", args=[meeting.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        client.get(reverse("tasking:meeting-agenda-paper", args=[meeting.pk, "odt"])).status_code
        == 404
    )
