from __future__ import annotations

from django import forms

from lantern.core.forms import GovukForm


class ReviewForm(GovukForm):
    """The owning team's review of one due record: keep it until a date, or ask to dispose."""

    record_type = forms.CharField(widget=forms.HiddenInput)
    object_id = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("retain", "Keep it until a later review"), ("dispose", "Ask for disposal")],
        error_messages={"required": "Choose whether to keep the record or ask for disposal"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for your decision"},
    )
    next_review = forms.DateField(label="Next review (if kept)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "retain" and not data.get("next_review"):
            self.add_error("next_review", "Enter the date of the next review")
        return data


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the disposal"), ("refuse", "Refuse it")],
        error_messages={"required": "Choose whether to approve or refuse the disposal"},
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubjectForm(GovukForm):
    kind = forms.ChoiceField(label="Who the request is about", widget=forms.RadioSelect)
    number = forms.IntegerField(
        label="Their record number",
        min_value=1,
        error_messages={"required": "Enter the record number", "invalid": "Enter a number"},
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.name) for k in kinds]
