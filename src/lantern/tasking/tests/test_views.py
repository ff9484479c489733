"""The tasking pages through the test client: access, partner-safe text, bad input, exports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.core.testing import sign_in
from lantern.tasking import services
from lantern.tasking.models import Action, ActionStatus, ItemStatus, Operation
from lantern.tasking.tests.factories import tasking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = tasking_world()
    today = timezone.localdate()
    services.generate_meetings(w.chair, w.series, until=today + timedelta(days=7))
    w.meeting = w.series.meetings.filter(held_on__gte=today).order_by("held_on").first()
    w.item = services.add_item(
        w.chair,
        w.meeting,
        title="Silver hatchback near the academy",
        partner_summary="A car seen near a school at home time",
        full_summary="Graded B2P: NM12 ABC, driver known to intelligence",
    )
    w.today = today
    return w


def action_data(world, **overrides):
    data = {
        "title": "Check the clinic's records",
        "description": "",
        "owning_agency": world.health.pk,
        "owner": world.nurse.pk,
        "due_on": (world.today + timedelta(days=7)).isoformat(),
        "priority": "high",
    }
    return {**data, **overrides}


def test_partners_see_the_partner_safe_summary_and_police_the_full_one(world, client):
    url = reverse("tasking:meeting-detail", args=[world.meeting.pk])
    sign_in(client, world.nurse)
    page = client.get(url).content.decode()
    assert "A car seen near a school" in page
    assert "NM12 ABC" not in page

    sign_in(client, world.analyst)
    assert "NM12 ABC" in client.get(url).content.decode()


def test_an_unrelated_agency_cannot_see_the_meeting(world, client):
    sign_in(client, world.outsider)

    assert client.get(reverse("tasking:meeting-detail", args=[world.meeting.pk])).status_code == 404


def test_closing_an_item_without_a_rationale_shows_how_to_fix_it_and_keeps_the_text(world, client):
    sign_in(client, world.chair)
    url = reverse("tasking:item-detail", args=[world.item.pk])

    response = client.post(
        url,
        {
            "discussion": "<script>alert(1)</script> talked",
            "decisions": "",
            "outcome": "closed",
            "closure_reason": "",
            "rationale": "",
            "version": world.item.version,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the rationale for closing the item" in page
    assert "Choose why the item is closing" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; talked" in page
    world.item.refresh_from_db()
    assert world.item.status == ItemStatus.TO_DISCUSS


def test_the_chair_closes_an_item_with_a_rationale(world, client):
    sign_in(client, world.chair)

    response = client.post(
        reverse("tasking:item-detail", args=[world.item.pk]),
        {
            "discussion": "Checked",
            "decisions": "None",
            "outcome": "closed",
            "closure_reason": "eliminated",
            "rationale": "Car sold",
            "version": world.item.version,
        },
    )

    assert response.status_code == 302
    world.item.refresh_from_db()
    assert (world.item.status, world.item.closure_reason) == ("closed", "eliminated")


def test_a_partner_cannot_record_the_meeting(world, client):
    sign_in(client, world.nurse)

    response = client.post(
        reverse("tasking:item-detail", args=[world.item.pk]),
        {"outcome": "kept_on", "version": world.item.version},
    )

    assert response.status_code == 404


def test_an_action_with_a_past_date_or_an_owner_from_elsewhere_is_refused(world, client):
    sign_in(client, world.chair)
    url = reverse("tasking:item-action-create", args=[world.item.pk])
    yesterday = (world.today - timedelta(days=1)).isoformat()

    page = client.post(
        url, action_data(world, due_on=yesterday, owner=world.social_worker.pk)
    ).content.decode()

    assert "The due date must be today or in the future" in page
    assert "Choose someone who works for Test health" in page
    assert 'value="Check the clinic&#x27;s records"' in page
    assert Action.objects.count() == 0


def test_the_chair_gives_an_agency_an_action(world, client):
    sign_in(client, world.chair)

    response = client.post(
        reverse("tasking:item-action-create", args=[world.item.pk]), action_data(world)
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.meeting, action.origin) == (world.nurse, world.meeting, world.item)


def test_completing_without_a_result_is_refused_then_done(world, client):
    action = services.create_action(
        world.chair,
        title="Check",
        owning_agency=world.health,
        owner=world.nurse,
        due_on=world.today,
        now=timezone.now(),
        route="tasking_group",
        meeting=world.meeting,
    )
    sign_in(client, world.nurse)
    url = reverse("tasking:action-complete", args=[action.pk])

    page = client.post(url, {"result": "", "version": action.version}).content.decode()
    assert "Enter the result" in page

    assert client.post(url, {"result": "Done", "version": action.version}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED


def test_bad_schedule_filters_get_a_message_not_an_error(world, client):
    sign_in(client, world.analyst)

    response = client.get(reverse("tasking:schedule"), {"agency": "x'; drop", "status": "nope"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "That agency is not one you can filter by" in page
    assert "Choose a status from the list" in page


def test_an_export_with_no_rows_says_so_instead_of_an_empty_file(world, client):
    sign_in(client, world.analyst)

    response = client.get(reverse("tasking:schedule-export", args=["csv"]), follow=True)

    assert "nothing to export" in response.content.decode()
    assert response.redirect_chain


def test_csv_export_neutralises_formulas_and_is_audited(world, client):
    services.create_action(
        world.chair,
        title='=HYPERLINK("http://x")',
        owning_agency=world.health,
        owner=world.nurse,
        due_on=world.today,
        now=timezone.now(),
        route="tasking_group",
    )
    sign_in(client, world.analyst)

    response = client.get(reverse("tasking:schedule-export", args=["csv"]))

    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert AuditEntry.objects.filter(action="export", object_type="tasking.action").exists()


def test_xlsx_and_pdf_exports(world, client):
    from openpyxl import load_workbook

    services.create_action(
        world.chair,
        title="+cmd",
        owning_agency=world.health,
        owner=world.nurse,
        due_on=world.today,
        now=timezone.now(),
        route="tasking_group",
    )
    sign_in(client, world.analyst)

    xlsx = client.get(reverse("tasking:schedule-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == "'+cmd"
    pdf = client.get(reverse("tasking:schedule-export", args=["pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_minutes_are_partner_safe(world, client):
    from docx import Document

    sign_in(client, world.chair)

    docx = client.get(reverse("tasking:meeting-minutes", args=[world.meeting.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "A car seen near a school" in text
    assert "NM12 ABC" not in text
    pdf = client.get(reverse("tasking:meeting-minutes", args=[world.meeting.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_operations_do_not_exist_for_partners(world, client):
    operation = Operation.objects.create(
        name="Operation Harebell", summary="x", started_on=world.today, lead=world.chair
    )
    sign_in(client, world.nurse)

    assert client.get(reverse("tasking:operation-list")).status_code == 404
    assert client.get(reverse("tasking:operation-detail", args=[operation.pk])).status_code == 404
    sign_in(client, world.analyst)
    assert "Operation Harebell" in client.get(reverse("tasking:operation-list")).content.decode()


def test_the_chair_reorders_without_javascript(world, client):
    second = services.add_item(world.chair, world.meeting, title="Second", partner_summary="x")
    sign_in(client, world.chair)

    client.post(
        reverse("tasking:meeting-reorder", args=[world.meeting.pk]),
        {f"position-{world.item.pk}": "2", f"position-{second.pk}": "1"},
    )
    assert list(world.meeting.items.values_list("title", flat=True))[0] == "Second"
    client.post(reverse("tasking:item-move", args=[second.pk]), {"direction": "down"})
    assert list(world.meeting.items.values_list("title", flat=True))[1] == "Second"

    response = client.post(
        reverse("tasking:meeting-reorder", args=[world.meeting.pk]),
        {f"position-{world.item.pk}": "first"},
        follow=True,
    )
    assert "whole number" in response.content.decode()


def test_my_actions_lists_what_i_own(world, client):
    services.create_action(
        world.chair,
        title="Mine to do",
        owning_agency=world.health,
        owner=world.nurse,
        due_on=world.today,
        now=timezone.now(),
        route="tasking_group",
    )
    sign_in(client, world.nurse)

    assert "Mine to do" in client.get(reverse("tasking:my-actions")).content.decode()
    assert "Mine to do" in client.get(reverse("tasking:agency-actions")).content.decode()
    sign_in(client, world.social_worker)
    assert "Mine to do" not in client.get(reverse("tasking:agency-actions")).content.decode()


def test_a_chair_changes_an_escalation_interval_and_bad_input_is_explained(world, client):
    from lantern.tasking.models import EscalationRoute

    sign_in(client, world.chair)
    url = reverse("tasking:routes")
    client.get(url)
    route = EscalationRoute.objects.get(meeting_type="gap")

    page = client.post(
        url,
        {
            "route": "gap",
            "gap-interval_days": "0",
            "gap-reminder_days_before": "2",
            "gap-version": route.version,
        },
    ).content.decode()
    assert "Enter at least 1 day" in page

    client.post(
        url,
        {
            "route": "gap",
            "gap-interval_days": "3",
            "gap-reminder_days_before": "1",
            "gap-version": route.version,
        },
    )
    route.refresh_from_db()
    assert route.interval_days == 3


def test_the_home_page_counts_my_overdue_actions(world, client):
    action = services.create_action(
        world.chair,
        title="Late",
        owning_agency=world.health,
        owner=world.nurse,
        due_on=world.today,
        now=timezone.now(),
        route="tasking_group",
    )
    Action.objects.filter(pk=action.pk).update(due_on=world.today - timedelta(days=2))
    sign_in(client, world.nurse)

    home = client.get("/")
    rows = {row["label"]: row for row in home.context["needs"]}
    overdue = rows["of your actions are overdue"]
    assert overdue["count"] == 1
    assert "of your actions are due in the next 7 days" not in rows  # none: left out
    # The link opens a list holding exactly that many.
    listed = client.get(overdue["href"])
    assert listed.context["page_obj"].paginator.count == 1
    assert "Late" in listed.content.decode()
    assert client.get("/tasking/actions/mine/?due=yesterday").status_code == 200


def _options(html: str) -> list[str]:
    import re

    return re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]*)</option>", html)


def test_the_owner_list_follows_the_chosen_agency(world, client):
    sign_in(client, world.chair)
    page = client.get(reverse("tasking:item-action-create", args=[world.item.pk])).content.decode()
    # htmx asks for the agency's people when the agency changes...
    assert f'hx-get="{reverse("tasking:owner-options")}"' in page
    assert 'hx-target="#id_owner"' in page
    options = client.get(reverse("tasking:owner-options"), {"owning_agency": world.health.pk})
    names = _options(options.content.decode())
    prompt = names[0]
    assert "(" not in prompt  # the empty choice, no one's name
    assert sorted(names[1:]) == sorted(
        f"{u.full_name} (Test health)" for u in (world.nurse, world.nurse_manager)
    )
    # ...an unknown or missing agency gives only the prompt, never an error page.
    for bad in ({"owning_agency": "999999"}, {"owning_agency": "x"}, {}):
        response = client.get(reverse("tasking:owner-options"), bad)
        assert response.status_code == 200 and _options(response.content.decode()) == [prompt]


def test_a_form_that_comes_back_lists_only_the_chosen_agencys_people(world, client):
    sign_in(client, world.chair)
    url = reverse("tasking:item-action-create", args=[world.item.pk])
    page = client.post(url, action_data(world, title="")).content.decode()
    owner_select = page[
        page.index('name="owner"') : page.index("</select>", page.index('name="owner"'))
    ]
    assert world.nurse.full_name in owner_select
    assert world.social_worker.full_name not in owner_select
    assert world.chair.full_name not in owner_select


def test_the_owner_list_is_for_those_who_give_actions(world, client):
    sign_in(client, world.nurse)
    assert client.get(reverse("tasking:owner-options")).status_code == 403


def test_closing_reveals_its_reason_and_rationale_only_under_close_it(world, client):
    sign_in(client, world.chair)
    url = reverse("tasking:item-detail", args=[world.item.pk])
    page = client.get(url).content.decode()
    close = page.index('value="closed"')
    reveal = page.index('class="govuk-radios__conditional govuk-radios__conditional--hidden"')
    assert close < reveal < page.index('name="closure_reason"') < page.index('name="rationale"')
    assert 'data-aria-controls="conditional-' in page[close - 300 : close + 300]
    assert page.count('name="rationale"') == 1
    # Chosen and sent without a rationale: the reveal stays open with its errors in it.
    page = client.post(url, {"outcome": "closed", "version": world.item.version}).content.decode()
    assert 'class="govuk-radios__conditional" id="conditional-' in page
    assert "Enter the rationale for closing the item" in page
