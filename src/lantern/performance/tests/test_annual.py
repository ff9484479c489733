"""Annual data summaries: a financial year read in either form, its direction of travel since
last year, publication and amendment marks for a year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.periods import Period, UnknownPeriod
from lantern.core.testing import make_user, sign_in
from lantern.performance import exports, services, summary
from lantern.performance.tests.helpers import make_measure, put, row, shown

pytestmark = pytest.mark.django_db
JULY_2015 = datetime(2015, 7, 10, 9, 0, tzinfo=UTC)
YEAR = Period.parse("2014/15")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2014/15", "2014/15"),
        ("2014-15", "2014/15"),
        (" 2014-15 ", "2014/15"),
        ("2014/15-Q2", "2014/15-Q2"),
        ("2014-15-q2", "2014/15-Q2"),
    ],
)
def test_a_year_or_quarter_is_read_in_either_form(typed, expected):
    assert str(services.parse_period(typed)) == expected


@pytest.mark.parametrize("typed", ["2014", "Q2 2014", "2014/16", "2014-07"])
def test_a_period_that_does_not_parse_names_the_accepted_forms(typed):
    with pytest.raises(UnknownPeriod) as refused:
        services.parse_period(typed)
    assert "2014/15 (or 2014-15)" in str(refused.value)
    assert "2014/15-Q2" in str(refused.value)


def test_a_month_is_still_a_month_where_months_are_wanted():
    assert str(services.parse_period("2014-12", kinds=("month",))) == "2014-12"


def test_an_annual_summary_compares_each_year_with_the_year_before():
    # Seed 002: runaway incidents 338 in 2012/13 and 416 in 2013/14; cases open 69 then 57.
    runaways = make_measure("Runaway incidents", priority="protect")
    cases = make_measure("Cases open", priority="protect", timing="snapshot")
    put(runaways, "2012/13", 338)
    put(runaways, "2013/14", 416)
    for quarter, value in zip(range(1, 5), [100, 120, 90, 110], strict=True):
        put(runaways, f"2014/15-Q{quarter}", value)
    put(cases, "2013/14", 69)
    put(cases, "2014/15-Q4", 57)

    built = summary.build_summary(YEAR)

    assert built.columns == ["2012/13", "2013/14", "2014/15"]
    assert shown(built, runaways) == ["338", "416", "420"]
    assert row(built, runaways).direction == "up"
    assert shown(built, cases)[1:] == ["69", "57"]
    assert row(built, cases).direction == "down"
    assert built.direction_label == "Direction of travel (since last year)"
    assert [c.period for c in row(built, runaways).trend][-2:] == ["2013/14", "2014/15"]


def test_an_annual_summary_downloads_with_its_years_as_columns():
    runaways = make_measure("Runaway incidents", priority="protect")
    put(runaways, "2013/14", 416)
    put(runaways, "2014/15", 420)
    built = summary.build_summary(YEAR)

    lines = exports.render_csv(built).decode().splitlines()

    assert lines[0].startswith("priority,section,measure,2012/13,2013/14,2014/15,direction")
    assert any(
        line.startswith("Protect,CSE Team,Runaway incidents,Not available,416,420,up")
        for line in lines
    )
    assert b"since last year" in exports.render(built, "html")


def test_a_year_is_published_and_a_later_change_to_it_is_marked_amended():
    officer = make_user(Role.PERFORMANCE_OFFICER)
    runaways = make_measure("Runaway incidents", priority="protect")
    put(runaways, "2013/14", 416)
    put(runaways, "2014/15", 420)
    first = services.publish_report(officer, YEAR, now=JULY_2015, accept_gaps=True)
    assert first.period == "2014/15"
    put(runaways, "2014/15", 431)

    later = summary.build_summary(Period.parse("2015/16"))

    assert shown(later, runaways)[1] == "431*"
    assert [(a["period"], a["old"], a["new"]) for a in later.amendments] == [
        ("2014/15", "420", "431")
    ]


def test_a_year_not_yet_over_is_not_published():
    officer = make_user(Role.PERFORMANCE_OFFICER)
    with pytest.raises(services.PublishRefused):
        services.publish_report(
            officer, YEAR, now=datetime(2015, 3, 1, tzinfo=UTC), accept_gaps=True
        )


def test_the_data_summary_page_shows_a_financial_year_written_with_a_dash(client):
    runaways = make_measure("Runaway incidents", priority="protect")
    put(runaways, "2013/14", 416)
    put(runaways, "2014/15", 420)
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    page = client.get(reverse("performance:data-summary") + "?period=2014-15").content.decode()

    assert "Data summary 2014/15" in page
    assert "Direction of travel (since last year)" in page


def test_the_data_summary_page_names_the_accepted_forms_beside_a_bad_period(client):
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    page = client.get(reverse("performance:data-summary") + "?period=2014%2F16").content.decode()

    assert "govuk-error-summary" in page
    assert "a financial year like 2014/15 (or 2014-15)" in page
    assert 'value="2014/16"' in page


def test_the_performance_officer_publishes_a_year_from_the_page(client):
    runaways = make_measure("Runaway incidents", priority="protect")
    put(runaways, "2013/14", 416)
    put(runaways, "2014/15", 420)
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))
    checked = client.post(reverse("performance:publish"), {"period": "2014-15"})
    assert "Check before you publish" in checked.content.decode()
    fingerprint = checked.context["gaps_fingerprint"]

    done = client.post(
        reverse("performance:publish"),
        {"period": "2014/15", "accept_gaps": "yes", "gaps_fingerprint": fingerprint},
    )

    assert done.status_code == 302
    assert services.latest_published("2014/15") is not None
