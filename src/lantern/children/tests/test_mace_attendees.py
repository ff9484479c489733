"""A MACE discussion recorded at its meeting: attendees chosen from the series' members, guests
named, and both in the minutes (issue 26: attendees were typed as free text, separately)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.children.models import MaceDiscussion
from lantern.children.tests import factories as f
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.tasking import exports
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType

pytestmark = pytest.mark.django_db


@pytest.fixture
def mace():
    today = timezone.localdate()
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    social_care = AgencyFactory(name="Test social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    chair = make_user(Role.MACE_CHAIR, agency=social_care, full_name="Casey Chair")
    nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health, full_name="Nia Nurse")
    outsider = make_user(Role.PARTNER_PRACTITIONER, agency=health, full_name="Oli Outsider")
    series = tasking.create_series(
        chair,
        name="Northmere MACE",
        meeting_type=MeetingType.MACE,
        first_meeting_on=today,
        chair=chair,
        member_agencies=[health, social_care],
    )
    series.members.add(nurse, chair)
    tasking.generate_meetings(chair, series, until=today)
    meeting = series.meetings.get()
    child = f.make_child(by=chair)
    f.make_mace(child, held_on=today - timedelta(days=30), review_on=today - timedelta(days=1))
    tasking.build_agenda(chair, meeting, now=timezone.now())
    assert meeting.items.exists()
    return chair, nurse, outsider, meeting, child


def posted(chair, **extra):
    return {
        "held_on": timezone.localdate().isoformat(),
        "chair": chair.pk,
        "attendee_1": "Nia Nurse",
        "agency_1": "Test health",
        "level_1": "high",
        "agreed_level": "high",
        **extra,
    }


def test_attendees_are_chosen_from_the_series_members_and_guests_named(client, mace):
    chair, nurse, outsider, meeting, child = mace
    sign_in(client, chair)
    child_page = client.get(f"/children/{child.pk}/").content.decode()
    url = f"/children/{child.pk}/mace/add/?meeting={meeting.pk}"
    assert url in child_page

    form = client.get(url).content.decode()
    assert 'type="checkbox" name="attendees"' in form
    assert "Nia Nurse" in form and "Oli Outsider" not in form
    assert 'name="guests"' in form

    response = client.post(
        url, posted(chair, attendees=[nurse.pk, chair.pk], guests="Jo Guest, youth service")
    )

    assert response.status_code == 302
    discussion = MaceDiscussion.objects.get(meeting=meeting)
    assert set(discussion.attendees.all()) == {nurse, chair}
    assert discussion.guests == "Jo Guest, youth service"
    ((item, _),) = exports.minutes_context(meeting, recipient=None)["items"]
    attended = dict(item.minutes_notes)["Attended"]
    assert "Nia Nurse" in attended and "Jo Guest, youth service" in attended


def test_someone_who_is_not_a_member_cannot_be_ticked(client, mace):
    chair, _, outsider, meeting, child = mace
    sign_in(client, chair)
    url = f"/children/{child.pk}/mace/add/?meeting={meeting.pk}"
    response = client.post(url, posted(chair, attendees=[outsider.pk]))
    assert response.status_code == 200
    assert 'id="id_attendees-error"' in response.content.decode() or (
        "Select a valid choice" in response.content.decode()
    )
    assert not MaceDiscussion.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("bad", ["abc", "999999"])
def test_a_meeting_the_child_is_not_on_is_not_found(client, mace, bad):
    chair, _, _, _, child = mace
    sign_in(client, chair)
    assert client.get(f"/children/{child.pk}/mace/add/?meeting={bad}").status_code == 404
