"""Every app's computed measures reach the catalogue and compute from the records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lantern.core.periods import Period
from lantern.performance import registry
from lantern.performance.services import sync_catalogue

pytestmark = pytest.mark.django_db


def _quarter_of(day):
    year = day.year if day.month >= 4 else day.year - 1
    return Period.parse(f"{year}/{str(year + 1)[-2:]}-Q{((day.month - 4) % 12) // 3 + 1}")


def test_intake_tasking_and_children_measures_are_in_the_catalogue():
    codes = {m.code for m in registry.computed_measures()}
    assert {
        "pursue-submissions-public",
        "pursue-share-to-tasking",
        "pursue-actions-overdue",
        "pursue-abduction-notices",
        "protect-high-risk-children",
    } <= codes
    sync_catalogue()


def test_the_demo_borough_gives_figures_for_the_last_quarter(demo_borough):
    quarter = _quarter_of(timezone.localdate() - timedelta(days=92))
    received = sum(
        registry.computed_measure(f"pursue-submissions-{s}").compute(quarter)
        for s in ("partner", "councillor", "public", "police")
    )
    assert received > 0
    share = registry.computed_measure("pursue-share-to-tasking").compute(quarter)
    assert share is None or 0 <= share <= 100
    assert registry.computed_measure("pursue-actions-created").compute(quarter) >= 0
