"""Publishing versions of the plan and comparing any two of them."""

from __future__ import annotations

from datetime import date

import pytest

from lantern.plans import services, versions
from lantern.plans.tests.plan_data import NOW, build_plan

pytestmark = pytest.mark.django_db


def test_versions_are_numbered_like_a_version_control_table():
    plan = build_plan()

    numbers = [
        versions.publish_version("pm", plan.strategy, comment="Draft approved").number,
        versions.publish_version("pm", plan.strategy, comment="Lead updates").number,
        versions.publish_version("pm", plan.strategy, comment="Board approved", major=True).number,
        versions.publish_version("pm", plan.strategy, comment="BRAG updates").number,
    ]

    assert numbers == ["1.0", "1.1", "2.0", "2.1"]


def test_a_version_needs_a_comment():
    plan = build_plan()

    with pytest.raises(services.PlanRefused, match="what this version changes"):
        versions.publish_version("pm", plan.strategy, comment="  ")


def test_a_published_version_does_not_change_when_the_plan_does():
    plan = build_plan()
    version = versions.publish_version("pm", plan.strategy, comment="First", now=NOW)
    frozen = version.snapshot

    services.record_progress(
        "lead", plan.campaign, expected_version=1, brag="red", evidence="Behind plan", now=NOW
    )

    version.refresh_from_db()
    assert version.snapshot == frozen
    first_action = version.snapshot["priorities"][1]["objectives"][0]["actions"][0]
    assert (first_action["text"], first_action["brag"]) == ("Run an awareness campaign", "")


def test_comparing_versions_lists_added_removed_changed_and_brag_changes():
    plan = build_plan()
    older = versions.publish_version("pm", plan.strategy, comment="First", now=NOW)
    services.record_progress(
        "lead", plan.campaign, expected_version=1, brag="amber", evidence="Delayed", now=NOW
    )
    schools = plan.schools
    services.update_action(
        "pm",
        schools,
        expected_version=schools.version,
        objective=schools.objective,
        text="Brief every school and college",
        lead=schools.lead,
        due=date(2030, 12, 1),
    )
    services.withdraw_action("pm", plan.mace, reason="Done elsewhere")
    added = services.create_action(
        "pm", plan.second, text="Audit risk assessments", lead=None, due=None
    )
    newer = versions.publish_version("pm", plan.strategy, comment="Second", now=NOW)

    result = versions.compare_versions(older, newer)

    assert [a["text"] for a in result.added] == [added.text]
    assert [a["text"] for a in result.removed] == ["Review MACE thresholds"]
    assert [(b["text"], b["before"], b["after"]) for b in result.brag_changes] == [
        ("Run an awareness campaign", "Not rated", "Amber")
    ]
    changed = {c.text: c.changes for c in result.changed}
    assert changed["Brief every school and college"] == [
        ("wording", "Brief every school", "Brief every school and college"),
        ("due month", "2030-09", "2030-12"),
    ]
    assert changed["Run an awareness campaign"][0][0] == "evidence of progress"
    assert "Delayed" in changed["Run an awareness campaign"][0][2]


def test_a_version_compares_with_the_plan_as_it_stands():
    plan = build_plan()
    version = versions.publish_version("pm", plan.strategy, comment="First", now=NOW)
    services.record_progress(
        "lead", plan.campaign, expected_version=1, brag="blue", evidence="Signed off", now=NOW
    )

    result = versions.compare_versions(version, None)

    assert result.newer == "the plan as it stands"
    assert [b["after"] for b in result.brag_changes] == ["Blue"]


def test_comparing_a_version_with_itself_finds_nothing():
    plan = build_plan()
    version = versions.publish_version("pm", plan.strategy, comment="First", now=NOW)

    assert versions.compare_versions(version, version).nothing_changed
