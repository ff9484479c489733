"""The report forms (guided start, partner and public), and the officers' work forms."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone

from lantern.accounts.models import Agency
from lantern.core.forms import GovukForm
from lantern.core.models import Ward
from lantern.intake.models import (
    SIGNS,
    Decision,
    HandlingCode,
    HowKnown,
    IntelligenceAssessment,
    PersonRole,
    Route,
    SourceEvaluation,
)
from lantern.intake.services import (
    MAX_ATTACHMENTS,
    NARRATIVE_MAX,
    IntakeError,
    check_attachment,
)

# --- Reporting ------------------------------------------------------------------------------


class StartForm(GovukForm):
    route = forms.ChoiceField(
        label="What do you want to tell us about?",
        choices=[
            (Route.IMMEDIATE_DANGER, "A child is in immediate danger now"),
            (Route.SPECIFIC_CHILD, "A specific child I am worried about"),
            (
                Route.INTELLIGENCE,
                "Something I have seen or heard about people, places, vehicles or online activity",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to tell us about"},
    )


class StatusLookupForm(GovukForm):
    """A reference and the status code given with it: both, or nothing is shown."""

    reference = forms.CharField(
        label="Your reference",
        max_length=20,
        help_text="For example, LAN-2026-000123",
        error_messages={"required": "Enter the reference you were given, like LAN-2026-000123"},
    )
    code = forms.CharField(
        label="Status code",
        max_length=40,
        help_text="The code shown with your reference when you sent it, like ABCD-EFGH-2345",
        error_messages={"required": "Enter the status code you were given with your reference"},
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(f, initial) for f in files if f]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"Choose {MAX_ATTACHMENTS} files or fewer")
        for upload in files:
            try:
                check_attachment(upload)
            except IntakeError as error:
                raise forms.ValidationError(str(error)) from error
        return files


class ReportForm(GovukForm):
    """What every reporter is asked. The partner form adds the structured questions."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    route = forms.ChoiceField(choices=Route.choices, widget=forms.HiddenInput)
    narrative = forms.CharField(
        label="What did you see or hear?",
        help_text=(
            "Say what happened, who was involved and anything that worried you. "
            f"Up to {NARRATIVE_MAX} characters."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Tell us what you saw or heard"},
    )
    occurred_on = forms.DateField(
        label="When did it happen?",
        help_text="Leave blank if you are not sure.",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter the date it happened, for example 27 3 2026"},
    )
    location = forms.CharField(
        label="Where did it happen?",
        help_text="An address, the name of a place or premises, or a description.",
        required=False,
        max_length=300,
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["narrative"].widget.attrs.pop("maxlength", None)
        route = self.data.get("route") if self.is_bound else self.initial.get("route")
        self.about_a_child = route == Route.SPECIFIC_CHILD
        if self.about_a_child:
            self.fields.update(child_fields())

    def clean_child_date_of_birth(self):
        day = self.cleaned_data.get("child_date_of_birth")
        if day and day > timezone.localdate(self.now):
            raise forms.ValidationError("The child's date of birth must be in the past")
        return day

    def child_answers(self) -> dict:
        """What the reporter said about who the child is (blank answers: not known)."""
        if not self.about_a_child:
            return {}
        return {name[len("child_") :]: self.cleaned_data.get(name) for name in child_fields()}

    def clean_narrative(self):
        text = self.cleaned_data["narrative"]
        if len(text) > NARRATIVE_MAX:
            raise forms.ValidationError(
                f"What you saw or heard must be {NARRATIVE_MAX} characters or fewer "
                f"(it is {len(text)})"
            )
        return text

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day and day > timezone.localdate(self.now):
            raise forms.ValidationError("The date it happened must be today or in the past")
        return day


DONT_KNOW = "Leave blank if you do not know."


def child_fields() -> dict[str, forms.Field]:
    """The questions about who the child is, asked on a "specific child" report. Each is
    optional: a reporter tells us what they know, and "I don't know" is a blank answer."""
    return {
        "child_name": forms.CharField(
            label="The child's name", help_text=DONT_KNOW, required=False, max_length=200
        ),
        "child_age": forms.CharField(
            label="How old they are",
            help_text="An age or a guess, for example 14 or about 15. " + DONT_KNOW,
            required=False,
            max_length=40,
        ),
        "child_date_of_birth": forms.DateField(
            label="Their date of birth",
            help_text="For example, 27 3 2011. " + DONT_KNOW,
            required=False,
            widget=forms.DateInput,
            error_messages={"invalid": "Enter the child's date of birth, for example 27 3 2011"},
        ),
        "child_school": forms.CharField(
            label="Their school or college", help_text=DONT_KNOW, required=False, max_length=200
        ),
        "child_address": forms.CharField(
            label="Where they live",
            help_text="An address, a street or an area. " + DONT_KNOW,
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
        "child_lives_with": forms.CharField(
            label="Who they live with",
            help_text="For example, their mother and two brothers, or a foster carer. " + DONT_KNOW,
            required=False,
            max_length=300,
        ),
    }


class PublicReportForm(ReportForm):
    contact_name = forms.CharField(label="Your name (optional)", required=False, max_length=200)
    contact_email = forms.EmailField(
        label="Your email address (optional)",
        help_text="If you give it, we will tell you when your report has been looked at.",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    contact_phone = forms.CharField(
        label="Your phone number (optional)", required=False, max_length=40
    )


class PartnerReportForm(ReportForm):
    ward = forms.ModelChoiceField(
        label="Ward (if known)", queryset=Ward.objects.all(), required=False
    )
    how_known = forms.ChoiceField(
        label="How do you know this?",
        choices=HowKnown.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    signs = forms.MultipleChoiceField(
        label="Which of the signs of exploitation did you notice?",
        help_text="Select all that apply.",
        choices=SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The report view stores chosen files on the draft (intake.drafts.keep_files) before the
    # form is validated, so this field is bound without files and only draws the input.
    attachments = MultipleFileField(
        label="Photos, screenshots or documents (optional)",
        help_text=(
            f"Up to {MAX_ATTACHMENTS} files: JPEG, PNG, GIF, WebP or PDF, each smaller than 10 MB."
        ),
        required=False,
    )


class PersonForm(GovukForm):
    name = forms.CharField(label="Name, if known", required=False, max_length=200)
    approximate_age = forms.CharField(label="Approximate age", required=False, max_length=40)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    role = forms.ChoiceField(
        label="Their part in it",
        choices=[("", "Not sure"), *(c for c in PersonRole.choices if c[0] != PersonRole.NOT_SURE)],
        required=False,
    )


class VehicleForm(GovukForm):
    raw = forms.CharField(
        label="Registration",
        help_text="Use ? for characters you did not see, for example AB12?CD.",
        required=False,
        max_length=40,
    )
    make = forms.CharField(label="Make", required=False, max_length=60)
    model = forms.CharField(label="Model", required=False, max_length=60)
    colour = forms.CharField(label="Colour", required=False, max_length=40)


class PhoneForm(GovukForm):
    raw = forms.CharField(label="Phone number", required=False, max_length=40)


class OnlineAccountForm(GovukForm):
    platform = forms.CharField(
        label="Platform", help_text="For example Snapchat.", required=False, max_length=60
    )
    raw = forms.CharField(label="Username or handle", required=False, max_length=200)


ROWS = {
    "person": (PersonForm, "Person", "Add another person"),
    "vehicle": (VehicleForm, "Vehicle", "Add another vehicle"),
    "phone": (PhoneForm, "Phone number", "Add another phone number"),
    "online": (OnlineAccountForm, "Online account", "Add another online account"),
}
MAX_ROWS = 10


def new_token() -> uuid.UUID:
    return uuid.uuid4()


# --- Working a submission -------------------------------------------------------------------


class VersionedForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(VersionedForm):
    officer = forms.ModelChoiceField(
        label="Assign to", queryset=None, error_messages={"required": "Select an officer"}
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class GradeForm(VersionedForm):
    source_evaluation = forms.ChoiceField(
        label="Source evaluation",
        choices=SourceEvaluation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the source evaluation"},
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment",
        choices=IntelligenceAssessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intelligence assessment"},
    )
    handling_code = forms.ChoiceField(
        label="Handling code",
        choices=HandlingCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the handling code"},
    )
    handling_conditions = forms.CharField(
        label="Handling conditions",
        help_text="Needed for handling code C: who may see it and what they may do with it.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partner_summary = forms.CharField(
        label="Partner-safe summary",
        help_text="This is all that partner agencies will see. No sources, no operational detail.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the partner-safe summary"},
    )
    research_notes = forms.CharField(
        label="Research notes",
        help_text="Seen only by police intelligence.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("handling_code") == HandlingCode.C
            and not (data.get("handling_conditions") or "").strip()
        ):
            self.add_error("handling_conditions", "Say what the handling conditions are")
        return data


class DecideForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why this decision. Required for record only (no further action).",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    referred_to = forms.CharField(
        label="Referred to (for a referral to another force or agency)",
        required=False,
        max_length=200,
    )
    share_with = forms.ModelMultipleChoiceField(
        label="Share the partner-safe summary with",
        queryset=Agency.objects.filter(is_active=True).exclude(kind="police"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == Decision.RECORD_ONLY
            and not (data.get("rationale") or "").strip()
        ):
            self.add_error("rationale", "Write why no further action is needed")
        if (
            data.get("decision") == Decision.REFER_ELSEWHERE
            and not (data.get("referred_to") or "").strip()
        ):
            self.add_error("referred_to", "Enter the force or agency it was referred to")
        return data


class ConcludeForm(VersionedForm):
    notes = forms.CharField(
        label="Outcome notes",
        help_text="What was done. Seen only by police intelligence; the reporter is told only "
        "that it was acted on or recorded.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TraceMatrixForm(GovukForm):
    received_from = forms.DateField(
        label="Received from",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter a real date"},
    )
    received_to = forms.DateField(
        label="Received to",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter a real date"},
    )
    references = forms.CharField(
        label="References (optional)",
        help_text="One or more references separated by spaces or commas, for example "
        "LAN-2026-000123.",
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        from lantern.intake.matrix_filters import add_filter_fields

        super().__init__(*args, **kwargs)
        add_filter_fields(self)

    def clean_reporter(self):
        from lantern.intake.matrix_filters import clean_reporter

        return clean_reporter(self.cleaned_data.get("reporter") or "")


class ChildContactForm(GovukForm):
    """Which child's record a safeguarding report is about: chosen by the CSE team."""

    child_reference = forms.CharField(
        label="Child's record",
        help_text="The reference of the child's record, for example CH-000123.",
        max_length=20,
        error_messages={"required": "Enter the reference of the child's record"},
    )
    summary = forms.CharField(
        label="What the contact said",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the contact said"},
    )

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children

    def clean_child_reference(self):
        from lantern.accounts.access import child_access_level

        reference = self.cleaned_data["child_reference"].strip().upper()
        child = self.children.filter(reference=reference).first()
        if child is None:
            raise forms.ValidationError(
                "There is no child's record with that reference that you can see"
            )
        if child_access_level(self.user, child) != "full":
            raise forms.ValidationError(
                "That record is restricted: open it from the child's page first"
            )
        self.child = child
        return reference


class SocialCareQueueForm(GovukForm):
    """Which referrals the social care queue shows: still to do, unless asked for the rest."""

    show = forms.ChoiceField(
        label="Show",
        choices=[
            ("to_do", "Still to do"),
            ("recorded", "Recorded as a contact"),
            ("concluded", "Concluded without a contact"),
            ("all", "All referrals"),
        ],
        required=False,
        error_messages={"invalid_choice": "Choose which referrals to show from the list"},
    )
