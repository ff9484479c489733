"""The delivery plan pages: who may do what, bad input, and what each page shows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.testing import make_user, sign_in
from lantern.plans import services, spreadsheets
from lantern.plans.models import Brag, BragChange, DeliveryAction, PlanVersion
from lantern.plans.tests.plan_data import build_plan
from lantern.plans.tests.test_spreadsheets import GOOD_ROWS, as_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    return sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))


def progress(client, action, **data):
    return client.post(
        f"/plans/actions/{action.pk}/", {"version": action.version, "evidence": "", **data}
    )


def test_a_lead_officer_with_an_account_updates_their_own_action(client):
    lead_user = make_user(Role.PARTNER_PRACTITIONER)
    plan = build_plan(lead_user=lead_user)
    sign_in(client, lead_user)

    response = progress(client, plan.campaign, brag="amber", evidence="Supplier delayed")

    assert response.status_code == 302
    plan.campaign.refresh_from_db()
    assert plan.campaign.brag == Brag.AMBER
    assert BragChange.objects.get(action=plan.campaign).changed_by == lead_user
    assert client.get("/plans/my-actions/").content.decode().count("Run an awareness campaign") == 1


def test_a_lead_officer_cannot_see_or_change_an_action_they_do_not_lead(client):
    lead_user = make_user(Role.PARTNER_PRACTITIONER)
    plan = build_plan(lead_user=lead_user)
    sign_in(client, lead_user)

    assert client.get(f"/plans/actions/{plan.schools.pk}/").status_code == 404
    assert progress(client, plan.schools, brag="red").status_code == 404
    assert client.get(f"/plans/{plan.strategy.pk}/").status_code == 403
    plan.schools.refresh_from_db()
    assert plan.schools.brag == Brag.NOT_RATED


def test_a_board_member_reads_the_plan_but_cannot_change_progress(client):
    plan = build_plan()
    sign_in(client, make_user(Role.BOARD_MEMBER))

    page = client.get(f"/plans/actions/{plan.campaign.pk}/")
    refused = progress(client, plan.campaign, brag="red")

    assert page.status_code == 200
    assert "Update progress" not in page.content.decode()
    assert refused.status_code == 403
    assert not BragChange.objects.exists()


def test_progress_without_a_rating_is_shown_an_error_and_the_text_is_kept(client, manager):
    plan = build_plan()

    response = progress(client, plan.campaign, evidence="<script>alert(1)</script> half done")

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Choose a BRAG rating" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; half done" in body
    assert "<script>alert(1)</script>" not in body
    assert not plan.campaign.evidence.exists()


def test_a_stale_progress_form_is_a_conflict_not_an_overwrite(client, manager):
    plan = build_plan()
    services.record_progress("someone", plan.campaign, expected_version=1, brag="green")

    response = client.post(
        f"/plans/actions/{plan.campaign.pk}/", {"version": 1, "brag": "red", "evidence": "x"}
    )

    assert "Someone else changed this record" in response.content.decode()
    plan.campaign.refresh_from_db()
    assert plan.campaign.brag == Brag.GREEN


def test_creating_a_strategy_with_bad_years_keeps_the_answers(client, manager):
    response = client.post(
        "/plans/new/", {"name": "Plan <b>2030</b>", "start_year": "2030", "end_year": "2029"}
    )

    body = response.content.decode()
    assert "The last year must be the same as or after the first year" in body
    assert 'value="Plan &lt;b&gt;2030&lt;/b&gt;"' in body


def test_a_new_strategy_starts_with_leadership_and_the_five_ps(client, manager):
    response = client.post(
        "/plans/new/", {"name": "Fresh plan", "start_year": "2025", "end_year": "2028"}
    )

    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    positions = [
        detail.index(f". {name}")
        for name in ["Leadership", "Prevent", "Protect", "Pursue", "Provide", "Participation"]
    ]
    assert positions == sorted(positions)
    assert detail.index("Governance") < positions[0]


def test_an_objective_number_used_twice_is_refused_beside_the_field(client, manager):
    plan = build_plan()

    response = client.post(
        f"/plans/{plan.strategy.pk}/objectives/new/",
        {"priority": plan.prevent.pk, "ref": "2.1.", "title": "Again"},
    )

    assert "Objective 2.1 already exists" in response.content.decode()
    assert plan.strategy.objectives.count() == 2


def test_an_action_is_added_with_a_due_month_and_linked_recommendations(client, manager):
    plan = build_plan()
    recommendation = services.save_recommendation(
        "pm", plan.strategy, source="Independent review", reference="recommendation 3", text=""
    )

    response = client.post(
        f"/plans/{plan.strategy.pk}/actions/new/",
        {
            "objective": plan.second.pk,
            "text": "Audit risk assessments",
            "lead": plan.lead.pk,
            "due_0": "11",
            "due_1": "2026",
            "recommendations": [recommendation.pk],
        },
    )

    assert response.status_code == 302
    action = DeliveryAction.objects.get(text="Audit risk assessments")
    assert action.due == date(2026, 11, 1)
    assert list(action.recommendations.all()) == [recommendation]


def test_a_due_month_without_a_year_is_an_error(client, manager):
    plan = build_plan()

    response = client.post(
        f"/plans/{plan.strategy.pk}/actions/new/",
        {"objective": plan.second.pk, "text": "Half a date", "due_0": "11", "due_1": ""},
    )

    assert "Enter the due month and the year" in response.content.decode()
    assert not DeliveryAction.objects.filter(text="Half a date").exists()


def test_the_upload_form_imports_a_plan(client, manager):
    plan = build_plan()
    upload = SimpleUploadedFile("plan.csv", as_csv(GOOD_ROWS), content_type="text/csv")

    response = client.post(f"/plans/{plan.strategy.pk}/import/", {"file": upload}, follow=True)

    assert "The plan has been imported" in response.content.decode()
    assert DeliveryAction.objects.filter(objective__strategy=plan.strategy).count() == 9


def test_the_upload_form_shows_every_problem_by_row_in_the_error_summary(client, manager):
    plan = build_plan()
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][7] = "<script>x</script>"
    rows[3][5] = "someday"
    upload = SimpleUploadedFile("plan.csv", as_csv(rows), content_type="text/csv")

    response = client.post(f"/plans/{plan.strategy.pk}/import/", {"file": upload})

    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Row 2: status “&lt;script&gt;x&lt;/script&gt;”" in body
    assert "Row 5: due “someday”" in body
    assert DeliveryAction.objects.filter(objective__strategy=plan.strategy).count() == 3


def test_the_upload_form_refuses_an_empty_file_and_a_disguised_one(client, manager):
    plan = build_plan()
    empty = SimpleUploadedFile("plan.csv", b"", content_type="text/csv")
    disguised = SimpleUploadedFile("plan.xlsx", b"not a workbook", content_type="text/csv")

    first = client.post(f"/plans/{plan.strategy.pk}/import/", {"file": empty})
    second = client.post(f"/plans/{plan.strategy.pk}/import/", {"file": disguised})

    assert "The submitted file is empty" in first.content.decode()
    assert "not an Excel (XLSX) workbook" in second.content.decode()


def test_the_plan_on_a_page_shows_governance_first_overdue_and_uncovered(client):
    plan = build_plan()
    plan.strategy.governance = "Owned by the delivery group"
    plan.strategy.save()
    services.save_recommendation(
        "pm", plan.strategy, source="Council motion", reference="motion point 4", text=""
    )
    sign_in(client, make_user(Role.SCRUTINY_MEMBER))

    body = client.get(f"/plans/{plan.strategy.pk}/plan-on-a-page/").content.decode()

    assert body.index("Owned by the delivery group") < body.index("Progress by priority")
    assert "Overdue actions (1)" in body
    assert "Council motion, motion point 4" in body
    assert "<svg" in body


def test_the_pdf_and_exports_download_and_are_audited(client, manager):
    plan = build_plan()

    pdf = client.get(f"/plans/{plan.strategy.pk}/plan-on-a-page.pdf")
    xlsx = client.get(f"/plans/{plan.strategy.pk}/export/xlsx/")
    docx = client.get(f"/plans/{plan.strategy.pk}/export/docx/")
    csv_file = client.get(f"/plans/{plan.strategy.pk}/export/csv/")
    unknown = client.get(f"/plans/{plan.strategy.pk}/export/pptx/")

    assert pdf.content.startswith(b"%PDF")
    assert xlsx.content[:2] == docx.content[:2] == b"PK"
    assert csv_file.content == spreadsheets.export_csv(plan.strategy)
    assert unknown.status_code == 404
    formats = AuditEntry.objects.filter(action=AuditAction.EXPORT).values_list(
        "details__format", flat=True
    )
    assert sorted(formats) == ["csv", "docx", "pdf", "xlsx"]


def test_publishing_a_version_from_the_page_and_comparing(client, manager):
    plan = build_plan()

    empty = client.post(f"/plans/{plan.strategy.pk}/versions/publish/", {"comment": ""})
    client.post(f"/plans/{plan.strategy.pk}/versions/publish/", {"comment": "First"})
    services.record_progress(
        "lead", plan.campaign, expected_version=1, brag="red", evidence="Behind plan"
    )
    client.post(f"/plans/{plan.strategy.pk}/versions/publish/", {"comment": "Second"})
    first, second = PlanVersion.objects.order_by("minor")
    compare = client.get(
        f"/plans/{plan.strategy.pk}/versions/compare/", {"older": first.pk, "newer": second.pk}
    )

    assert "Say what this version changes" in empty.content.decode()
    assert [v.number for v in (first, second)] == ["1.0", "1.1"]
    body = compare.content.decode()
    assert "BRAG ratings that changed (1)" in body
    assert "Run an awareness campaign" in body


def test_withdrawing_an_action_needs_a_reason(client, manager):
    plan = build_plan()

    refused = client.post(f"/plans/actions/{plan.mace.pk}/withdraw/", {"reason": ""})
    done = client.post(f"/plans/actions/{plan.mace.pk}/withdraw/", {"reason": "Merged"})

    assert "govuk-error-summary" in refused.content.decode()
    assert done.status_code == 302
    plan.mace.refresh_from_db()
    assert plan.mace.withdrawn_reason == "Merged"


def test_linking_a_lead_officer_to_an_account_gives_them_their_actions(client, manager):
    plan = build_plan()
    person = make_user(Role.PARTNER_PRACTITIONER)

    client.post(
        f"/plans/lead-officers/{plan.other_lead.pk}/",
        {"name": "Kit Penhallow", "user": person.pk, "version": plan.other_lead.version},
    )
    client.logout()
    sign_in(client, person)

    assert client.get(f"/plans/actions/{plan.schools.pk}/").status_code == 200
    assert "Delivery plan actions you lead" in client.get("/").content.decode()


def test_a_recommendation_answered_only_by_a_withdrawn_action_is_uncovered(client):
    plan = build_plan()
    recommendation = services.save_recommendation(
        "pm", plan.strategy, source="Independent review", reference="recommendation 2", text=""
    )
    plan.mace.recommendations.add(recommendation)
    services.withdraw_action("pm", plan.mace, reason="Done elsewhere")
    sign_in(client, make_user(Role.BOARD_MEMBER))

    body = client.get(f"/plans/{plan.strategy.pk}/plan-on-a-page/").content.decode()

    assert "Recommendations with no action yet (1)" in body
    assert "Independent review, recommendation 2" in body


def test_plan_viewers_see_each_plan_and_its_overdue_count_on_their_home_page(client):
    plan = build_plan()
    sign_in(client, make_user(Role.SCRUTINY_MEMBER))

    body = client.get("/").content.decode()

    assert f"{plan.strategy.name}: plan on a page" in body
    assert "1 overdue" in body
