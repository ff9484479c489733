"""The lifecycle: every transition, every refusal, the trace and audit written with each."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.errors import EditConflict
from lantern.core.testing import make_user
from lantern.intake import services
from lantern.intake.models import (
    Attachment,
    Decision,
    Outcome,
    Route,
    Status,
    Submission,
    TraceEvent,
    TraceKind,
)
from lantern.intake.services import IntakeError, NewSubmission, TransitionRefused
from lantern.intake.tests.factories import PNG, make_submission, move_to, png_upload

pytestmark = pytest.mark.django_db
NOW = datetime.fromisoformat("2026-03-10T10:00:00+00:00")


@pytest.fixture
def officer():
    return make_user(Role.POLICE_INTELLIGENCE)


def test_receiving_gives_a_yearly_reference_and_a_trace():
    first = make_submission(now=NOW)
    second = make_submission(now=NOW)

    assert first.reference == "LAN-2026-000001"
    assert second.reference == "LAN-2026-000002"
    assert list(first.trace.values_list("kind", flat=True)) == ["received", "acknowledged"]
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_references_start_again_each_year():
    make_submission(now=NOW)
    next_year = make_submission(now=NOW.replace(year=2027))
    assert next_year.reference == "LAN-2027-000001"


def test_the_same_token_twice_makes_one_submission():
    new = NewSubmission(token=uuid.uuid4(), source="public", route="intelligence", narrative="x")

    first, created = services.receive_submission("test", new, now=NOW)
    again, created_again = services.receive_submission("test", new, now=NOW)

    assert created and not created_again
    assert first.pk == again.pk
    assert Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race matters on PostgreSQL")
    errors = []

    def submit():
        try:
            make_submission(now=NOW)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    refs = list(Submission.objects.values_list("reference", flat=True))
    assert len(set(refs)) == 6


def test_an_immediate_danger_report_is_urgent():
    submission = make_submission(route=Route.IMMEDIATE_DANGER, now=NOW)
    assert submission.urgent


def test_receiving_refuses_a_future_date_and_saves_nothing():
    with pytest.raises(IntakeError, match="today or in the past"):
        make_submission(occurred_on=(NOW + timedelta(days=2)).date(), now=NOW)
    assert Submission.objects.count() == 0


def test_receiving_refuses_an_over_long_narrative():
    with pytest.raises(IntakeError, match="5000 characters"):
        make_submission(narrative="x" * 5001, now=NOW)
    assert Submission.objects.count() == 0


def test_a_disguised_attachment_is_refused_and_nothing_is_saved():
    html = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    with pytest.raises(services.AttachmentRefused, match="could not be opened as a photo"):
        make_submission(files=[html], now=NOW)
    assert Submission.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_svg_is_refused_whatever_its_name():
    svg = SimpleUploadedFile("x.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/png")
    with pytest.raises(services.AttachmentRefused):
        services.check_attachment(svg)


def test_an_oversized_attachment_is_refused(settings):
    settings.LANTERN_INTAKE_MAX_ATTACHMENT_BYTES = 50
    with pytest.raises(services.AttachmentRefused, match="smaller than"):
        services.check_attachment(png_upload())


def test_an_attachment_is_stored_under_a_name_of_ours():
    submission = make_submission(files=[png_upload("../../etc/passwd.png")], now=NOW)
    attachment = submission.attachments.get()
    assert attachment.content_type == "image/png"
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert attachment.original_name == "passwd.png"  # Django strips the path on upload
    assert attachment.file.read() == PNG


def test_mentions_are_normalised_and_partial_plates_kept():
    submission = make_submission(
        vehicles=[{"raw": "ab12 c?d", "make": "Ford"}, "nm61 kpt"],
        phones=["07700 900123", "0770"],
        online_accounts=[{"platform": "Snapchat", "raw": "@Someone_01"}],
        now=NOW,
    )
    vehicles = {v.raw: v for v in submission.vehicles.all()}
    assert vehicles["ab12 c?d"].registration == "AB12C?D" and vehicles["ab12 c?d"].is_partial
    assert vehicles["nm61 kpt"].registration == "NM61KPT" and not vehicles["nm61 kpt"].is_partial
    phones = {p.raw: p for p in submission.phones.all()}
    assert phones["07700 900123"].e164 == "+447700900123" and phones["07700 900123"].is_valid
    assert phones["0770"].e164 == "" and not phones["0770"].is_valid
    assert submission.online_accounts.get().handle == "someone_01"


def test_warnings_name_partial_plates_and_malformed_phones():
    warnings = services.mention_warnings(["AB1?CD", "NM61KPT"], ["0770", "07700 900123"])
    assert len(warnings) == 2
    assert "partial registration" in warnings[0]
    assert "0770" in warnings[1]


def test_the_whole_lifecycle_writes_a_trace_entry_for_each_step(officer):
    submission = make_submission(now=NOW)

    move_to(submission, "concluded", officer, now=NOW)

    submission.refresh_from_db()
    assert submission.status == Status.CONCLUDED
    assert submission.outcome == Outcome.ACTED_ON
    kinds = list(submission.trace.values_list("kind", flat=True))
    assert kinds == ["received", "acknowledged", "assigned", "graded", "decided", "concluded"]
    assert all(
        e.actor == officer for e in submission.trace.exclude(kind__in=["received", "acknowledged"])
    )


def test_record_only_concludes_as_recorded(officer):
    submission = move_to(make_submission(now=NOW), "concluded", officer, decision="record_only")
    assert submission.outcome == Outcome.RECORDED


@pytest.mark.parametrize(
    ("status", "step"),
    [
        ("received", "grade"),
        ("received", "decide"),
        ("received", "conclude"),
        ("assigned", "decide"),
        ("assigned", "conclude"),
        ("graded", "conclude"),
        ("decided", "grade"),
        ("decided", "decide"),
        ("concluded", "assign"),
        ("concluded", "grade"),
        ("concluded", "decide"),
        ("concluded", "conclude"),
    ],
)
def test_a_step_not_allowed_from_a_status_is_refused(officer, status, step):
    submission = make_submission(now=NOW)
    if status != "received":
        submission = move_to(submission, status, officer)
    before = TraceEvent.objects.count()
    call = {
        "assign": lambda: services.assign_submission(
            officer, submission, officer=officer, expected_version=submission.version, now=NOW
        ),
        "grade": lambda: services.grade_submission(
            officer,
            submission,
            expected_version=submission.version,
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="P",
            handling_conditions="",
            partner_summary="s",
            research_notes="",
            now=NOW,
        ),
        "decide": lambda: services.decide_submission(
            officer,
            submission,
            expected_version=submission.version,
            decision="tasking",
            rationale="r",
            now=NOW,
        ),
        "conclude": lambda: services.conclude_submission(
            officer, submission, expected_version=submission.version, notes="", now=NOW
        ),
    }[step]
    with pytest.raises(TransitionRefused):
        call()
    assert TraceEvent.objects.count() == before
    submission.refresh_from_db()
    assert submission.status == status


def test_a_stale_form_gets_a_conflict_not_an_overwrite(officer):
    submission = move_to(make_submission(now=NOW), "assigned", officer)
    stale_version = submission.version
    other = make_user(Role.POLICE_INTELLIGENCE)
    services.assign_submission(
        other, submission, officer=other, expected_version=stale_version, now=NOW
    )

    with pytest.raises(EditConflict):
        services.assign_submission(
            officer,
            Submission.objects.get(pk=submission.pk),
            officer=officer,
            expected_version=stale_version,
            now=NOW,
        )
    assert Submission.objects.get(pk=submission.pk).assigned_to == other


def test_assigning_to_someone_outside_the_unit_is_refused(officer):
    partner = make_user(Role.PARTNER_PRACTITIONER)
    submission = make_submission(now=NOW)
    with pytest.raises(IntakeError, match="does not work"):
        services.assign_submission(
            officer, submission, officer=partner, expected_version=submission.version, now=NOW
        )


def test_handling_code_c_needs_conditions(officer):
    submission = move_to(make_submission(now=NOW), "assigned", officer)
    with pytest.raises(IntakeError, match="conditions"):
        services.grade_submission(
            officer,
            submission,
            expected_version=submission.version,
            source_evaluation="1",
            intelligence_assessment="A",
            handling_code="C",
            handling_conditions="  ",
            partner_summary="s",
            research_notes="",
            now=NOW,
        )


def test_record_only_needs_a_rationale(officer):
    submission = move_to(make_submission(now=NOW), "graded", officer)
    with pytest.raises(IntakeError, match="rationale cannot be empty"):
        services.decide_submission(
            officer,
            submission,
            expected_version=submission.version,
            decision=Decision.RECORD_ONLY,
            rationale="   ",
            now=NOW,
        )
    submission.refresh_from_db()
    assert submission.status == Status.GRADED


def test_a_referral_elsewhere_needs_who_it_went_to(officer):
    submission = move_to(make_submission(now=NOW), "graded", officer)
    with pytest.raises(IntakeError, match="which force or agency"):
        services.decide_submission(
            officer,
            submission,
            expected_version=submission.version,
            decision=Decision.REFER_ELSEWHERE,
            rationale="",
            now=NOW,
        )


def test_deciding_shares_the_summary_and_traces_it(officer):
    from lantern.core.testing import AgencyFactory

    school = AgencyFactory(name="Northmere Academy")
    submission = move_to(make_submission(now=NOW), "graded", officer)
    services.decide_submission(
        officer,
        submission,
        expected_version=submission.version,
        decision=Decision.TASKING,
        rationale="",
        share_with=[school],
        now=NOW,
    )
    assert school in submission.shared_with.all()
    assert submission.trace.filter(kind=TraceKind.SHARED, summary__contains="Academy").exists()


def test_other_apps_can_note_links_and_actions_on_the_trace(officer):
    submission = make_submission(now=NOW)
    services.note_on_trace(
        officer,
        submission,
        kind=TraceKind.ACTION,
        summary="Licensing visit to the premises",
        now=NOW,
    )
    services.note_on_trace(
        officer, submission, kind=TraceKind.LINKED, summary="Linked to vehicle NM61KPT", now=NOW
    )
    kinds = list(submission.trace.values_list("kind", flat=True))
    assert kinds[-2:] == ["action", "linked"]


def test_the_lifecycle_steps_cannot_be_noted_by_hand(officer):
    submission = make_submission(now=NOW)
    with pytest.raises(IntakeError):
        services.note_on_trace(
            officer, submission, kind=TraceKind.GRADED, summary="Graded 1 A P", now=NOW
        )
    assert not submission.trace.filter(kind="graded").exists()
