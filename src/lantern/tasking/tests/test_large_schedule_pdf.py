"""A large schedule PDF is drawn as a plain table (issue 26): HTML table layout cost tens of
milliseconds a row, so the unfiltered schedule at 100,000 actions took most of an hour. The
plain table keeps every row, the headings and the handling note on every page, and the C
marking on each C action; the reader's access still decides what each row says."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from lantern.core.table_pdf import Column, table_pdf
from lantern.core.testing import sign_in
from lantern.tasking import exports
from lantern.tasking.models import Action, ExportJob, ExportStatus
from lantern.tasking.tests.factories import an_action, tasking_world


def row(n: int, handling: str = "P") -> list[str]:
    return [
        f"A{n}",
        f"Visit the premises number {n} and speak with the manager",
        "Test health",
        "Nurse Example",
        "Tasking group 2 March 2026",
        "2026-03-09",
        "High",
        "Open",
        "0",
        "",
        handling,
    ]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf), strict=True).pages]


def test_a_large_schedule_is_a_plain_table_with_every_row_and_heading_on_each_page():
    rows = [row(n, "C: Share with CSC and Health only" if n % 50 == 0 else "P") for n in range(600)]

    pdf = exports.schedule_pdf(rows, "Action schedule")

    pages = pages_text(pdf)
    assert len(pages) > 5
    text = "\n".join(pages)
    for n in range(600):
        assert f"A{n} " in text
    for page in pages:
        assert page.startswith("Action schedule")
        assert "Reference" in page and "Handling" in page
        assert exports.SCHEDULE_HANDLING_NOTE in page.replace("\n", " ")
    assert text.count("C: Share with CSC") == 12
    assert "600 actions" in pages[0]


def test_long_text_wraps_within_its_column_and_a_row_can_carry_over_a_page():
    long = "word " * 400
    pdf = table_pdf("T", [Column("A", 10), Column("B", 30)], [["x", long], ["y", "short"]])
    text = "\n".join(pages_text(pdf))
    assert text.count("word") == 400 and "short" in text


def test_text_outside_the_fonts_characters_is_kept_as_a_question_mark_and_brackets_escaped():
    pdf = table_pdf("T", [Column("A", 40)], [["Café (£5) \\ – 😀 ok"]])
    text = pages_text(pdf)[0]
    assert "Café (£5) \\ – ? ok" in text


def test_columns_wider_than_the_page_are_refused():
    with pytest.raises(ValueError, match="wider than the page"):
        table_pdf("T", [Column("A", 300)], [])


@pytest.mark.django_db
def test_the_unfiltered_schedule_in_pdf_and_xlsx_is_built_by_tick_outside_the_request(
    client, settings
):
    settings.LANTERN_EXPORT_SYNC_ROWS = 5
    world = tasking_world()
    for n in range(exports.PDF_HTML_ROWS + 1):
        an_action(world, title=f"Action number {n}")
    sign_in(client, world.chair)
    for fmt in ("pdf", "xlsx"):
        response = client.get(f"/tasking/actions/export.{fmt}")
        assert response.status_code == 302 and response["Location"] == "/tasking/exports/"
    assert ExportJob.objects.filter(status=ExportStatus.QUEUED).count() == 2

    call_command("tick")

    jobs = {job.fmt: job for job in ExportJob.objects.all()}
    assert all(job.status == ExportStatus.READY for job in jobs.values())
    pdf = bytes(client.get(f"/tasking/exports/{jobs['pdf'].pk}/download/").content)
    text = "\n".join(pages_text(pdf))
    assert f"A{Action.objects.order_by('pk').last().pk} " in text
    assert jobs["pdf"].rows == exports.PDF_HTML_ROWS + 1
