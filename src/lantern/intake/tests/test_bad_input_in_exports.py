"""A script tag or a formula in any field is shown as text in pages and in the exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake.exports import neutralise
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def hostile_submission():
    return make_submission(
        narrative=SCRIPT,
        location=SCRIPT,
        people=[{"name": SCRIPT, "role": "other"}, {"name": "@SUM(A1:A9)", "role": "other"}],
        vehicles=["=1+2"],
        phones=["+447700900123"],
        online_accounts=[{"platform": SCRIPT, "raw": "-2+3"}],
    )


def export(client, submission, fmt):
    return client.get(
        reverse("intake:trace-matrix"), {"references": submission.reference, "format": fmt}
    )


def test_the_trace_matrix_page_shows_a_script_tag_as_text(client):
    submission = hostile_submission()
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    body = client.get(
        reverse("intake:trace-matrix"), {"references": submission.reference}
    ).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert" not in body


@pytest.mark.parametrize("view", ["intake:detail", "intake:trace"])
def test_the_officers_pages_show_a_script_tag_as_text(client, view):
    submission = hostile_submission()
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    body = client.get(reverse(view, args=[submission.reference])).content.decode()
    assert "<script>alert" not in body


def test_the_csv_keeps_a_script_tag_as_plain_text_and_never_a_formula(client):
    submission = hostile_submission()
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    rows = list(csv.reader(io.StringIO(export(client, submission, "csv").content.decode())))
    subjects = rows[1][3]
    assert subjects.startswith(SCRIPT)  # text as written, nothing to run in a spreadsheet
    for row in rows:
        for cell in row:
            assert not cell.lstrip().startswith(("=", "+", "-", "@")), cell


def test_the_xlsx_has_no_formula_cells(client):
    submission = make_submission(people=[{"name": '=HYPERLINK("x")', "role": "other"}])
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    book = load_workbook(io.BytesIO(export(client, submission, "xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)
    assert book.active["D2"].value == '\'=HYPERLINK("x")'


def test_leading_spaces_or_line_breaks_do_not_hide_a_formula():
    assert neutralise(" =1+1") == "' =1+1"
    assert neutralise("\n@cmd") == "'\n@cmd"
    assert neutralise("  plain text") == "  plain text"
