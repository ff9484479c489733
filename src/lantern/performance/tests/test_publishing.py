"""Publishing: immutable snapshots, amendment marks in later reports, exact re-download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import make_user, sign_in
from lantern.performance import services, summary
from lantern.performance.models import PublishedReport
from lantern.performance.tests.helpers import (
    DECEMBER_2014,
    JULY_2014,
    make_measure,
    put,
    row,
    shown,
)

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2014/15-Q1")
Q2 = Period.parse("2014/15-Q2")


def test_a_later_report_marks_each_figure_changed_since_publication_and_lists_it():
    # The annual report (seed 002) gave 48 new referrals on CATS for 2013/14; the Q2 report
    # (seed 000) restated it as 34 and its victim/witness interviews from 16 to 35.
    officer = make_user(Role.PERFORMANCE_OFFICER)
    referrals = make_measure("New referrals on CATS")
    interviews = make_measure("Victim and witness interviews")
    arrests = make_measure("Arrests")
    put(referrals, "2013/14", 48)
    put(interviews, "2013/14", 16)
    put(arrests, "2013/14", 23)
    put(arrests, "2014/15-Q1", 12)
    services.publish_report(officer, Q1, now=JULY_2014, accept_gaps=True)
    put(referrals, "2013/14", 34)
    put(interviews, "2013/14", 35)
    put(arrests, "2014/15-Q2", 14)

    second = services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)

    built = summary.from_content(second.content)
    assert shown(built, referrals)[1] == "34*"
    assert shown(built, interviews)[1] == "35*"
    assert shown(built, arrests)[1:] == ["23", "12", "14"]
    assert [(a["measure"], a["period"], a["old"], a["new"]) for a in built.amendments] == [
        ("New referrals on CATS", "2013/14", "48", "34"),
        ("Victim and witness interviews", "2013/14", "16", "35"),
    ]
    csv_lines = bytes(second.files.get(format="csv").data).decode().splitlines()
    assert (
        "Pursue,CSE Team,New referrals on CATS,Not available,34*,Not available,Not available,,"
        in csv_lines
    )


def test_a_figure_published_and_unchanged_is_not_marked_in_the_next_report():
    officer = make_user(Role.PERFORMANCE_OFFICER)
    arrests = make_measure("Arrests")
    put(arrests, "2014/15-Q1", 12)
    services.publish_report(officer, Q1, now=JULY_2014, accept_gaps=True)
    services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)
    put(arrests, "2014/15-Q1", 10)

    live = summary.build_summary(Q2)

    assert shown(live, arrests)[2] == "10*"
    assert row(live, arrests).cells[2].amended


def test_a_published_report_downloads_byte_for_byte_as_published_after_figures_change(client):
    officer = make_user(Role.PERFORMANCE_OFFICER)
    arrests = make_measure("Arrests")
    put(arrests, "2014/15-Q2", 14)
    report = services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)
    sign_in(client, officer)
    first = {
        fmt: client.get(reverse("performance:published-download", args=[report.pk, fmt])).content
        for fmt in services.FORMATS
    }
    put(arrests, "2014/15-Q2", 15)

    again = {
        fmt: client.get(reverse("performance:published-download", args=[report.pk, fmt])).content
        for fmt in services.FORMATS
    }

    assert again == first
    for stored in report.files.all():
        assert hashlib.sha256(first[stored.format]).hexdigest() == stored.sha256
    assert first["pdf"].startswith(b"%PDF")
    assert services.content_hash(report.content) == report.content_hash


def test_a_snapshot_re_renders_exactly_from_its_content():
    officer = make_user(Role.PERFORMANCE_OFFICER)
    put(make_measure("Arrests"), "2014/15-Q2", 14)
    report = services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)
    from lantern.performance import exports

    public = summary.suppress_for_audience(summary.from_content(report.content))

    assert exports.render(public, "csv") == bytes(report.files.get(format="csv").data)


def test_a_published_report_cannot_be_changed():
    officer = make_user(Role.PERFORMANCE_OFFICER)
    report = services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)
    report.period = "2014/15-Q3"

    with pytest.raises(ValueError, match="cannot be changed"):
        report.save()


def test_a_quarter_that_is_not_over_cannot_be_published():
    officer = make_user(Role.PERFORMANCE_OFFICER)

    with pytest.raises(services.PublishRefused, match="not over"):
        services.publish_report(officer, Period.parse("2014/15-Q3"), now=DECEMBER_2014)
    assert PublishedReport.objects.count() == 0


def test_the_publish_page_refuses_a_bad_period_by_the_field(client):
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    response = client.post(reverse("performance:publish"), {"period": "2014/15-Q9"})

    assert response.status_code == 200
    assert "is not a period" in response.content.decode()
    assert 'value="2014/15-Q9"' in response.content.decode()
    assert PublishedReport.objects.count() == 0


def test_publishing_from_the_command_line_freezes_the_report(capsys):
    make_user(Role.PERFORMANCE_OFFICER, username="perf")

    call_command("report", "publish", "--period", "2014/15-Q2", "--by", "perf", "--accept-gaps")

    report = PublishedReport.objects.get()
    assert report.content_hash in capsys.readouterr().out
    assert report.published_by.username == "perf"


def test_the_cabinet_report_shows_the_quarters_published_figures_not_later_edits():
    from lantern.performance import reports

    officer = make_user(Role.PERFORMANCE_OFFICER)
    arrests = make_measure("Arrests")
    put(arrests, "2014/15-Q2", 14)
    services.publish_report(officer, Q2, now=DECEMBER_2014, accept_gaps=True)
    put(arrests, "2014/15-Q2", 15)

    report = reports.cabinet_report(Q2)

    assert shown(report["summary"], arrests)[-1] == "14"
    assert report["published"] is not None
