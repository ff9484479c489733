"""Setting up a meeting with named members, who must come from the member agencies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.core.testing import sign_in
from lantern.tasking import services
from lantern.tasking.models import MeetingSeries
from lantern.tasking.tests.factories import MONDAY, tasking_world

pytestmark = pytest.mark.django_db


def series_post(world, **extra):
    return {
        "name": "Northmere GAP meeting <script>x</script>",
        "meeting_type": "gap",
        "first_meeting_on": MONDAY.isoformat(),
        "chair": world.chair.pk,
        "member_agencies": [world.police.pk, world.health.pk],
        **extra,
    }


def test_members_from_the_member_agencies_are_kept_and_shown(client):
    world = tasking_world()
    sign_in(client, world.chair)

    response = client.post(
        reverse("tasking:series-create"),
        series_post(world, members=[world.analyst.pk, world.nurse.pk]),
        follow=True,
    )

    series = MeetingSeries.objects.get(meeting_type="gap")
    assert set(series.members.all()) == {world.analyst, world.nurse}
    page = response.content.decode()
    assert world.nurse.full_name in page and "&lt;script&gt;" in page


def test_a_member_outside_the_member_agencies_is_refused_by_the_field(client):
    world = tasking_world()
    sign_in(client, world.chair)
    before = MeetingSeries.objects.count()

    response = client.post(
        reverse("tasking:series-create"),
        series_post(world, members=[world.nurse.pk, world.outsider.pk]),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Choose members from the member agencies, or add their agency" in page
    assert 'id="id_members-error"' in page
    assert "Northmere GAP meeting &lt;script&gt;" in page
    assert MeetingSeries.objects.count() == before


def test_the_form_offers_people_to_choose_as_members(client):
    world = tasking_world()
    sign_in(client, world.chair)

    page = client.get(reverse("tasking:series-create")).content.decode()

    assert 'name="members"' in page
    assert world.licensing_officer.full_name in page


def test_the_service_refuses_a_member_outside_the_member_agencies():
    world = tasking_world()

    with pytest.raises(services.TaskingRefused, match="member agencies"):
        services.create_series(
            world.chair,
            name="Operational managers",
            meeting_type="operational_managers",
            first_meeting_on=MONDAY,
            chair=world.chair,
            member_agencies=[world.police],
            members=[world.outsider],
        )

    assert not MeetingSeries.objects.filter(name="Operational managers").exists()


def test_series_membership_not_being_a_partner_agency_decides_what_a_partner_sees():
    from lantern.accounts.access import can, visible
    from lantern.tasking.models import AgendaItem

    world = tasking_world()
    item = services.add_item(
        world.chair,
        world.meetings[0],
        title="Silver car outside the school",
        partner_summary="A car seen near a school at home time",
        full_summary="Police-only detail",
    )
    # Health is a member agency; the unrelated housing agency is a partner agency too, but
    # not at this table.
    assert item in visible(world.nurse, AgendaItem.objects.all())
    assert can(world.nurse, "view", item)
    assert item not in visible(world.outsider, AgendaItem.objects.all())
    assert not can(world.outsider, "view", item)
    # Named as a member, the outsider sees it; taken off, they do not.
    world.series.members.add(world.outsider)
    assert can(world.outsider, "view", item)
    world.series.members.remove(world.outsider)
    assert not can(world.outsider, "view", item)
