"""MACE outcomes become tasking actions: owners, due dates, origin, and skips with a message."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.children import services
from lantern.children.models import ServiceReferral
from lantern.children.tests import factories as f
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.tasking.models import Action, MeetingType

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2015, 3, 20, 12, 0))


def test_each_outcome_that_is_a_task_becomes_an_action_with_an_owner_and_due_date():
    recorder = make_user(Role.CSE_SOCIAL_WORKER)
    specialist = make_user(Role.CSE_SOCIAL_WORKER)
    child = f.make_child()
    discussion = f.make_mace(child, held_on=date(2015, 3, 19), level="high")

    services.apply_mace_outcomes(
        recorder,
        discussion,
        outcomes=["allocate_specialist", "sexual_health", "camhs"],
        specialist=specialist,
        now=NOW,
    )

    actions = {a.title: a for a in Action.objects.all()}
    ref = child.reference
    allocate = actions[f"Allocate a specialist CSE social worker: child {ref}"]
    assert (allocate.owner, allocate.owning_agency) == (specialist, specialist.agency)
    assert allocate.origin == discussion
    referrals = {r.service.code: r for r in ServiceReferral.objects.select_related("service")}
    for code in ("sexual-health", "camhs"):
        referral = referrals[code]
        action = actions[f"Refer to {referral.service}: child {ref}"]
        assert (action.owner, action.owning_agency) == (recorder, recorder.agency)
        assert action.origin == referral
    assert len(actions) == 3
    for action in actions.values():
        assert action.route == MeetingType.MACE
        assert action.due_on == date(2015, 3, 27)
        assert action.escalation_contact == discussion.chair


def test_an_action_is_due_by_the_review_when_it_comes_sooner_and_never_in_the_past():
    soon = f.make_mace(f.make_child(), held_on=date(2015, 3, 19), review_on=date(2015, 3, 23))
    past = f.make_mace(f.make_child(), held_on=date(2015, 2, 1), review_on=date(2015, 3, 1))

    assert services.mace_action_due(soon, NOW.date()) == date(2015, 3, 23)
    assert services.mace_action_due(past, NOW.date()) == NOW.date() + timedelta(days=7)


def test_an_outcome_whose_owner_cannot_own_an_action_is_skipped_with_a_message(client):
    chair = sign_in(client, make_user(Role.MACE_CHAIR))
    child = f.make_child()
    discussion = f.make_mace(child, held_on=date(2015, 3, 1), level="high")
    archived = AgencyFactory(name="Archived social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    specialist = make_user(Role.CSE_SOCIAL_WORKER, agency=archived)
    archived.is_active = False
    archived.save()

    response = client.post(
        f"/children/mace/{discussion.pk}/",
        {"outcomes": ["allocate_specialist", "camhs"], "specialist": specialist.pk},
        follow=True,
    )

    page = response.content.decode()
    assert "The outcomes have been recorded." in page
    assert "No action was created for" in page and "archived" in page
    assert child.allocations.get().worker == specialist
    [action] = Action.objects.all()
    assert action.owner == chair and action.origin == ServiceReferral.objects.get()


def test_the_discussion_page_lists_the_actions_it_created(client):
    chair = sign_in(client, make_user(Role.MACE_CHAIR))
    discussion = f.make_mace(f.make_child(), held_on=date(2015, 3, 1), level="low")
    client.post(f"/children/mace/{discussion.pk}/", {"outcomes": ["youth_step_down"]})
    action = Action.objects.get()

    page = client.get(f"/children/mace/{discussion.pk}/").content.decode()

    assert action.owner == chair
    assert f"/tasking/actions/{action.pk}/" in page
    assert action.title in page
