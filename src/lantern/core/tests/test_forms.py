"""GOV.UK form rendering, the error summary, and the page layout's Content-Security-Policy."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from lantern.core.forms import GovukForm

SCRIPT_TYPED_BY_USER = "<script>alert(1)</script>"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


class ConcernForm(GovukForm):
    name = forms.CharField(
        label="Child's name",
        help_text="As the child would say it",
        error_messages={"required": "Enter the child's name"},
    )
    details = forms.CharField(label="What happened?", widget=forms.Textarea, required=False)
    agency = forms.ChoiceField(
        label="Your agency",
        choices=[("", "Select an agency"), ("police", "Police"), ("health", "Health")],
        error_messages={"required": "Select your agency"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=[("routine", "Routine"), ("urgent", "Urgent")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent this is"},
    )
    concerns = forms.MultipleChoiceField(
        label="What are you worried about?",
        choices=[("missing", "Going missing"), ("gifts", "Unexplained gifts")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select at least one worry"},
    )
    consent = forms.BooleanField(label="The family agreed to this referral", required=False)
    seen_on = forms.DateField(label="Date seen", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def submitted(**data) -> ConcernForm:
    form = ConcernForm(data={"name": "", "agency": "", **data})
    form.is_valid()
    return form


def id_of_input(html: str, name: str, value: str) -> str:
    match = re.search(rf'<input [^>]*name="{name}" value="{value}"[^>]*id="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_fields_render_with_govuk_classes():
    html = ConcernForm().render()

    assert '<input type="text" name="name" class="govuk-input"' in html
    assert 'class="govuk-label" for="id_name">Child&#x27;s name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As the child would say it</div>' in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-select"' in html
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert 'class="govuk-radios__input"' in html
    assert 'class="govuk-label govuk-radios__label" for="id_urgency">Routine</label>' in html
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert (
        'class="govuk-label govuk-checkboxes__label" for="id_concerns">Going missing</label>'
        in html
    )
    assert '<legend class="govuk-fieldset__legend">How urgent is this?</legend>' in html
    assert 'class="govuk-label govuk-checkboxes__label" for="id_consent">' in html
    assert 'type="date"' not in html  # GOV.UK's date input, not the browser's picker
    assert '<div class="govuk-date-input" id="id_seen_on">' in html
    assert '<legend class="govuk-fieldset__legend">Date seen</legend>' in html
    for part in ("day", "month", "year"):
        assert f'name="seen_on_{part}"' in html and f'id="id_seen_on_{part}"' in html
    assert 'type="hidden" name="version"' in html
    assert "govuk-form-group--error" not in html


def test_labels_have_no_colon():
    html = ConcernForm().render()

    assert "name:</label>" not in html


def test_first_radio_and_checkbox_take_the_field_id():
    html = ConcernForm().render()

    assert id_of_input(html, "urgency", "routine") == "id_urgency"
    assert id_of_input(html, "urgency", "urgent") == "id_urgency_1"
    assert id_of_input(html, "concerns", "missing") == "id_concerns"
    assert id_of_input(html, "concerns", "gifts") == "id_concerns_1"


def test_error_summary_links_to_each_field_with_an_error():
    form = submitted()

    html = render_to_string("core/components/error_summary.html", {"form": form})

    assert 'data-module="govuk-error-summary"' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<a href="#id_name">Enter the child&#x27;s name</a>' in html
    assert '<a href="#id_agency">Select your agency</a>' in html
    assert '<a href="#id_urgency">Select how urgent this is</a>' in html
    assert '<a href="#id_concerns">Select at least one worry</a>' in html


def test_error_summary_lists_errors_that_belong_to_no_field():
    class DatesForm(GovukForm):
        def clean(self):
            raise forms.ValidationError("The end date must be after the start date")

    form = DatesForm(data={})
    form.is_valid()

    html = render_to_string("core/components/error_summary.html", {"form": form})

    assert "<li>The end date must be after the start date</li>" in html


def test_error_summary_renders_nothing_without_errors():
    html = render_to_string("core/components/error_summary.html", {"form": ConcernForm()})

    assert html.strip() == ""


def test_error_message_is_beside_the_field():
    form = submitted()

    group = str(form["name"].as_field_group())

    assert 'class="govuk-form-group govuk-form-group--error"' in group
    assert (
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter the child&#x27;s name</p>'
    ) in group
    assert 'class="govuk-input govuk-input--error"' in group
    assert 'aria-describedby="id_name-hint id_name-error"' in group
    assert group.index("id_name-error") < group.index('name="name"')


def test_select_error_uses_the_select_error_class():
    group = str(submitted()["agency"].as_field_group())

    assert 'class="govuk-select govuk-select--error"' in group
    assert 'aria-describedby="id_agency-error"' in group


def test_radios_error_is_described_on_the_fieldset():
    group = str(submitted()["urgency"].as_field_group())

    assert "govuk-form-group--error" in group
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_urgency-error">' in group
    assert '<p id="id_urgency-error" class="govuk-error-message">' in group


def test_checkboxes_describe_hint_and_error_on_the_fieldset():
    group = str(submitted()["concerns"].as_field_group())

    assert 'aria-describedby="id_concerns-hint id_concerns-error"' in group
    assert '<div id="id_concerns-hint" class="govuk-hint">Select all that apply</div>' in group


def test_typed_value_is_kept_and_escaped():
    form = submitted(name=SCRIPT_TYPED_BY_USER, details=SCRIPT_TYPED_BY_USER, agency="")

    html = form.render()

    assert SCRIPT_TYPED_BY_USER not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html


def test_choices_made_are_kept_when_the_form_has_errors():
    form = submitted(urgency="urgent", concerns=["gifts"], consent="on", seen_on="2026-03-27")

    html = form.render()

    assert re.search(r'value="urgent"[^>]*checked', html)
    assert not re.search(r'value="routine"[^>]*checked', html)
    assert re.search(r'value="gifts"[^>]*checked', html)
    assert re.search(r'name="consent"[^>]*checked', html)
    assert 'name="seen_on_day" value="27"' in html and 'name="seen_on_year" value="2026"' in html


def test_widget_classes_given_by_the_form_are_kept():
    class CodeForm(GovukForm):
        code = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))

    form = CodeForm(data={})
    form.is_valid()

    assert 'class="govuk-input govuk-input--width-5 govuk-input--error"' in str(form["code"])


def test_pagination_keeps_other_query_parameters():
    page = Paginator(list(range(100)), 10).page(5)

    html = render_to_string(
        "core/components/pagination.html", {"page_obj": page, "querystring": "q=smith&status=all"}
    )

    assert 'href="?q=smith&amp;status=all&amp;page=4" rel="prev"' in html
    assert 'href="?q=smith&amp;status=all&amp;page=6" rel="next"' in html
    assert 'aria-label="Page 5" aria-current="page"' in html
    assert 'aria-label="Page 1"' in html
    assert 'aria-label="Page 10"' in html
    assert html.count("govuk-pagination__item--ellipsis") == 2


def test_pagination_renders_nothing_for_one_page():
    page = Paginator([1, 2], 10).page(1)

    html = render_to_string("core/components/pagination.html", {"page_obj": page})

    assert html.strip() == ""


def test_page_layout_has_no_inline_script_or_style():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    html = render_to_string("core/base.html", request=request)

    assert '<script type="module" src="/static/lantern/lantern-init.mjs"></script>' in html
    assert INLINE_SCRIPT.search(html) is None
    assert "style=" not in html
    assert "<style" not in html
    assert '<html lang="en-GB"' in html
    assert 'id="main-content"' in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_page_layout_for_a_signed_in_user_has_navigation_and_a_sign_out_form():
    from lantern.accounts.roles import Role
    from lantern.core.testing import make_user

    request = RequestFactory().get("/audit/")
    request.user = make_user(Role.ADMINISTRATOR)

    html = render_to_string("core/base.html", request=request)

    # The header shows the Administration section as current; its pages are listed under it,
    # the audit trail marked as the page the user is on.
    assert re.search(r'aria-current="page">\s*<strong[^>]*>Administration</strong>', html)
    assert re.search(r'<nav class="lantern-section-nav" aria-label="Administration">', html)
    assert 'href="/audit/" aria-current="page">Audit trail</a>' in html
    assert re.search(r'<form method="post" action="/sign-out/"[^>]*>\s*<input type="hidden"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert INLINE_SCRIPT.search(html) is None
    assert "style=" not in html


def test_error_pages_have_no_inline_script_or_style():
    request = RequestFactory().get("/missing/")
    request.user = AnonymousUser()

    pages = [
        render_to_string("404.html", request=request),
        render_to_string("403.html", request=request),
        render_to_string("500.html"),
    ]

    for html in pages:
        assert INLINE_SCRIPT.search(html) is None
        assert "style=" not in html


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (("", "3", "2026"), "Date seen must include a day", ["day"]),
        (("1", "", ""), "Date seen must include a month and year", ["month", "year"]),
        (("31", "2", "2026"), "Date seen must be a real date", ["day", "month", "year"]),
        (("1", "13", "2026"), "Date seen must be a real date", ["day", "month", "year"]),
        (("x", "3", "2026"), "Date seen must be a real date", ["day"]),
        (("1", "3", "26"), "Year must include 4 numbers", ["year"]),
    ],
)
def test_a_date_error_names_the_part_that_is_wrong_and_keeps_what_was_typed(parts, message, marked):
    day, month, year = parts
    form = submitted(seen_on_day=day, seen_on_month=month, seen_on_year=year)
    assert form.errors["seen_on"] == [message]
    html = form["seen_on"].as_field_group()
    for part, value in zip(("day", "month", "year"), parts, strict=True):
        tag = re.search(rf'<input [^>]*name="seen_on_{part}"[^>]*>', html).group(0)
        assert ("govuk-input--error" in tag) is (part in marked)
        assert (f'value="{value}"' in tag) if value else ("value=" not in tag)
    # The error summary links to the first part that is wrong.
    assert form["seen_on"].input_id == f"id_seen_on_{marked[0]}"


def test_a_date_is_read_from_its_parts_from_a_month_name_or_from_one_iso_value():
    assert submitted(seen_on_day="3", seen_on_month="12", seen_on_year="2026").cleaned_data[
        "seen_on"
    ] == datetime.date(2026, 12, 3)
    assert submitted(seen_on_day="3", seen_on_month="Dec", seen_on_year="2026").cleaned_data[
        "seen_on"
    ] == datetime.date(2026, 12, 3)
    assert submitted(seen_on="2026-12-03").cleaned_data["seen_on"] == datetime.date(2026, 12, 3)
    assert submitted().cleaned_data["seen_on"] is None  # not required, all blank


def test_a_stored_date_is_shown_in_its_three_parts():
    html = ConcernForm(initial={"seen_on": datetime.date(2026, 1, 9)}).render()
    assert 'name="seen_on_day" value="9"' in html
    assert 'name="seen_on_month" value="1"' in html
    assert 'name="seen_on_year" value="2026"' in html
