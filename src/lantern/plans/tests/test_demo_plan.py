"""`lantern demo` loads a fictional Northmere delivery plan with history and two versions."""

from __future__ import annotations

import pytest

from lantern.plans.models import BragChange, DeliveryAction, PlanVersion, Strategy

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_rated_plan_with_history_and_versions(demo_borough):

    strategy = Strategy.objects.get()
    ratings = set(DeliveryAction.objects.values_list("brag", flat=True))
    assert [p.name for p in strategy.priorities.all()] == [
        "Leadership",
        "Prevent",
        "Protect",
        "Pursue",
        "Provide",
        "Participation",
    ]
    assert DeliveryAction.objects.count() >= 25
    assert ratings == {"", "blue", "green", "amber", "red"}
    assert BragChange.objects.filter(from_brag="green", to_brag="amber").exists()
    assert [v.number for v in PlanVersion.objects.order_by("major", "minor")] == ["1.0", "1.1"]
    assert strategy.recommendations.filter(actions__isnull=True).exists()
    assert strategy.lead_officers.filter(user__username="licensing").exists()


def test_the_demo_plan_on_a_page_prints_on_one_page(demo_borough):
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from lantern.plans.onepage import plan_on_a_page

    strategy = Strategy.objects.get()
    summary = plan_on_a_page(strategy, timezone.localdate())

    html = render_to_string("plans/plan_page_pdf.html", {"page": summary, "strategy": strategy})

    assert len(HTML(string=html).render().pages) == 1
