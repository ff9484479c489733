"""Progress on an action: evidence entries and BRAG changes, each kept with who and when."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.errors import EditConflict
from lantern.core.testing import make_user
from lantern.plans import services
from lantern.plans.models import Brag, BragChange
from lantern.plans.tests.plan_data import NOW, build_plan

pytestmark = pytest.mark.django_db


def test_every_brag_change_is_kept_with_who_and_when():
    plan = build_plan()
    manager = make_user(Role.PARTNERSHIP_MANAGER, full_name="Morgan Reeve")
    action = plan.campaign

    services.record_progress(
        manager, action, expected_version=action.version, brag="green", now=NOW
    )
    later = NOW + timedelta(days=30)
    services.record_progress(
        manager,
        action,
        expected_version=action.version,
        brag="amber",
        evidence="Venue fell through",
        now=later,
    )

    changes = list(BragChange.objects.filter(action=action).order_by("changed_at"))
    assert [(c.from_brag, c.to_brag) for c in changes] == [("", "green"), ("green", "amber")]
    assert [c.changed_at for c in changes] == [NOW, later]
    assert {c.changed_by for c in changes} == {manager}
    action.refresh_from_db()
    assert action.brag == Brag.AMBER


def test_evidence_is_added_as_a_dated_entry_and_audited():
    plan = build_plan()
    manager = make_user(Role.PARTNERSHIP_MANAGER)
    action = plan.campaign

    services.record_progress(
        manager,
        action,
        expected_version=action.version,
        brag="",
        evidence="Campaign materials drafted",
        on=date(2026, 5, 9),
        now=NOW,
    )

    entry = action.evidence.get()
    assert (entry.on, entry.text, entry.recorded_by) == (
        date(2026, 5, 9),
        "Campaign materials drafted",
        manager,
    )
    assert not BragChange.objects.filter(action=action).exists()
    audit = AuditEntry.objects.filter(object_type="plans.deliveryaction", object_id=str(action.pk))
    assert audit.filter(details__changes__evidence__1="Campaign materials drafted").exists()


def test_an_update_that_changes_nothing_is_refused():
    plan = build_plan()
    action = plan.campaign

    with pytest.raises(services.PlanRefused, match="Add evidence"):
        services.record_progress("someone", action, expected_version=action.version, brag="")


def test_an_unknown_rating_is_refused():
    plan = build_plan()

    with pytest.raises(services.PlanRefused, match="BRAG"):
        services.record_progress("someone", plan.campaign, expected_version=1, brag="purple")


def test_a_stale_form_gets_a_conflict_and_saves_nothing():
    plan = build_plan()
    action = plan.campaign
    stale = action.version
    services.record_progress("first person", action, expected_version=stale, brag="green", now=NOW)

    with pytest.raises(EditConflict):
        services.record_progress(
            "second person", action, expected_version=stale, brag="red", evidence="Late", now=NOW
        )

    action.refresh_from_db()
    assert action.brag == Brag.GREEN
    assert BragChange.objects.filter(action=action).count() == 1
    assert not action.evidence.exists()


def test_a_withdrawn_action_keeps_its_history_and_takes_no_more_progress():
    plan = build_plan()
    action = plan.campaign
    services.record_progress("lead", action, expected_version=action.version, brag="green", now=NOW)

    services.withdraw_action("manager", action, reason="Merged into 2.2", now=NOW)

    with pytest.raises(services.PlanRefused, match="withdrawn"):
        services.record_progress("lead", action, expected_version=action.version, brag="red")
    assert BragChange.objects.filter(action=action).count() == 1
    assert action not in services.live_actions(plan.strategy)
