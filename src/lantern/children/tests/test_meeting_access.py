"""Members of a meeting with a child on its agenda see the child for that meeting's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children.models import MaceOpinion
from lantern.children.tests import factories as f
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.risk.levels import RiskLevel
from lantern.tasking.models import AgendaItem, Meeting, MeetingSeries, MeetingType

pytestmark = pytest.mark.django_db


def a_series(name, *members, agencies=()):
    chair = make_user(Role.MACE_CHAIR)
    series = MeetingSeries.objects.create(
        name=name,
        meeting_type=MeetingType.MACE,
        first_meeting_on=timezone.localdate(),
        chair=chair,
    )
    series.members.set(members)
    series.member_agencies.set(agencies)
    return series


def on_agenda(series, source, *, days_from_today=3, status="scheduled"):
    meeting = Meeting.objects.create(
        series=series,
        held_on=timezone.localdate() + timedelta(days=days_from_today),
        status=status,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        title=f"MACE review: item {source.pk}",
        partner_summary="Due a MACE review.",
        full_summary="Full summary for the chair only.",
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
    )
    return meeting


@pytest.fixture
def world():
    health = AgencyFactory(name="Test health trust", kind=AgencyKind.HEALTH)
    nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health)
    other_nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health)
    child = f.make_child(first_name="Robin")
    f.make_contact(child)  # outside any meeting's scope
    series = a_series("Northmere MACE", nurse)
    return nurse, other_nurse, child, series, health


def test_a_member_sees_the_child_for_the_meetings_scope_and_the_read_is_audited(client, world):
    nurse, _, child, series, _ = world
    meeting = on_agenda(series, child)
    discussion = f.make_mace(child, held_on=meeting.held_on, level=RiskLevel.HIGH)
    discussion.summary = "Seen with older males at the retail park"
    discussion.save()
    MaceOpinion.objects.create(
        discussion=discussion, attendee="School nurse", agency="Health", level="high"
    )
    sign_in(client, nurse)

    page = client.get(f"/children/{child.pk}/").content.decode()

    assert "Robin Testchild" in page
    assert 'data-testid="meeting-brief"' in page
    assert str(meeting.series) in page
    assert "Due a MACE review." in page
    assert "Seen with older males at the retail park" in page
    assert "School nurse (Health): High" in page
    # Outside the scope: the full agenda summary, contacts and the chronology.
    assert "Full summary for the chair only." not in page
    assert "Seen getting into a car after school" not in page
    assert "Chronology" not in page
    entry = AuditEntry.objects.filter(
        object_type="children.child", object_id=str(child.pk), action="read", actor=nurse
    ).get()
    assert "meeting member" in entry.reason


def test_a_member_of_a_different_meeting_does_not_see_the_child(client, world):
    nurse, other_nurse, child, series, _ = world
    on_agenda(series, child)
    other_series = a_series("Southmere MACE", other_nurse)
    on_agenda(other_series, f.make_child())
    sign_in(client, other_nurse)

    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_agency_membership_alone_does_not_open_the_child(client, world):
    _, other_nurse, child, _, health = world
    agency_series = a_series("Agency-wide MACE", agencies=[health])
    on_agenda(agency_series, child)
    sign_in(client, other_nurse)

    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_access_lasts_for_the_configured_window_after_the_meeting(client, world, settings):
    nurse, _, child, series, _ = world
    on_agenda(series, child, days_from_today=-20)
    sign_in(client, nurse)

    settings.LANTERN_MEETING_CHILD_ACCESS_DAYS = 14
    assert client.get(f"/children/{child.pk}/").status_code == 404
    settings.LANTERN_MEETING_CHILD_ACCESS_DAYS = 30
    assert client.get(f"/children/{child.pk}/").status_code == 200


def test_a_cancelled_meeting_opens_nothing(client, world):
    nurse, _, child, series, _ = world
    on_agenda(series, child, status="cancelled")
    sign_in(client, nurse)

    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_a_missing_episode_on_the_agenda_opens_its_child(client, world):
    nurse, _, child, series, _ = world
    on_agenda(series, f.make_missing(child))
    sign_in(client, nurse)

    response = client.get(f"/children/{child.pk}/")

    assert response.status_code == 200
    assert 'data-testid="meeting-brief"' in response.content.decode()


def test_a_restricted_child_stays_closed_to_meeting_members(client, world):
    nurse, _, child, series, _ = world
    child.restricted = True
    child.save()
    on_agenda(series, child)
    sign_in(client, nurse)

    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_a_member_cannot_open_the_childs_other_pages(client, world):
    nurse, _, child, series, _ = world
    on_agenda(series, child)
    mace = f.make_mace(child)
    sign_in(client, nurse)

    assert client.get(f"/children/mace/{mace.pk}/").status_code in (403, 404)
    assert client.get(f"/children/{child.pk}/edit/").status_code in (403, 404)
