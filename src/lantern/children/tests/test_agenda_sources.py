"""Children's records reach tasking agendas: MACE reviews due and missing episodes, by reference."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.children.tests.factories import make_child, make_mace, make_missing
from lantern.core.testing import AgencyFactory, make_user
from lantern.risk.levels import RiskLevel
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def first_meeting(meeting_type, day=MONDAY):
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    chair = make_user(
        Role.MACE_CHAIR if meeting_type == MeetingType.MACE else Role.POLICE_SUPERVISOR,
        agency=police,
    )
    series = tasking.create_series(
        chair,
        name="Northmere group",
        meeting_type=meeting_type,
        first_meeting_on=day,
        chair=chair,
        member_agencies=[police, health],
    )
    tasking.generate_meetings(chair, series, until=day)
    return chair, series.meetings.get()


def test_a_child_due_a_mace_review_is_put_on_the_mace_agenda_by_reference():
    chair, meeting = first_meeting(MeetingType.MACE)
    due = make_child(first_name="Robin")
    make_mace(due, held_on=MONDAY - timedelta(days=28), review_on=MONDAY - timedelta(days=1))
    not_due = make_child()
    make_mace(not_due, held_on=MONDAY - timedelta(days=7), review_on=MONDAY + timedelta(days=60))
    tasking.build_agenda(chair, meeting, now=timezone.make_aware(datetime(2026, 11, 2, 8)))
    titles = list(meeting.items.values_list("title", flat=True))
    assert f"MACE review: child {due.reference}" in titles
    assert not any(not_due.reference in title for title in titles)
    item = meeting.items.get(title__contains=due.reference)
    assert "Robin" not in item.title and "Robin" not in item.partner_summary


def test_a_missing_episode_since_the_last_meeting_goes_on_the_tasking_group_agenda():
    chair, meeting = first_meeting(MeetingType.TASKING_GROUP)
    child = make_child()
    recent = timezone.make_aware(datetime(2026, 10, 30, 22))
    make_missing(child, reported_at=recent, level=RiskLevel.HIGH)
    make_missing(make_child(), reported_at=recent - timedelta(days=90))
    tasking.build_agenda(chair, meeting, now=timezone.make_aware(datetime(2026, 11, 2, 8)))
    titles = list(meeting.items.values_list("title", flat=True))
    assert titles.count(f"Missing episode: child {child.reference}") == 1
    assert sum("Missing episode" in t for t in titles) == 1


def test_a_restricted_child_goes_on_the_agenda_only_for_the_agencies_of_its_circle(client):
    from lantern.children import services as children
    from lantern.core.testing import sign_in

    chair, meeting = first_meeting(MeetingType.MACE)
    social_care = AgencyFactory(name="Test social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    meeting.series.member_agencies.add(social_care)
    worker = make_user(Role.CSE_SOCIAL_WORKER, agency=social_care)
    hidden = make_child(by=worker, first_name="Secret", restricted=True)
    children.allocate_worker(worker, hidden, worker=worker, role="specialist", started_on=MONDAY)
    make_mace(hidden, held_on=MONDAY - timedelta(days=28), review_on=MONDAY - timedelta(days=1))
    nurse = make_user(
        Role.PARTNER_PRACTITIONER, agency=meeting.series.member_agencies.get(name="Test health")
    )
    meeting.series.members.add(nurse)

    tasking.build_agenda(chair, meeting, now=timezone.make_aware(datetime(2026, 11, 2, 8)))

    item = meeting.items.get()
    assert item.handling_code == "C"
    assert list(item.cleared_agencies.all()) == [social_care]
    sign_in(client, nurse)
    page = client.get(f"/tasking/meetings/{meeting.pk}/").content.decode()
    assert hidden.reference not in page
    assert client.get(f"/tasking/items/{item.pk}/").status_code in (403, 404) or (
        hidden.reference not in client.get(f"/tasking/items/{item.pk}/").content.decode()
    )
    client.logout()
    sign_in(client, worker)
    page = client.get(f"/tasking/items/{item.pk}/").content.decode()
    assert hidden.reference in page


def test_the_mace_item_links_to_the_child_for_a_member_of_the_meeting(client):
    from lantern.core.testing import sign_in

    soon = timezone.localdate() + timedelta(days=2)
    chair, meeting = first_meeting(MeetingType.MACE, soon)
    due = make_child(first_name="Robin")
    make_mace(due, held_on=soon - timedelta(days=28), review_on=soon - timedelta(days=1))
    nurse = make_user(
        Role.PARTNER_PRACTITIONER, agency=meeting.series.member_agencies.get(name="Test health")
    )
    meeting.series.members.add(nurse)
    tasking.build_agenda(chair, meeting, now=timezone.make_aware(datetime(2026, 11, 2, 8)))
    item = meeting.items.get()
    sign_in(client, nurse)

    page = client.get(f"/tasking/items/{item.pk}/").content.decode()

    assert f'href="/children/{due.pk}/"' in page
    child_page = client.get(f"/children/{due.pk}/")
    assert child_page.status_code == 200
    assert 'data-testid="meeting-brief"' in child_page.content.decode()


def test_the_minutes_hold_the_agreed_level_outcomes_and_the_actions_they_made(client):
    from lantern.children import services as children
    from lantern.core.testing import sign_in
    from lantern.tasking import exports

    chair, meeting = first_meeting(MeetingType.MACE)
    due = make_child(first_name="Robin")
    make_mace(due, held_on=MONDAY - timedelta(days=28), review_on=MONDAY - timedelta(days=1))
    tasking.build_agenda(chair, meeting, now=timezone.make_aware(datetime(2026, 11, 2, 8)))
    discussion = make_mace(
        due, held_on=meeting.held_on, level=RiskLevel.HIGH, review_on=MONDAY + timedelta(days=28)
    )
    specialist = make_user(Role.CSE_SOCIAL_WORKER)
    children.apply_mace_outcomes(
        due.created_by,
        discussion,
        outcomes=["allocate_specialist", "camhs"],
        specialist=specialist,
        now=timezone.make_aware(datetime(2026, 11, 2, 12)),
    )

    context = exports.minutes_context(meeting, recipient=None)
    ((item, actions),) = context["items"]
    assert ("Level agreed", "High") in item.minutes_notes
    assert ("Review date", "30 November 2026") in item.minutes_notes
    labels = dict(item.minutes_notes)["Outcomes agreed"]
    assert "Allocate a specialist CSE social worker" in labels and "CAMHS" in labels
    titles = [a.title for a in actions]
    assert f"Allocate a specialist CSE social worker: child {due.reference}" in titles
    assert any(t.startswith("Refer to") for t in titles)

    sign_in(client, chair)
    page = client.get(f"/tasking/meetings/{meeting.pk}/minutes/").content.decode()
    assert "Level agreed" in page and "High" in page
    assert f"Allocate a specialist CSE social worker: child {due.reference}" in page
