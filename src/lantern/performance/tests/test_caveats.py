"""Caveats travel with the figures: numbered notes in the summary, the dashboard, the Cabinet
report and every export, published or live."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import make_user, sign_in
from lantern.performance import exports, reports, services, summary
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure, put, row

pytestmark = pytest.mark.django_db
Q2 = Period.parse("2014/15-Q2")
RECORDING = "Recording of repeat incidents changed in 2013/14: take care comparing years."
SEASONAL = "Figures usually rise over the summer holidays."


@pytest.fixture
def noted():
    runaways = make_measure(
        "Runaway incidents in the borough", priority="protect", caveat=RECORDING
    )
    put(runaways, "2014/15-Q1", 90)
    figure = put(runaways, "2014/15-Q2", 120)
    figure.note = SEASONAL
    figure.save()
    return runaways


def test_the_summary_numbers_the_measures_caveat_and_the_figures_note(noted):
    built = summary.build_summary(Q2)

    assert row(built, noted).note_refs == [1, 2]
    assert summary.note_lines(built) == [
        f"[1] Runaway incidents in the borough: {RECORDING}",
        f"[2] Runaway incidents in the borough, 2014/15-Q2: {SEASONAL}",
    ]


def test_a_note_on_a_withheld_figure_is_withheld_with_it():
    small = make_measure("Charges", caveat="")
    figure = put(small, "2014/15-Q2", 3)
    figure.note = "Three charges came from one operation."
    figure.save()

    built = summary.suppress_for_audience(summary.build_summary(Q2))

    assert built.notes == []


def test_every_export_carries_the_numbered_notes(noted):
    built = summary.build_summary(Q2)

    csv_text = exports.render(built, "csv").decode()
    assert "Protect,CSE Team,Runaway incidents in the borough," in csv_text
    assert ",up,1; 2\r\n" in csv_text
    assert f"1,Runaway incidents in the borough,all periods,{RECORDING}" in csv_text
    assert "note,measure,period,text" in csv_text

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.render(built, "xlsx")))
    assert [c.value for c in book["Notes"][2]] == [
        1,
        "Runaway incidents in the borough",
        "all periods",
        RECORDING,
    ]
    html = exports.render(built, "html").decode()
    assert SEASONAL in html and 'href="#note-2"' in html

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(exports.render(built, "docx"))).paragraphs)
    assert f"[2] Runaway incidents in the borough, 2014/15-Q2: {SEASONAL}" in text

    pdf = exports.render(built, "pdf")
    assert pdf.startswith(b"%PDF")


def test_the_published_report_and_the_cabinet_report_carry_the_notes(noted):
    officer = make_user(Role.PERFORMANCE_OFFICER)
    published = services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)
    assert RECORDING in bytes(published.files.get(format="csv").data).decode()

    cabinet = reports.cabinet_report(Q2)
    from docx import Document

    docx = Document(io.BytesIO(exports.render_cabinet_docx(cabinet)))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert f"[1] Runaway incidents in the borough: {RECORDING}" in text
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    assert "Runaway incidents in the borough [1] [2]" in cells


def test_the_dashboard_and_the_data_summary_page_show_the_notes(client, noted):
    officer = sign_in(client, make_user(Role.PERFORMANCE_OFFICER))
    services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)

    board = client.get(reverse("performance:dashboard") + "?priority=protect").content.decode()
    live = client.get(reverse("performance:data-summary") + "?period=2014/15-Q2").content.decode()

    for page in (board, live):
        assert RECORDING in page
        assert SEASONAL in page
        assert 'href="#note-1"' in page
