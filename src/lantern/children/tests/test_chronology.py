"""A child's chronology takes in intake submissions, agendas and tasking actions, each filtered
by what the person looking may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.children.models import Allocation, Contact, ContactRoute
from lantern.children.tests import factories as f
from lantern.children.views import chronology
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.intake.models import Route
from lantern.intake.tests.factories import make_submission
from lantern.tasking import services as tasking
from lantern.tasking.models import AgendaItem, Meeting, MeetingSeries, MeetingType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def from_intake(child, submission):
    return Contact.objects.create(
        child=child,
        received_on=timezone.localdate(),
        route=ContactRoute.INTAKE,
        source="Single point of entry",
        intake_reference=submission.reference,
        summary="From the single point of entry",
        recorded_by=child.created_by,
    )


def an_action(owner, origin, title):
    now = timezone.now()
    return tasking.create_action(
        owner,
        title=title,
        owning_agency=owner.agency,
        owner=owner,
        due_on=now.date() + timedelta(days=7),
        now=now,
        route=MeetingType.MACE,
        origin=origin,
    )


def kinds_and_texts(events):
    return [(e.kind, e.text) for e in events]


def test_submissions_behind_the_childs_contacts_appear_as_the_user_may_see_them():
    child = f.make_child()
    about_child = make_submission(route=Route.SPECIFIC_CHILD)
    intelligence = make_submission(route=Route.INTELLIGENCE)
    from_intake(child, about_child)
    from_intake(child, intelligence)
    social_worker = make_user(Role.CSE_SOCIAL_WORKER)
    analyst = make_user(Role.POLICE_INTELLIGENCE)

    seen = " ".join(e.text for e in chronology(child, user=social_worker) if e.kind == "Submission")
    assert about_child.reference in seen
    assert intelligence.reference not in seen  # not a child's submission: intake's rule hides it
    everything = [e.text for e in chronology(child, user=analyst) if e.kind == "Submission"]
    assert len(everything) == 2


def test_actions_linked_to_the_child_appear_only_for_their_agency():
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    housing = AgencyFactory(name="Test housing", kind=AgencyKind.HOUSING)
    nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health)
    housing_officer = make_user(Role.PARTNER_PRACTITIONER, agency=housing)
    child = f.make_child()
    Allocation.objects.create(
        child=child,
        worker=nurse,
        role="key_worker",
        started_on=timezone.localdate(),
        allocated_by=child.created_by,
    )
    discussion = f.make_mace(child)
    an_action(nurse, discussion, "Book a sexual health appointment")
    an_action(housing_officer, f.make_missing(child), "Check the address she was found at")
    an_action(housing_officer, f.make_child(), "An action about another child")

    mine = kinds_and_texts(chronology(child, user=nurse))
    assert any(k == "Action" and "Book a sexual health appointment" in t for k, t in mine)
    assert not any("Check the address" in t for _, t in mine)
    chair = make_user(Role.MACE_CHAIR)  # chairs see every action
    theirs = [t for k, t in kinds_and_texts(chronology(child, user=chair)) if k == "Action"]
    assert len(theirs) == 2
    assert not any("another child" in t for t in theirs)


def test_agenda_items_and_their_actions_appear_for_meeting_members(client):
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health)
    child = f.make_child()
    Allocation.objects.create(
        child=child,
        worker=nurse,
        role="key_worker",
        started_on=timezone.localdate(),
        allocated_by=child.created_by,
    )
    series = MeetingSeries.objects.create(
        name="Northmere MACE",
        meeting_type=MeetingType.MACE,
        first_meeting_on=timezone.localdate(),
        chair=make_user(Role.MACE_CHAIR),
    )
    meeting = Meeting.objects.create(series=series, held_on=timezone.localdate())
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=f"MACE review: child {child.reference}",
        source_type=ContentType.objects.get_for_model(child),
        source_id=str(child.pk),
    )
    an_action(nurse, item, "Attend the strategy meeting")

    before = kinds_and_texts(chronology(child, user=nurse))
    assert not any(k == "On an agenda" for k, _ in before)  # not a member yet
    series.members.add(nurse)
    after = kinds_and_texts(chronology(child, user=nurse))
    assert ("On an agenda", f"{meeting}: MACE review: child {child.reference}") in after
    assert any(k == "Action" and "Attend the strategy meeting" in t for k, t in after)

    sign_in(client, nurse)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Attend the strategy meeting" in page
    assert f"/tasking/meetings/{meeting.pk}/" in page
