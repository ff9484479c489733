"""The annual report: finance table, case studies with consent and approval, and the document
with objectives, progress, stories, the annual data summary and finance."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from docx import Document

from lantern.accounts.roles import Role
from lantern.children.tests.factories import make_child
from lantern.core.periods import Period
from lantern.core.testing import make_user
from lantern.performance import annual, exports, summary
from lantern.performance.models import FinanceKind
from lantern.performance.tests.helpers import make_measure, put

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2014/15")
NOW = datetime(2015, 6, 1, 9, 0, tzinfo=UTC)


def _line(actor, **overrides):
    fields = {
        "year": YEAR,
        "kind": FinanceKind.DIRECT,
        "partner": "Northmere Council",
        "item": "Child exploitation team",
        "actual": Decimal("310000"),
        "proposed": Decimal("355000"),
        "now": NOW,
    }
    return annual.record_finance_line(actor, **{**fields, **overrides})


def test_the_finance_table_groups_lines_by_kind_with_totals():
    officer = make_user(Role.PERFORMANCE_OFFICER)
    _line(officer)
    _line(
        officer,
        partner="Northmere Police",
        item="Police officers in the team",
        actual=Decimal("240000"),
        proposed=None,
    )
    _line(
        officer,
        kind=FinanceKind.AWARD,
        partner="Council Leader",
        item="Post-abuse support",
        actual=Decimal("120000"),
        proposed=None,
    )

    table = annual.finance_table(YEAR)

    assert [g["label"] for g in table] == ["Direct cost of a service", "Funding award"]
    assert table[0]["actual_text"] == "£550,000"
    assert table[0]["proposed_text"] == "£355,000"
    assert table[1]["lines"][0].actual_text == "£120,000"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-5000", "A cost cannot be negative"), ("lots", "Enter an amount in pounds")],
)
def test_a_negative_or_unreadable_cost_is_refused(typed, message):
    with pytest.raises(annual.AnnualRefused, match=message) as refused:
        annual.parse_money(typed, "actual")
    assert refused.value.field == "actual"


def test_a_negative_cost_is_refused_by_the_service_too():
    with pytest.raises(annual.AnnualRefused, match="negative"):
        _line(make_user(Role.PERFORMANCE_OFFICER), actual=Decimal("-1"))


def test_finance_is_for_a_financial_year_only():
    with pytest.raises(annual.AnnualRefused, match="financial year"):
        _line(make_user(Role.PERFORMANCE_OFFICER), year=Period.parse("2014/15-Q2"))


def _story(author, **overrides):
    fields = {
        "kind": "case_study",
        "title": "Back home and back at school",
        "text": "Jade is 15. With support from the team she returned home.",
        "consent_from": "The young person and her mother",
        "consent_on": date(2015, 5, 1),
        "now": NOW,
    }
    return annual.save_case_study(author, **{**fields, **overrides})


def test_a_story_without_consent_cannot_be_approved_or_published():
    manager = make_user(Role.PARTNERSHIP_MANAGER)
    story = _story(manager, consent_from="", consent_on=None)

    with pytest.raises(annual.AnnualRefused, match="consent"):
        annual.approve_case_study(manager, story, now=NOW)
    with pytest.raises(annual.AnnualRefused, match="no consent record"):
        annual.choose_case_study(manager, story, YEAR)


def test_a_story_not_yet_approved_cannot_be_chosen_into_a_report():
    story = _story(make_user(Role.PERFORMANCE_OFFICER))
    with pytest.raises(annual.AnnualRefused, match="not approved"):
        annual.choose_case_study(make_user(Role.PARTNERSHIP_MANAGER), story, YEAR)
    assert annual.stories_for(YEAR) == []


def test_a_name_in_the_text_matching_a_person_record_is_flagged():
    make_child(first_name="Jade", last_name="Testchild")
    story = _story(make_user(Role.PERFORMANCE_OFFICER))

    assert annual.check_story(story).names == ["Jade"]


def test_a_story_with_no_known_name_is_not_flagged():
    story = _story(make_user(Role.PERFORMANCE_OFFICER), text="A young person returned home.")
    assert annual.check_story(story).names == []


@pytest.fixture
def year_report():
    manager = make_user(Role.PARTNERSHIP_MANAGER)
    officer = make_user(Role.PERFORMANCE_OFFICER)
    story = _story(officer)
    annual.approve_case_study(manager, story, now=NOW)
    annual.choose_case_study(manager, story, YEAR)
    runaways = make_measure("Runaway incidents", priority="protect", caveat="Recording changed.")
    put(runaways, "2013/14", 416)
    put(runaways, "2014/15", 420)
    _line(officer)
    from lantern.plans import services as plans

    strategy = plans.create_strategy("test", name="Plan 2014-17", start_year=2014, end_year=2017)
    objective = plans.save_objective(
        "test", strategy, priority=strategy.priorities.first(), ref="1.1", title="Lead well"
    )
    plans.create_action("test", objective, text="Publish the strategy", lead=None, due=None)
    return annual.annual_report(YEAR, summary.AGGREGATE)


def test_the_annual_report_document_has_every_part(year_report):
    data = exports.render_annual_docx(year_report)

    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Annual report on the child exploitation strategy 2014/15" in text
    assert "1.1 Lead well" in text and "Publish the strategy (Not rated)" in text
    assert "Case study: Back home and back at school" in text
    assert "Data summary 2014/15" in text
    assert "[1] Runaway incidents: Recording changed." in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Direction of travel (since last year)" in cells
    assert "£310,000" in cells and "£355,000" in cells


def test_the_annual_report_prints_as_pdf(year_report):
    assert exports.render_annual_pdf(year_report).startswith(b"%PDF")


# --- through the pages ------------------------------------------------------------------------


def test_the_partnership_manager_approves_a_story_and_chooses_it_into_the_year(client):
    from django.urls import reverse

    from lantern.core.testing import sign_in

    manager = sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))
    make_child(first_name="Jade", last_name="Testchild")
    client.post(
        reverse("performance:case-studies"),
        {
            "kind": "good_news",
            "title": "Back at school",
            "text": "Jade returned to school full time.",
            "consent_from": "The young person",
            "consent_on": "2015-05-01",
        },
    )
    from lantern.performance.models import CaseStudy

    story = CaseStudy.objects.get(title="Back at school")
    page = client.get(reverse("performance:case-study", args=[story.pk])).content.decode()
    assert "Jade matches the name of a person Lantern holds a record of" in page

    client.post(reverse("performance:case-study", args=[story.pk]), {"action": "approve"})
    client.post(
        reverse("performance:case-study", args=[story.pk]),
        {"action": "choose", "period": "2014-15"},
    )

    story.refresh_from_db()
    assert story.approved_by == manager and story.report_period == "2014/15"
    page = client.get(reverse("performance:annual") + "?period=2014/15").content.decode()
    assert "Good news story: Back at school" in page


def test_a_story_without_consent_is_refused_beside_the_choice(client):
    from django.urls import reverse

    from lantern.core.testing import sign_in

    sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))
    story = _story(make_user(Role.PERFORMANCE_OFFICER), consent_from="", consent_on=None)

    page = client.post(
        reverse("performance:case-study", args=[story.pk]), {"action": "approve"}
    ).content.decode()

    assert "Record who consented to this story and when" in page


def test_a_negative_cost_is_refused_beside_its_field_keeping_what_was_typed(client):
    from django.urls import reverse

    from lantern.core.testing import sign_in

    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))
    page = client.post(
        reverse("performance:finance"),
        {
            "year": "2014/15",
            "kind": "direct",
            "partner": "Northmere Council",
            "item": "Team",
            "actual": "-300",
        },
    ).content.decode()

    assert "A cost cannot be negative" in page
    assert 'value="-300"' in page


def test_the_annual_report_downloads_as_word(client, year_report):
    from django.urls import reverse

    from lantern.core.testing import sign_in

    sign_in(client, make_user(Role.SCRUTINY_MEMBER))
    response = client.get(reverse("performance:annual-download") + "?period=2014-15&format=docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('annual-report-2014-15.docx"')


def test_measures_are_broken_down_by_owning_agency():
    from lantern.core.testing import AgencyFactory

    police = AgencyFactory(name="Northmere Police")
    health = AgencyFactory(name="Northmere Health")
    arrests = make_measure("Arrests", owner=police)
    trained = make_measure("Staff trained", owner=health, priority="prevent")
    put(arrests, "2014/15", 50)
    put(trained, "2014/15", 120)

    built = summary.build_summary(YEAR)
    groups = dict(summary.by_agency(built))

    assert [r.measure for r in groups["Northmere Police"]] == ["Arrests"]
    assert [r.measure for r in groups["Northmere Health"]] == ["Staff trained"]
    assert list(groups)[-1] == "Computed from Lantern's records"
    document = Document(
        io.BytesIO(exports.render_annual_docx(annual.annual_report(YEAR, summary.AGGREGATE)))
    )
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Partners' contribution: figures by owning agency" in headings
    assert "Northmere Police" in headings
