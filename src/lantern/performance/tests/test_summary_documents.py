"""The data summary downloads as Word too, and every document carries the measures' trend charts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.performance.tests.helpers import make_measure, put

pytestmark = pytest.mark.django_db

URL = reverse("performance:data-summary-download") + "?period=2014/15-Q2&format="


@pytest.fixture
def measures(client):
    trained = make_measure("Staff trained in CSE", priority="prevent", section="Training")
    visits = make_measure("Return interviews held", priority="protect", section="Missing")
    for period, a, b in [("2013/14-Q3", 5, 8), ("2013/14-Q4", 7, 9), ("2014/15-Q1", 9, 6)]:
        put(trained, period, a)
        put(visits, period, b)
    put(trained, "2014/15-Q2", 12)
    put(visits, "2014/15-Q2", 11)
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))
    return [trained, visits]


def test_the_data_summary_downloads_as_word_with_a_chart_per_measure(client, measures):
    from docx import Document

    response = client.get(URL + "docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Staff trained in CSE" in text or any(
        "Staff trained in CSE" in c.text for t in document.tables for r in t.rows for c in r.cells
    )
    described = [p.text for p in document.paragraphs if p.text.startswith("Trend: ")]
    assert len(document.inline_shapes) == len(described) >= len(measures)  # a PNG chart each
    trained = next(t for t in described if t.startswith("Trend: Staff trained in CSE."))
    assert "2013/14-Q4: 7; 2014/15-Q1: 9; 2014/15-Q2: 12" in trained


def test_the_html_and_pdf_data_summaries_carry_svg_trend_charts(client, measures):
    html = client.get(URL + "html").content.decode()
    assert html.count('class="lantern-trend"') == html.count('<th scope="row">') >= len(measures)
    assert "<figcaption>Staff trained in CSE</figcaption>" in html
    pdf = client.get(URL + "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_data_summary_page_offers_the_word_download(client, measures):
    page = client.get(reverse("performance:data-summary") + "?period=2014/15-Q2")
    assert "format=docx" in page.content.decode()
