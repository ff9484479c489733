"""The public view: published data summaries and the published plan on a page, read without
signing in, small numbers withheld, with the publication date and content hash; nothing
unpublished."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import make_user
from lantern.performance import services
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure, put

pytestmark = pytest.mark.django_db
Q2 = Period.parse("2014/15-Q2")


@pytest.fixture
def published():
    charges = make_measure("Charged with an offence")
    arrests = make_measure("Arrests")
    put(charges, "2014/15-Q2", 3)
    put(arrests, "2014/15-Q2", 14)
    report = services.publish_report(
        make_user(Role.PERFORMANCE_OFFICER), Q2, now=DECEMBER_2014, accept_gaps=True
    )
    put(arrests, "2014/15-Q2", 99)  # changed after publication: the public sees what was published
    return report


def test_anyone_reads_a_published_summary_with_small_numbers_withheld(client, published):
    page = client.get(reverse("performance:public-report", args=["2014-15-Q2"]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Data summary 2014/15-Q2" in text
    assert published.content_hash in text
    assert "1 December 2014" in text
    assert "&lt;5" in text  # three charges withheld
    assert ">14<" in text and ">99<" not in text


def test_the_public_list_names_each_published_period(client, published):
    text = client.get(reverse("performance:public-list")).content.decode()
    assert reverse("performance:public-report", args=["2014-15-Q2"]) in text
    assert published.content_hash[:12] in text


def test_a_public_download_is_the_published_file_byte_for_byte(client, published):
    response = client.get(reverse("performance:public-report-download", args=["2014-15-Q2", "csv"]))
    assert response.content == bytes(published.files.get(format="csv").data)
    assert b"<5" in response.content


@pytest.mark.parametrize("period", ["2014-15-Q3", "2014-15", "nonsense"])
def test_a_public_url_for_an_unpublished_period_is_not_found(client, published, period):
    assert client.get(reverse("performance:public-report", args=[period])).status_code == 404


def test_the_public_pages_are_read_only(client, published):
    response = client.post(reverse("performance:public-report", args=["2014-15-Q2"]))
    assert response.status_code in (403, 405) or b'<form method="post"' not in response.content


def _plan_with_a_version():
    from lantern.plans import services as plans
    from lantern.plans import versions

    actor = "test"
    strategy = plans.create_strategy(actor, name="Plan 2025-28", start_year=2025, end_year=2028)
    objective = plans.save_objective(
        actor, strategy, priority=strategy.priorities.first(), ref="1.1", title="Lead well"
    )
    lead = plans.save_lead_officer(
        actor, strategy, name="Casey Example", job_title="Head of Safeguarding"
    )
    plans.create_action(
        actor, objective, text="Publish the strategy", lead=lead, due=date(2025, 5, 1)
    )
    return strategy, versions


def test_anyone_opens_the_published_plan_on_a_page_without_personal_names(client):
    strategy, versions = _plan_with_a_version()
    version = versions.publish_version("test", strategy, comment="First")
    from lantern.plans import services as plans

    plans.create_action(
        "test",
        strategy.objectives.first(),
        text="A draft action not yet published",
        lead=None,
        due=None,
    )

    page = client.get(reverse("plans:public-plan", args=[strategy.pk])).content.decode()

    assert "Plan 2025-28" in page
    assert f"version {version.number}" in page
    assert "Actions overdue when this version was published (1)" in page
    assert "Publish the strategy" in page
    assert "A draft action not yet published" not in page
    assert "Head of Safeguarding" in page
    assert "Casey Example" not in page
    from lantern.plans.public import snapshot_hash

    assert snapshot_hash(version.snapshot) in page


def test_a_plan_with_no_published_version_is_not_found_publicly(client):
    strategy, _ = _plan_with_a_version()
    assert client.get(reverse("plans:public-plan", args=[strategy.pk])).status_code == 404
    assert "Plan 2025-28" not in client.get(reverse("plans:public-list")).content.decode()
