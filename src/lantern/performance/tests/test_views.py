"""The pages: partners entering figures, the dashboard, the Cabinet report, restricted reports."""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.periods import Period
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.performance import registry, reports, services
from lantern.performance.models import FiguresRequest, MeasureValue, ObjectiveUpdate
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure, put
from lantern.plans import services as plan_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def health():
    return AgencyFactory(name="Northmere Health Trust")


@pytest.fixture
def asked(health):
    make_measure("Staff trained in CSE", priority="prevent", section="Training", owner=health)
    make_measure(
        "Share of staff trained (%)",
        priority="prevent",
        section="Training",
        unit="percentage",
        owner=health,
    )
    officer = make_user(Role.PERFORMANCE_OFFICER)
    return services.request_figures(
        officer, agency=health, period=Period.parse("2014/15-Q2"), due_on=None, now=DECEMBER_2014
    )


def entry(**overrides):
    data = {
        "prevent-training-staff-trained-in-cse-value": "39",
        "prevent-training-staff-trained-in-cse-status": "reported",
        "prevent-training-staff-trained-in-cse-note": "",
        "prevent-training-share-of-staff-trained-value": "40%",
        "prevent-training-share-of-staff-trained-status": "reported",
        "prevent-training-share-of-staff-trained-note": "",
    }
    return {**data, **overrides}


def test_a_partner_enters_their_agencys_figures(client, asked, health):
    partner = sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=health))

    response = client.post(reverse("performance:figures-enter", args=[asked.pk]), entry())

    assert response.status_code == 302
    assert sorted(MeasureValue.objects.values_list("value", flat=True)) == [39, 40]
    asked.refresh_from_db()
    assert asked.submitted_by == partner
    assert AuditEntry.objects.filter(object_type="performance.measurevalue").count() == 2


def test_bad_figures_are_refused_by_the_field_keeping_what_was_typed(client, asked, health):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=health))

    response = client.post(
        reverse("performance:figures-enter", args=[asked.pk]),
        entry(
            **{
                "prevent-training-staff-trained-in-cse-value": "-4",
                "prevent-training-staff-trained-in-cse-note": "<script>alert(1)</script>",
                "prevent-training-share-of-staff-trained-value": "140%",
            }
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Staff trained in CSE: The figure cannot be negative" in page
    assert "A percentage cannot be more than 100" in page
    assert 'href="#id_prevent-training-staff-trained-in-cse-value"' in page
    assert 'value="140%"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert MeasureValue.objects.count() == 0


def test_a_value_with_a_status_other_than_reported_is_refused(client, asked, health):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=health))

    response = client.post(
        reverse("performance:figures-enter", args=[asked.pk]),
        entry(**{"prevent-training-staff-trained-in-cse-status": "not_collected"}),
    )

    assert "Leave the figure empty when it is not collected" in response.content.decode()
    assert MeasureValue.objects.count() == 0


def test_figures_for_a_period_not_yet_over_are_refused(client, health):
    make_measure("Staff trained in CSE", priority="prevent", section="Training", owner=health)
    officer = make_user(Role.PERFORMANCE_OFFICER)
    future = services.request_figures(
        officer, agency=health, period=Period.parse("2099/00-Q1"), due_on=None, now=DECEMBER_2014
    )
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=health))

    response = client.post(
        reverse("performance:figures-enter", args=[future.pk]),
        {
            "prevent-training-staff-trained-in-cse-value": "3",
            "prevent-training-staff-trained-in-cse-status": "reported",
        },
    )

    assert "2099/00-Q1 is not over until 30 June 2099" in response.content.decode()
    assert MeasureValue.objects.count() == 0


def test_a_partner_of_another_agency_cannot_see_the_request(client, asked):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Other")))

    response = client.get(reverse("performance:figures-enter", args=[asked.pk]))

    assert response.status_code == 404


def test_the_performance_officer_asks_an_agency_for_figures(client, health):
    make_measure("Staff trained in CSE", priority="prevent", section="Training", owner=health)
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    response = client.post(
        reverse("performance:figures-request"),
        {"agency": health.pk, "period": "2014/15-Q2", "due_on": ""},
    )
    again = client.post(
        reverse("performance:figures-request"),
        {"agency": health.pk, "period": "2014/15-Q2", "due_on": ""},
    )

    assert response.status_code == 302
    assert FiguresRequest.objects.get().period == "2014/15-Q2"
    assert "has already been asked" in again.content.decode()


def publish_small_numbers():
    boys = make_measure("Open cases: boys", priority="protect")
    girls = make_measure("Open cases: girls", priority="protect")
    make_measure("Open cases", priority="protect", components=[boys, girls])
    put(boys, "2014/15-Q2", 3)
    put(girls, "2014/15-Q2", 55)
    officer = make_user(Role.PERFORMANCE_OFFICER)
    return services.publish_report(
        officer, Period.parse("2014/15-Q2"), now=DECEMBER_2014, accept_gaps=True
    )


def test_a_board_member_sees_the_dashboard_with_small_numbers_withheld(client):
    publish_small_numbers()
    sign_in(client, make_user(Role.BOARD_MEMBER))

    page = client.get(reverse("performance:dashboard") + "?priority=protect").content.decode()

    assert "&lt;5" in page
    assert "[c]" in page
    assert ">58<" in page
    assert "<svg" in page
    assert ">3<" not in page and ">55<" not in page


def test_the_performance_officer_sees_the_figures_as_they_are(client):
    publish_small_numbers()
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    page = client.get(reverse("performance:dashboard") + "?priority=protect").content.decode()

    assert ">3<" in page and ">55<" in page


def test_the_live_data_summary_csv_neutralises_formulas(client):
    make_measure('=HYPERLINK("http://example.invalid")', priority="prevent", section="Training")
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    response = client.get(
        reverse("performance:data-summary-download") + "?period=2014/15-Q2&format=csv"
    )

    assert response.status_code == 200
    assert (
        'Prevent,Training,"\'=HYPERLINK(""http://example.invalid"")"' in response.content.decode()
    )
    assert AuditEntry.objects.filter(action="export").exists()


def test_the_data_summary_page_refuses_an_unknown_period(client):
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    page = client.get(reverse("performance:data-summary") + "?period=Q2+2014").content.decode()

    assert "“Q2 2014” is not a period" in page


@pytest.fixture
def plan():
    """A delivery plan covering 2014/15 with a Prevent and a Protect objective; the Prevent
    objective's actions are led by two named officers."""
    writer = make_user(Role.PARTNERSHIP_MANAGER)
    strategy = plan_services.create_strategy(
        writer, name="Northmere CSE delivery plan 2014-17", start_year=2014, end_year=2017
    )
    prevent = plan_services.save_objective(
        writer,
        strategy,
        priority=strategy.priorities.get(name="Prevent"),
        ref="2.1",
        title="Raise awareness of exploitation in schools",
    )
    protect = plan_services.save_objective(
        writer,
        strategy,
        priority=strategy.priorities.get(name="Protect"),
        ref="3.1",
        title="Protect children at risk",
    )
    for name in ("Sam Leadworth", "Jo Examplefield"):
        lead = plan_services.save_lead_officer(writer, strategy, name=name, agency="Council")
        plan_services.create_action(
            writer, prevent, text=f"Sessions led by {name}", lead=lead, due=None
        )
    return SimpleNamespace(strategy=strategy, prevent=prevent, protect=protect, writer=writer)


def test_a_lead_writes_achievements_that_appear_in_the_cabinet_report(client, plan):
    sign_in(client, plan.writer)
    client.post(
        reverse("performance:cabinet-update"),
        {
            "period": "2014/15-Q2",
            "objective": plan.prevent.pk,
            "achievements": "Awareness sessions in every secondary school.",
            "next_steps": "Extend to primary schools.",
        },
    )

    page = client.get(reverse("performance:cabinet") + "?period=2014/15-Q2").content.decode()
    docx = client.get(reverse("performance:cabinet-download") + "?period=2014/15-Q2&format=docx")
    pdf = client.get(reverse("performance:cabinet-download") + "?period=2014/15-Q2&format=pdf")

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "2.1 Raise awareness of exploitation in schools" in text
    assert "Leads: Jo Examplefield, Sam Leadworth" in text
    assert "Awareness sessions in every secondary school." in text
    assert "3.1 Protect children at risk" in text  # listed, with no update yet
    assert "No update has been written for this objective yet." in text
    assert "Awareness sessions in every secondary school." in page
    assert "Not written yet for 2014/15-Q2" in page
    assert pdf.content.startswith(b"%PDF")
    update = ObjectiveUpdate.objects.get()
    assert (update.objective, update.priority, update.version) == (plan.prevent, "prevent", 1)


def test_an_update_without_an_objective_is_refused_by_the_field(client, plan):
    sign_in(client, plan.writer)

    response = client.post(
        reverse("performance:cabinet-update"),
        {"period": "2014/15-Q2", "objective": "", "achievements": "Kept"},
    )

    assert response.context["form"].errors["objective"] == [
        "Choose the strategic objective this update is about"
    ]
    assert "Kept" in response.content.decode()
    assert not ObjectiveUpdate.objects.exists()


def test_a_stale_objective_update_is_a_conflict_not_an_overwrite(client, plan):
    writer = make_user(Role.PERFORMANCE_OFFICER)
    update = services.save_objective_update(
        writer,
        period=Period.parse("2014/15-Q2"),
        objective=plan.protect,
        achievements="First",
        next_steps="",
        expected_version=None,
        now=DECEMBER_2014,
    )
    services.save_objective_update(
        writer,
        period=Period.parse("2014/15-Q2"),
        objective=plan.protect,
        achievements="Second",
        next_steps="",
        expected_version=update.version,
        now=DECEMBER_2014,
    )
    sign_in(client, writer)

    response = client.post(
        reverse("performance:cabinet-update"),
        {
            "period": "2014/15-Q2",
            "objective": plan.protect.pk,
            "achievements": "Stale",
            "version": update.version,
        },
    )

    assert "Someone else changed this record" in response.content.decode()
    assert ObjectiveUpdate.objects.get().achievements == "Second"


def test_existing_updates_are_linked_to_plan_objectives_by_name(plan):
    from django.apps import apps

    migration = importlib.import_module(
        "lantern.performance.migrations.0002_objective_update_plan_objective"
    )
    matched = ObjectiveUpdate.objects.create(
        period="2014/15-Q2",
        unmatched_objective="  raise awareness of exploitation IN schools ",
        priority="prevent",
        written_by=plan.writer,
        updated_at=DECEMBER_2014,
    )
    by_ref = ObjectiveUpdate.objects.create(
        period="2014/15-Q2",
        unmatched_objective="3.1",
        priority="protect",
        written_by=plan.writer,
        updated_at=DECEMBER_2014,
    )
    unmatched = ObjectiveUpdate.objects.create(
        period="2014/15-Q2",
        unmatched_objective="An objective the plan does not have",
        priority="pursue",
        written_by=plan.writer,
        updated_at=DECEMBER_2014,
    )

    migration.link_updates_to_plan_objectives(apps, None)

    for update in (matched, by_ref, unmatched):
        update.refresh_from_db()
    assert (matched.objective, matched.unmatched_objective) == (plan.prevent, "")
    assert by_ref.objective == plan.protect
    assert unmatched.objective is None
    assert unmatched.unmatched_objective == "An objective the plan does not have"
    titles = [e["title"] for e in reports.objective_updates(Period.parse("2014/15-Q2"))["entries"]]
    assert titles[-1] == "An objective the plan does not have"  # still in the report


def test_the_briefing_says_honestly_which_parts_have_no_data_source_yet(client, providers):
    providers.remove("briefing.operations")
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))

    page = client.get(reverse("performance:briefing") + "?month=2014-07").content.decode()

    assert "July 2014" in page
    assert page.count("No data source registered yet") == 1
    assert "High-risk nominals" in page
    assert "Partner agencies using Lantern" in page


def test_the_problem_profile_suppresses_a_providers_small_counts_for_the_board(client, providers):
    providers.replace(
        registry.Provider(
            key="profile.locations_by_ward",
            title="Locations by ward",
            template="performance/_provider_rows.html",
            build=lambda period, audience: {
                "label": "Ward",
                "rows": [("Abbeyfield", 2), ("Brackenside", 12), ("Total", 14)],
            },
        )
    )
    providers.remove("profile.referral_to_charge")
    sign_in(client, make_user(Role.SCRUTINY_MEMBER))
    scrutiny = client.get(reverse("performance:problem-profile") + "?period=2014/15-Q2")
    client.logout()
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    police = client.get(reverse("performance:problem-profile") + "?period=2014/15-Q2")

    assert "&lt;5" in scrutiny.content.decode() and "[c]" in scrutiny.content.decode()
    assert ">2<" in police.content.decode() and ">12<" in police.content.decode()
    assert ">14.3%<" in police.content.decode() and ">85.7%<" in police.content.decode()
    assert "85.7%" not in scrutiny.content.decode()
    assert "No data source registered yet" in scrutiny.content.decode()


def test_an_administrator_drills_down_to_the_agencies_behind_a_figure_and_it_is_audited(client):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    services.sync_catalogue()

    response = client.get(
        reverse("performance:measure-records", args=["leadership-agencies-active", "2040-41-Q1"])
    )

    assert response.status_code == 200
    assert "Test council" in response.content.decode()
    assert AuditEntry.objects.filter(action="list", object_type="accounts.agency").exists()


def test_the_catalogue_shows_the_definition_of_a_computed_measure(client):
    sign_in(client, make_user(Role.BOARD_MEMBER))

    client.get(reverse("performance:catalogue"))
    page = client.get(
        reverse("performance:measure-detail", args=["leadership-second-factor"])
    ).content.decode()

    assert "confirmed an authenticator app" in page
    assert "Records behind the figure" not in page


def test_a_partner_is_told_on_their_home_page_that_figures_are_waiting(client, asked, health):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=health))

    page = client.get("/").content.decode()

    assert "asked for its figures for 2014/15-Q2" in page


def test_a_count_entered_as_a_percentage_is_refused(client, asked, health):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=health))

    response = client.post(
        reverse("performance:figures-enter", args=[asked.pk]),
        entry(**{"prevent-training-staff-trained-in-cse-value": "39%"}),
    )

    assert "This measure is a count: enter a whole number without %" in response.content.decode()
    assert MeasureValue.objects.count() == 0


def test_the_performance_officer_adds_a_measure_owned_by_an_agency(client, health):
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    missing_owner = client.post(
        reverse("performance:measure-create"),
        {
            "name": "Parish councillors trained",
            "priority": "prevent",
            "section": "Training",
            "unit": "count",
            "kind": "entered",
            "timing": "flow",
            "polarity": "up",
        },
    )
    made = client.post(
        reverse("performance:measure-create"),
        {
            "name": "Parish councillors trained",
            "priority": "prevent",
            "section": "Training",
            "unit": "count",
            "kind": "entered",
            "timing": "flow",
            "polarity": "up",
            "owner": health.pk,
        },
    )

    assert "Choose the agency that enters this measure" in missing_owner.content.decode()
    assert made.status_code == 302
    assert services.manual_measures_for(health).get().name == "Parish councillors trained"


def test_a_stale_measure_edit_is_a_conflict_not_an_overwrite(client, health):
    measure = make_measure("Staff trained", priority="prevent", section="Training", owner=health)
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))
    form = {
        "name": "Staff trained in CSE",
        "priority": "prevent",
        "section": "Training",
        "unit": "count",
        "kind": "entered",
        "timing": "flow",
        "polarity": "up",
        "owner": health.pk,
        "version": measure.version,
    }
    first = client.post(reverse("performance:measure-edit", args=[measure.code]), form)

    stale = client.post(
        reverse("performance:measure-edit", args=[measure.code]),
        {**form, "name": "Something else"},
    )

    assert first.status_code == 302
    assert "Someone else changed this record" in stale.content.decode()
    measure.refresh_from_db()
    assert (measure.name, measure.version) == ("Staff trained in CSE", 2)


def test_a_computed_measure_cannot_be_edited(client):
    services.sync_catalogue()
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    response = client.get(reverse("performance:measure-edit", args=["leadership-second-factor"]))

    assert response.status_code == 404


def test_the_audit_trail_opens_after_a_cabinet_report_download(client, plan):
    sign_in(client, plan.writer)
    download = client.get(
        reverse("performance:cabinet-download") + "?period=2014/15-Q2&format=docx"
    )
    assert download.status_code == 200
    client.logout()
    sign_in(client, make_user(Role.ADMINISTRATOR))

    search = client.get(reverse("audit:search"))
    record_page = client.get(
        reverse("audit:record", args=["performance.cabinetreport", "2014/15-Q2"])
    )

    assert search.status_code == 200
    assert record_page.status_code == 200
    assert "Cabinet report 2014/15-Q2 (docx)" in record_page.content.decode()
