"""Each indicator is recorded as present, absent or not known; a blank assessment is refused,
and "not known" is never shown as "no apparent risk" (issue 25)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in
from lantern.risk import services
from lantern.risk.models import Indicator, RiskAssessment

pytestmark = pytest.mark.django_db


def _indicators(version):
    return list(Indicator.objects.filter(group__version=version).order_by("group__order", "order"))


def _assess_url(child, version):
    return f"/risk/children/{child.pk}/assess/{version.pk}/"


def test_a_blank_assessment_is_refused_and_nothing_is_saved(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")

    response = client.post(_assess_url(child, version), {"assessed_on": "2015-03-01"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Record each indicator as present, absent or not known" in page
    assert RiskAssessment.objects.count() == 0


def test_the_service_refuses_an_assessment_with_nothing_recorded():
    child = f.make_child()
    version = f.active_version("cse-screening")
    with pytest.raises(services.AssessmentRefused, match="present, absent or not known"):
        services.record_assessment(
            child.created_by, version, child=child, assessed_on=f.TODAY, ticked={}, now=f.NOW
        )
    assert RiskAssessment.objects.count() == 0


def test_an_indicator_left_unanswered_is_named_and_the_other_answers_are_kept(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")
    first, *rest = _indicators(version)
    data = {"assessed_on": "2015-03-01", f"evidence_{first.pk}": "Seen by the school nurse"}
    data[f"answer_{first.pk}"] = "present"
    for indicator in rest[1:]:
        data[f"answer_{indicator.pk}"] = "absent"

    response = client.post(_assess_url(child, version), data)

    page = response.content.decode()
    assert f"Choose whether \u201c{rest[0].text}\u201d is present, absent or not known" in page
    assert "Seen by the school nurse" in page
    assert RiskAssessment.objects.count() == 0


def test_not_known_is_shown_as_not_known_never_as_no_apparent_risk(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")
    first, *rest = _indicators(version)
    data = {"assessed_on": "2015-03-01", f"answer_{first.pk}": "absent"}
    for indicator in rest:
        data[f"answer_{indicator.pk}"] = "not_known"

    response = client.post(_assess_url(child, version), data)

    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.score == 0
    assert assessment.not_known_count == len(rest)
    detail = client.get(f"/risk/assessments/{assessment.pk}/").content.decode()
    assert "No apparent risk" not in _without_bands(detail)
    assert "Not known" in detail
    child_page = client.get(f"/children/{child.pk}/").content.decode()
    chronology = child_page[child_page.index("Chronology") :]
    assert "No apparent risk" not in chronology
    assert re.search(r"<title>[^<]*Not known[^<]*</title>", child_page)  # the chart's point
    assert 'data-testid="risk-table"' in child_page
    table = child_page[child_page.index('data-testid="risk-table"') :]
    assert "Not known" in table[: table.index("</table>")]
    assert "No apparent risk" not in table[: table.index("</table>")]
    child.refresh_from_db()
    assert child.current_level != "none"


def test_a_present_indicator_with_others_not_known_keeps_its_level_and_says_what_is_missing(
    client,
):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    version = f.active_version("cse-screening")
    first, *rest = _indicators(version)
    data = {
        "assessed_on": "2015-03-01",
        f"answer_{first.pk}": "present",
        f"evidence_{first.pk}": "Seen by the school nurse",
    }
    for indicator in rest:
        data[f"answer_{indicator.pk}"] = "not_known"

    client.post(_assess_url(child, version), data)

    assessment = RiskAssessment.objects.get()
    assert assessment.score == first.weight
    assert assessment.level == assessment.computed_level != "none"
    detail = client.get(f"/risk/assessments/{assessment.pk}/").content.decode()
    assert f"{len(rest)} indicators not known" in detail


def _without_bands(page: str) -> str:
    return page[: page.index("How the score maps to a level")]


def test_the_migration_treats_old_unticked_indicators_as_not_known():
    import importlib

    from django.apps import apps

    from lantern.risk.models import AssessedIndicator

    migration = importlib.import_module("lantern.risk.migrations.0005_indicator_answers")
    child = f.make_child()
    version = f.active_version("cse-screening")
    first, *rest = _indicators(version)
    # As the old form saved them: a row per ticked box only, nothing for the others.
    blank = f.make_assessment(child, level="none", on=f.TODAY)
    ticked = f.make_assessment(child, level="low", on=date(2015, 1, 5))
    AssessedIndicator.objects.create(assessment=ticked, indicator=first, evidence="School")
    RiskAssessment.objects.filter(pk__in=[blank.pk, ticked.pk]).update(score=0, not_known_count=0)
    type(child).objects.filter(pk=child.pk).update(current_level="none")

    migration.count_old_unticked_indicators_as_not_known(apps, None)

    blank.refresh_from_db()
    ticked.refresh_from_db()
    child.refresh_from_db()
    assert blank.not_known_count == len(rest) + 1
    assert blank.level == "not_known"
    assert ticked.not_known_count == len(rest)
    assert ticked.level == "low"
    assert ticked.answers.get().answer == "present"  # kept as recorded
    assert child.current_level == "not_known"
