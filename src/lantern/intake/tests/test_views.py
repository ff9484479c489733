"""The pages, as each role uses them: reporting, bad input, access, working the queue."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.intake.models import Route, Status, Submission
from lantern.intake.tests.factories import PNG, make_submission, move_to

pytestmark = pytest.mark.django_db


def token_from(response) -> str:
    return re.search(r'name="token" value="([0-9a-f-]+)"', response.content.decode()).group(1)


def send_report(client, data):
    """Post the report form and, if it goes to "Check your answers", send from there."""
    response = client.post(reverse("intake:report"), data)
    if response.status_code == 302 and "/check/" in response.url:
        response = client.post(response.url)
    return response


def public_report(client, **fields):
    """Start a public report and send it; a reporter over the limit is refused at the start."""
    page = client.get(reverse("intake:report") + "?route=intelligence")
    if page.status_code == 429:
        return page, {}
    data = {"token": token_from(page), "route": "intelligence", **fields}
    return send_report(client, data), data


def partner_form_data(client, route="intelligence", **fields):
    page = client.get(reverse("intake:report") + f"?route={route}")
    data = {"token": token_from(page), "route": route, "narrative": "Seen at the bus station."}
    for key in ("person", "vehicle", "phone", "online"):
        data.update({f"{key}-TOTAL_FORMS": "1", f"{key}-INITIAL_FORMS": "0"})
    data.update(fields)
    return data


# --- Reporting ------------------------------------------------------------------------------


def test_the_first_question_sends_each_answer_to_its_form(client):
    response = client.post(reverse("intake:start"), {"route": "immediate_danger"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Call 999 now" in page.content.decode()


def test_the_first_question_needs_an_answer(client):
    response = client.post(reverse("intake:start"), {})
    assert "Select what you want to tell us about" in response.content.decode()


def test_a_member_of_the_public_reports_anonymously_and_sees_the_reference(client):
    response, _ = public_report(client, narrative="A man gives lifts to pupils.")

    submission = Submission.objects.get()
    assert response.status_code == 302
    page = client.get(response.url)
    assert submission.reference in page.content.decode()
    assert submission.submitted_by is None and submission.source == "public"


def test_sending_twice_makes_one_submission(client):
    response, data = public_report(client, narrative="Twice.")
    again = client.post(reverse("intake:report"), data)
    assert Submission.objects.count() == 1
    assert again.url == response.url


def test_someone_else_cannot_see_the_acknowledgement(client):
    response, _ = public_report(client, narrative="Private.")
    client.cookies.clear()
    other = client.get(response.url)
    assert other.status_code == 302 and other.url == reverse("intake:start")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"narrative": ""}, "Tell us what you saw or heard"),
        ({"narrative": "x" * 5001}, "5000 characters or fewer"),
        ({"narrative": "ok", "occurred_on": "2999-01-01"}, "today or in the past"),
        ({"narrative": "ok", "occurred_on": "2026-02-31"}, "Enter the date it happened"),
        ({"narrative": "ok", "contact_email": "not-an-email"}, "Enter an email address"),
    ],
)
def test_bad_public_input_is_explained_by_the_field_and_kept(client, fields, message):
    response, _ = public_report(client, location="<script>alert(1)</script>", **fields)

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and message in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert Submission.objects.count() == 0


def test_a_script_tag_is_shown_as_text_to_the_officer(client):
    submission = make_submission(narrative="<script>alert('x')</script>")
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    body = client.get(reverse("intake:detail", args=[submission.reference])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body


def test_too_many_reports_from_one_address_get_a_clear_429(client, settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (2, 3600)
    for _ in range(2):
        public_report(client, narrative="again")
    response, _ = public_report(client, narrative="one too many")
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert Submission.objects.count() == 2


def test_a_partner_reports_with_a_vehicle_a_phone_and_a_photo(client):
    partner = sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(
        client,
        **{
            "vehicle-0-raw": "nm61 k?t",
            "vehicle-0-colour": "silver",
            "phone-0-raw": "0770",
            "signs": ["gifts", "missing"],
            "how_known": "saw",
            "attachments": SimpleUploadedFile("car.png", PNG, "image/png"),
        },
    )

    response = send_report(client, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    assert submission.source == "partner" and submission.submitted_by == partner
    assert submission.vehicles.get().registration == "NM61K?T"
    assert submission.attachments.count() == 1
    assert submission.signs == ["gifts", "missing"]
    assert partner.agency in submission.shared_with.all()
    done = client.get(response.url).content.decode()
    assert "partial registration" in done and "0770" in done


def test_a_disguised_attachment_is_refused_by_its_field(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(
        client, attachments=SimpleUploadedFile("photo.png", b"<html>hi</html>", "image/png")
    )
    response = client.post(reverse("intake:report"), data)
    body = response.content.decode()
    assert "could not be opened as a photo, screenshot or PDF" in body
    assert "Seen at the bus station." in body
    assert Submission.objects.count() == 0


def test_add_another_shows_one_more_row_without_sending(client):
    sign_in(client, make_user(Role.COUNCILLOR))
    data = partner_form_data(client, **{"vehicle-0-raw": "AB12CDE", "add_vehicle": "1"})
    response = client.post(reverse("intake:report"), data)
    body = response.content.decode()
    assert 'name="vehicle-1-raw"' in body and 'value="AB12CDE"' in body
    assert "There is a problem" not in body
    assert Submission.objects.count() == 0


def test_a_councillors_report_is_counted_as_a_councillors(client):
    sign_in(client, make_user(Role.COUNCILLOR))
    send_report(client, partner_form_data(client))
    assert Submission.objects.get().source == "councillor"


def test_a_report_about_a_child_reaches_the_social_care_queue(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    send_report(client, partner_form_data(client, route="specific_child"))
    submission = Submission.objects.get()
    client.logout()
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    body = client.get(reverse("intake:social-care-queue")).content.decode()
    assert submission.reference in body
    assert (
        "Seen at the bus station."
        in client.get(reverse("intake:detail", args=[submission.reference])).content.decode()
    )


# --- Who sees what --------------------------------------------------------------------------


def test_a_reporter_sees_their_own_status_and_never_someone_elses(client):
    public = make_user(Role.MEMBER_OF_PUBLIC)
    mine = make_submission(public, narrative="Mine, with detail.")
    theirs = make_submission(make_user(Role.MEMBER_OF_PUBLIC))
    sign_in(client, public)

    own = client.get(reverse("intake:detail", args=[mine.reference])).content.decode()
    assert "Received: waiting to be looked at" in own
    assert "Mine, with detail." not in own
    assert client.get(reverse("intake:detail", args=[theirs.reference])).status_code == 404
    assert theirs.reference not in client.get(reverse("intake:mine")).content.decode()


def test_a_partner_sees_acted_on_and_the_summary_but_not_the_notes(client):
    officer = make_user(Role.POLICE_INTELLIGENCE)
    partner = make_user(Role.PARTNER_PRACTITIONER)
    submission = move_to(make_submission(partner, narrative="Full text."), "concluded", officer)
    sign_in(client, partner)

    body = client.get(reverse("intake:detail", args=[submission.reference])).content.decode()

    assert "acted on" in body
    assert "Concern about young people at a location." in body
    assert "Known vehicle; see nominal record." not in body
    assert "Full text." not in body


def test_an_unrelated_agency_sees_nothing(client):
    submission = make_submission(make_user(Role.PARTNER_PRACTITIONER))
    outsider = make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Unrelated"))
    sign_in(client, outsider)
    assert client.get(reverse("intake:detail", args=[submission.reference])).status_code == 404
    assert submission.reference not in client.get(reverse("intake:shared")).content.decode()


def test_handling_code_c_conditions_are_shown_to_partners(client):
    officer = make_user(Role.POLICE_INTELLIGENCE)
    partner = make_user(Role.PARTNER_PRACTITIONER)
    submission = move_to(make_submission(partner), "assigned", officer)
    from lantern.intake import services

    services.grade_submission(
        officer,
        submission,
        expected_version=submission.version,
        source_evaluation="2",
        intelligence_assessment="C",
        handling_code="C",
        handling_conditions="Not to be shared beyond the safeguarding lead.",
        partner_summary="Summary.",
        research_notes="",
        now=submission.received_at,
    )
    sign_in(client, partner)
    body = client.get(reverse("intake:detail", args=[submission.reference])).content.decode()
    assert "Handling code C: Not to be shared beyond the safeguarding lead." in body


def test_every_page_read_is_audited(client):
    officer = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    submission = make_submission()
    client.get(reverse("intake:detail", args=[submission.reference]))
    client.get(reverse("intake:queue"))
    assert AuditEntry.objects.filter(actor=officer, action="read", object_id=str(submission.pk))
    assert AuditEntry.objects.filter(actor=officer, action="list", object_type="intake.submission")


# --- Working the queue ----------------------------------------------------------------------


def test_the_queue_puts_urgent_first_then_oldest(client):
    from datetime import timedelta

    now = timezone.now()
    old = make_submission(now=now - timedelta(days=8))  # over 3 working days, any week
    new = make_submission(now=now - timedelta(hours=1))
    urgent = make_submission(route=Route.IMMEDIATE_DANGER, now=now)
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    body = client.get(reverse("intake:queue")).content.decode()
    positions = [body.index(s.reference) for s in (urgent, old, new)]
    assert positions == sorted(positions)
    assert "overdue" in body


def test_an_officer_assigns_grades_decides_and_concludes_through_the_pages(client):
    officer = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    submission = make_submission()
    ref = submission.reference

    def post(step, **data):
        submission.refresh_from_db()
        return client.post(
            reverse(f"intake:{step}", args=[ref]), {"version": submission.version, **data}
        )

    assert post("assign", officer=officer.pk).status_code == 302
    assert (
        post(
            "grade",
            source_evaluation="2",
            intelligence_assessment="B",
            handling_code="P",
            partner_summary="Summary for partners.",
            research_notes="Notes.",
        ).status_code
        == 302
    )
    refused = post("decide", decision="record_only", rationale="")
    assert "Write why no further action is needed" in refused.content.decode()
    assert post("decide", decision="tasking", rationale="Threshold met.").status_code == 302
    assert post("conclude", notes="Patrols done.").status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.CONCLUDED
    trace = client.get(reverse("intake:trace", args=[ref])).content.decode()
    for word in ("Received", "Assigned", "Graded", "Decision", "Outcome"):
        assert word in trace


def test_a_stale_work_form_shows_a_conflict(client):
    officer = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    submission = make_submission()
    stale = submission.version
    client.post(
        reverse("intake:assign", args=[submission.reference]),
        {"version": stale, "officer": officer.pk},
    )
    response = client.post(
        reverse("intake:assign", args=[submission.reference]),
        {"version": stale, "officer": officer.pk},
    )
    assert "Someone else changed this record" in response.content.decode()


def test_a_refused_transition_is_explained(client):
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    submission = make_submission()
    response = client.post(
        reverse("intake:conclude", args=[submission.reference]),
        {"version": submission.version, "notes": ""},
    )
    assert "only after a decision" in response.content.decode()


# --- Attachments and exports ----------------------------------------------------------------


def test_an_attachment_downloads_and_never_renders_inline(client):
    from lantern.intake.tests.factories import png_upload

    submission = make_submission(files=[png_upload()])
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    response = client.get(reverse("intake:attachment", args=[submission.attachments.get().pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_a_partner_cannot_download_an_attachment(client):
    from lantern.intake.tests.factories import png_upload

    partner = make_user(Role.PARTNER_PRACTITIONER)
    submission = make_submission(partner, files=[png_upload()])
    sign_in(client, partner)
    response = client.get(reverse("intake:attachment", args=[submission.attachments.get().pk]))
    assert response.status_code == 404


def test_the_trace_matrix_csv_neutralises_formulas_and_is_audited(client):
    supervisor = sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    officer = make_user(Role.POLICE_INTELLIGENCE)
    submission = move_to(
        make_submission(online_accounts=[{"raw": '=HYPERLINK("http://x")'}]), "decided", officer
    )
    from lantern.intake.services import note_on_trace

    note_on_trace(
        officer, submission, kind="action", summary="=cmd|' /C calc'!A0", now=timezone.now()
    )
    response = client.get(
        reverse("intake:trace-matrix"), {"references": submission.reference, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Reference" and rows[1][0] == submission.reference
    assert rows[1][4] == "2/B/P"
    assert rows[1][5] == (
        "2 – Untested; B – Known indirectly to the source but corroborated; "
        "P – Lawful sharing permitted"
    )
    assert rows[1][7] == "1"  # one tasking action
    assert rows[1][3] == '\'=HYPERLINK("http://x")'  # shown as text, never run
    assert AuditEntry.objects.filter(actor=supervisor, action="export").exists()


def test_neutralise_prefixes_formula_starts():
    from lantern.intake.exports import neutralise, to_xlsx

    assert neutralise('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise("+1") == "'+1" and neutralise("@a") == "'@a" and neutralise("-2") == "'-2"
    assert neutralise("LAN-2026-000001") == "LAN-2026-000001"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx([["=1+1"] + [""] * 9])))
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.value == "'=1+1"


def test_the_trace_matrix_xlsx_opens(client):
    from openpyxl import load_workbook

    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    make_submission()
    response = client.get(
        reverse("intake:trace-matrix"), {"received_from": "2000-01-01", "format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.active.max_row == 2


def test_a_bad_row_is_named_in_the_error_summary(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client, **{"vehicle-0-colour": "x" * 41})
    body = client.post(reverse("intake:report"), data).content.decode()
    assert "There is a problem" in body and "Vehicle 1:" in body
    assert Submission.objects.count() == 0
