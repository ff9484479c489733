from __future__ import annotations

from django import forms

from lantern.audit.models import AuditAction
from lantern.core.forms import GovukForm


class AuditSearchForm(GovukForm):
    """Filters for the audit trail search. Every field is optional."""

    user = forms.CharField(
        required=False,
        max_length=150,
        label="Username",
        help_text="The username of the person who acted",
    )
    object_type = forms.CharField(
        required=False, max_length=100, label="Record type", help_text="For example, accounts.user"
    )
    object_id = forms.CharField(required=False, max_length=64, label="Record number")
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *AuditAction.choices])
    date_from = forms.DateField(
        required=False, label="From date", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To date", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To date must be the same as or after the from date")
        return cleaned
