"""Before publishing, what is missing is shown and must be accepted; publishing with gaps
records who accepted them (issue 25)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.performance import services
from lantern.performance.models import PublishedReport
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure, put

pytestmark = pytest.mark.django_db
Q2 = Period.parse("2014/15-Q2")


@pytest.fixture
def gaps():
    officer = make_user(Role.PERFORMANCE_OFFICER, full_name="Pat Officer")
    health = AgencyFactory(name="Northmere Health Trust")
    make_measure("Staff trained in CSE", priority="prevent", section="Training", owner=health)
    services.request_figures(officer, agency=health, period=Q2, due_on=None, now=DECEMBER_2014)
    arrests = make_measure("Arrests")
    put(arrests, "2014/15-Q2", 14)
    return officer


def test_the_gaps_are_listed_before_publishing(gaps):
    found = [gap.text for gap in services.publication_gaps(Q2)]
    assert any("Northmere Health Trust" in text and "not entered" in text for text in found)
    assert any("Staff trained in CSE" in text and "no value" in text for text in found)
    assert not any("Arrests" in text for text in found)


def test_publishing_with_gaps_is_refused_until_they_are_accepted(gaps):
    with pytest.raises(services.PublishRefused, match="missing"):
        services.publish_report(gaps, Q2, now=DECEMBER_2014)
    assert PublishedReport.objects.count() == 0

    report = services.publish_report(gaps, Q2, now=DECEMBER_2014, accept_gaps=True)

    accepted = report.content["accepted_gaps"]
    assert accepted["by"] == str(gaps)
    assert any("Staff trained in CSE" in text for text in accepted["gaps"])


def test_the_publish_page_shows_the_gaps_and_asks_to_confirm(client, gaps):
    sign_in(client, gaps)

    first = client.post(reverse("performance:publish"), {"period": "2014/15-Q2"})

    page = first.content.decode()
    assert first.status_code == 200
    assert "Northmere Health Trust has not entered its figures" in page
    assert "Staff trained in CSE" in page
    assert PublishedReport.objects.count() == 0
    confirm = first.context["gaps_fingerprint"]

    second = client.post(
        reverse("performance:publish"),
        {"period": "2014/15-Q2", "accept_gaps": "yes", "gaps_fingerprint": confirm},
    )

    assert second.status_code == 302
    report = PublishedReport.objects.get()
    assert report.content["accepted_gaps"]["by"] == str(gaps)
