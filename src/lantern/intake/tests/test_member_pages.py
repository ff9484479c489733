"""Pages for reporters and members: their reports by strand, assurance, "what to do if", and
what a partner reads of a trace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake import services, strands
from lantern.intake.models import GuidancePage, Source, TraceKind
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db


def _split_for(councillor, officer):
    document = move_to(make_submission(councillor, source=Source.COUNCILLOR), "assigned", officer)
    made = strands.split_submission(
        officer,
        document,
        strands=[
            strands.NewStrand(summary="A car", partner_summary="A car"),
            strands.NewStrand(summary="A flat", partner_summary="A flat"),
        ],
        expected_version=document.version,
        now=timezone.now(),
    )
    return document, made


def test_my_reports_shows_each_strand_in_plain_words_with_a_query_link(client):
    councillor = make_user(Role.COUNCILLOR)
    officer = make_user(Role.POLICE_INTELLIGENCE)
    document, made = _split_for(councillor, officer)
    move_to(made[0], "decided", officer)
    sign_in(client, councillor)

    page = client.get(reverse("intake:mine")).content.decode()

    assert "Split into separate parts" in page
    assert "Part 1:" in page and made[0].reference in page and made[1].reference in page
    assert "Being acted on by the partnership&#x27;s tasking group" in page
    assert "keeps it on its schedule" in page
    assert reverse("intake:raise-query", args=[made[0].reference]) in page
    assert reverse("intake:raise-query", args=[document.reference]) not in page


def test_a_councillor_gets_the_assurance_page_with_small_numbers_suppressed(client):
    councillor = make_user(Role.COUNCILLOR)
    officer = make_user(Role.POLICE_INTELLIGENCE)
    for n in range(6):
        item = make_submission(councillor, source=Source.COUNCILLOR)
        if n < 2:
            move_to(item, "decided", officer)  # two to tasking: a small number
    sign_in(client, councillor)

    response = client.get(reverse("intake:assurance"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Items received from councillors" in page
    assert '<dd class="govuk-summary-list__value">6</dd>' in page
    assert "&lt;5" in page  # two to tasking, none concluded... 2 is shown as <5
    assert ">2<" not in page


def test_the_partnership_manager_edits_what_to_do_if_and_a_stale_form_is_a_conflict(client):
    manager = sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))
    url = reverse("intake:guidance-edit", args=["what-to-do-if"])

    from lantern.intake.assurance import guidance_page

    opened = guidance_page("what-to-do-if").version
    client.post(url, {"version": opened, "title": "What to do if", "body": "Call 999 first."})
    stale = client.post(url, {"version": opened, "title": "What to do if", "body": "Overwrite"})

    page = GuidancePage.objects.get(key="what-to-do-if")
    assert page.body == "Call 999 first." and page.updated_by == manager
    assert "Someone else changed this record" in stale.content.decode()
    client.logout()
    sign_in(client, make_user(Role.COUNCILLOR))
    shown = client.get(reverse("intake:guidance", args=["what-to-do-if"]))
    assert shown.status_code == 200 and "Call 999 first." in shown.content.decode()
    assert client.get(url).status_code == 403


def test_a_partner_reads_the_tasking_lines_in_partner_safe_words_only(client):
    partner = make_user(Role.PARTNER_PRACTITIONER)
    officer = make_user(Role.POLICE_INTELLIGENCE)
    item = move_to(make_submission(shared_with=[partner.agency]), "decided", officer)
    services.note_on_trace(
        officer,
        item,
        kind=TraceKind.AGENDA,
        summary="Tasking group, 2 November 2026: kept on the schedule",
        reason="Discussion: the suspect's address was searched",
        details={"partner": "Discussed at the tasking group: kept on the schedule"},
        now=timezone.now() + timedelta(minutes=1),
    )
    services.note_on_trace(
        officer,
        item,
        kind=TraceKind.ACTION,
        summary="Tasking action for Test police: covert observation (owner A)",
        now=timezone.now() + timedelta(minutes=2),
    )
    sign_in(client, partner)

    page = client.get(reverse("intake:detail", args=[item.reference])).content.decode()

    assert "Discussed at the tasking group: kept on the schedule" in page
    assert "Decision: To the tasking group" in page
    assert "suspect&#x27;s address" not in page and "covert observation" not in page
    assert "Meets the threshold" not in page  # the decision's rationale
