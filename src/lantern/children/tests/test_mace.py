"""MACE: opinions, agreed level, suggested and chosen outcomes, reviews coming due."""

from __future__ import annotations

from datetime import date

import pytest

from lantern.accounts.roles import Role
from lantern.children import services
from lantern.children.models import MaceDiscussion, ServiceReferral
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_three_opinions_and_an_agreed_level_are_recorded_and_outcomes_suggested(client):
    chair = sign_in(client, make_user(Role.MACE_CHAIR))
    child = f.make_child()
    response = client.post(
        f"/children/{child.pk}/mace/add/",
        {
            "held_on": "2015-03-10",
            "chair": chair.pk,
            "attendee_1": "A Nurse",
            "agency_1": "Health",
            "level_1": "medium",
            "attendee_2": "A Sergeant",
            "agency_2": "Police",
            "level_2": "high",
            "attendee_3": "A Teacher",
            "agency_3": "School",
            "level_3": "high",
            "agreed_level": "high",
        },
    )
    discussion = MaceDiscussion.objects.get()
    assert response.status_code == 302
    assert discussion.opinions.count() == 3
    assert discussion.review_on == date(2015, 4, 7)  # 28 days for high
    page = client.get(f"/children/mace/{discussion.pk}/").content.decode()
    assert 'value="allocate_specialist" checked' in page.replace("\n", " ") or "checked" in page
    child.refresh_from_db()
    assert child.current_level == "high"


def test_a_half_filled_attendee_row_is_refused_with_a_message_by_the_field(client):
    chair = sign_in(client, make_user(Role.MACE_CHAIR))
    child = f.make_child()
    response = client.post(
        f"/children/{child.pk}/mace/add/",
        {
            "held_on": "2015-03-10",
            "chair": chair.pk,
            "attendee_1": "A Nurse",
            "agreed_level": "low",
        },
    )
    page = response.content.decode()
    assert "Enter attendee 1&#x27;s agency" in page
    assert "Choose attendee 1&#x27;s opinion of the risk" in page
    assert MaceDiscussion.objects.count() == 0


def test_the_rules_suggest_a_specialist_and_referrals_for_medium_and_high():
    for level in ("medium", "high"):
        assert "allocate_specialist" in services.suggested_outcomes(level)
        assert "camhs" in services.suggested_outcomes(level)
    assert services.suggested_outcomes("low") == ["youth_step_down"]


def test_chosen_outcomes_allocate_a_specialist_and_make_real_service_referrals(client):
    sign_in(client, make_user(Role.MACE_CHAIR))
    child = f.make_child()
    discussion = f.make_mace(child, level="high")
    specialist = make_user(Role.CSE_SOCIAL_WORKER)
    response = client.post(
        f"/children/mace/{discussion.pk}/",
        {
            "outcomes": ["allocate_specialist", "sexual_health", "camhs"],
            "specialist": specialist.pk,
        },
    )
    assert response.status_code == 302
    allocation = child.allocations.get()
    assert allocation.worker == specialist and allocation.role == "specialist"
    assert allocation.mace_discussion == discussion
    assert set(ServiceReferral.objects.values_list("service__code", flat=True)) == {
        "sexual-health",
        "camhs",
    }


def test_allocating_without_choosing_the_worker_is_refused(client):
    sign_in(client, make_user(Role.MACE_CHAIR))
    discussion = f.make_mace(f.make_child(), level="high")
    response = client.post(
        f"/children/mace/{discussion.pk}/", {"outcomes": ["allocate_specialist", "camhs"]}
    )
    assert "Choose the specialist CSE social worker" in response.content.decode()
    assert ServiceReferral.objects.count() == 0


def test_reviews_coming_due_are_the_candidates_for_the_next_agenda():
    due = f.make_child()
    f.make_mace(due, held_on=date(2015, 2, 1), review_on=date(2015, 3, 1))
    reviewed_since = f.make_child()
    f.make_mace(reviewed_since, held_on=date(2015, 1, 1), review_on=date(2015, 3, 2))
    f.make_mace(reviewed_since, held_on=date(2015, 2, 20), review_on=date(2015, 5, 1))
    closed = f.make_child(open_episode=False)
    f.make_mace(closed, held_on=date(2015, 2, 1), review_on=date(2015, 3, 1))
    assert services.mace_agenda_candidates(date(2015, 2, 25), date(2015, 3, 10)) == [due]
