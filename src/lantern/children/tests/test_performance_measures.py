"""Children's Protect measures appear in the performance catalogue, computed from the records."""

from __future__ import annotations

import pytest

from lantern.children import measures
from lantern.children.models import Contact
from lantern.children.performance_measures import PROTECT_MEASURES
from lantern.core.periods import Period
from lantern.performance import registry

pytestmark = pytest.mark.django_db


def test_every_children_measure_is_registered_under_protect():
    registered = {m.code: m for m in registry.computed_measures()}
    for code, *_ in PROTECT_MEASURES:
        assert registered[code].priority == "protect"


def test_a_registered_measure_computes_the_same_figure_as_the_children_function(demo_borough):
    received = Contact.objects.filter(about_cse=True).earliest("received_on").received_on
    quarter = _quarter_of(received)
    measure = registry.computed_measure("protect-cse-contacts")
    figure = measure.compute(quarter)
    assert figure >= 1
    assert figure == measures.cse_contacts(quarter.start, quarter.end)


def _quarter_of(day):
    year = day.year if day.month >= 4 else day.year - 1
    return Period.parse(f"{year}/{str(year + 1)[-2:]}-Q{((day.month - 4) % 12) // 3 + 1}")
