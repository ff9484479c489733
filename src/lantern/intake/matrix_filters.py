"""The trace matrix's filters: the questions the review had to answer by hand ("everything
councillors sent in since May", "one reporter's items"). Each filter is a form field, so an
unknown value is an error beside that field, never a 500; `apply_filters` narrows a queryset
of pieces of information (strands) by the cleaned values."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.intake.models import (
    Decision,
    IntelligenceAssessment,
    Source,
    SourceEvaluation,
    Status,
)

OPEN_CLOSED = [("", "Open or closed"), ("open", "Open"), ("closed", "Closed")]


def _choices(label, choices):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "Any")] + list(choices),
        error_messages={"invalid_choice": f"Choose a {label.lower()} from the list"},
    )


def _date(label):
    return forms.DateField(
        label=label, required=False, error_messages={"invalid": "Enter a real date"}
    )


def add_filter_fields(form: forms.Form) -> None:
    """Add the filter fields to a trace matrix form, with their GOV.UK widgets."""
    from lantern.core.forms import govuk_widget

    form.fields.update(filter_fields())
    for name in FILTER_NAMES:
        form.fields[name].widget = govuk_widget(form.fields[name].widget)


FILTER_NAMES = [
    "source",
    "reporter",
    "reporter_agency",
    "ward",
    "subject",
    "source_evaluation",
    "intelligence_assessment",
    "decision",
    "status",
    "open_closed",
    "decided_from",
    "decided_to",
    "concluded_from",
    "concluded_to",
    "days_open_over",
]


def filter_fields() -> dict[str, forms.Field]:
    from lantern.accounts.models import Agency
    from lantern.core.models import Ward

    fields: dict[str, forms.Field] = {}
    fields["source"] = _choices("Source type", Source.choices)
    fields["reporter"] = forms.CharField(
        label="Reporter",
        help_text="The reporter's username or email, for example a named councillor",
        required=False,
        max_length=200,
    )
    fields["reporter_agency"] = forms.ModelChoiceField(
        label="Reporter's agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Any",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    fields["ward"] = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.order_by("name"),
        required=False,
        empty_label="Any",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    fields["subject"] = forms.CharField(
        label="Subject mentioned",
        help_text="A person's name, a registration, a phone number or an online handle",
        required=False,
        max_length=200,
    )
    fields["source_evaluation"] = _choices("Source evaluation", SourceEvaluation.choices)
    fields["intelligence_assessment"] = _choices(
        "Intelligence assessment", IntelligenceAssessment.choices
    )
    fields["decision"] = _choices("Decision", Decision.choices)
    fields["status"] = _choices("Status", Status.choices)
    fields["open_closed"] = forms.ChoiceField(
        label="Open or closed",
        required=False,
        choices=OPEN_CLOSED,
        error_messages={"invalid_choice": "Choose open or closed"},
    )
    fields["decided_from"] = _date("Decided from")
    fields["decided_to"] = _date("Decided to")
    fields["concluded_from"] = _date("Concluded from")
    fields["concluded_to"] = _date("Concluded to")
    fields["days_open_over"] = forms.IntegerField(
        label="Days open over",
        required=False,
        min_value=0,
        max_value=10000,
        error_messages={
            "invalid": "Enter a whole number of days",
            "min_value": "Enter 0 or more days",
            "max_value": "Enter 10000 days or fewer",
        },
    )
    return fields


def clean_reporter(value: str):
    """The user a reporter filter names, or a ValidationError naming the field."""
    from lantern.accounts.models import User

    value = value.strip()
    if not value:
        return None
    user = User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value)).first()
    if user is None:
        raise forms.ValidationError("There is no reporter with that username or email")
    return user


def apply_filters(qs: QuerySet, choice: dict) -> QuerySet:
    """Narrow pieces of information by the chosen filters."""
    qs = qs.filter(is_piece=True)
    for name in ("source", "source_evaluation", "intelligence_assessment", "decision", "status"):
        if choice.get(name):
            qs = qs.filter(**{name: choice[name]})
    if choice.get("reporter"):
        qs = qs.filter(submitted_by=choice["reporter"])
    if choice.get("reporter_agency"):
        qs = qs.filter(submitter_agency=choice["reporter_agency"])
    if choice.get("ward"):
        qs = qs.filter(ward=choice["ward"])
    subject = (choice.get("subject") or "").strip()
    if subject:
        compact = subject.replace(" ", "").upper()
        qs = qs.filter(
            Q(people__name__icontains=subject)
            | Q(vehicles__registration=compact)
            | Q(phones__raw__icontains=subject)
            | Q(phones__e164__icontains=subject.replace(" ", "").lstrip("0"))
            | Q(online_accounts__handle=subject.lstrip("@").lower())
        ).distinct()
    for name, field in (("decided", "decided_at"), ("concluded", "concluded_at")):
        if choice.get(f"{name}_from"):
            qs = qs.filter(**{f"{field}__date__gte": choice[f"{name}_from"]})
        if choice.get(f"{name}_to"):
            qs = qs.filter(**{f"{field}__date__lte": choice[f"{name}_to"]})
    if choice.get("open_closed") == "open":
        qs = qs.exclude(status=Status.CONCLUDED)
    elif choice.get("open_closed") == "closed":
        qs = qs.filter(status=Status.CONCLUDED)
    if choice.get("days_open_over") is not None:
        cutoff = timezone.now() - timedelta(days=choice["days_open_over"])
        # Days open: to conclusion for closed items, to now for open ones.
        qs = qs.filter(received_at__lt=cutoff).filter(
            Q(concluded_at__isnull=True)
            | Q(concluded_at__gt=_plus_days("received_at", choice["days_open_over"]))
        )
    return qs


def _plus_days(field: str, days: int):
    from django.db.models import DurationField, ExpressionWrapper, F

    return ExpressionWrapper(F(field) + timedelta(days=days), output_field=DurationField())
