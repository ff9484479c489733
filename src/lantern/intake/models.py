"""Submissions to the single point of entry, what they mention, and their trace.

A submission moves received -> assigned -> graded -> decided -> concluded; only
`intake.services` moves it, and every move writes a TraceEvent in the same transaction.
People, vehicles, phones and online accounts a submission mentions are kept as rows of their
own (raw as written, plus a normalised value) so the entities app can link them later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Source(models.TextChoices):
    PARTNER = "partner", "Partner agency"
    COUNCILLOR = "councillor", "Councillor"
    PUBLIC = "public", "Member of the public"
    POLICE = "police", "Police"


class Route(models.TextChoices):
    IMMEDIATE_DANGER = "immediate_danger", "A child in immediate danger"
    SPECIFIC_CHILD = "specific_child", "A specific child I am worried about"
    INTELLIGENCE = "intelligence", "Information about people, places, vehicles or online activity"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ASSIGNED = "assigned", "Assigned"
    GRADED = "graded", "Graded"
    DECIDED = "decided", "Decided"
    CONCLUDED = "concluded", "Concluded"


# What a submitter is told: plain words, no operational detail.
PLAIN_STATUS = {
    Status.RECEIVED: "Received: waiting to be looked at",
    Status.ASSIGNED: "Being looked at",
    Status.GRADED: "Being looked at",
    Status.DECIDED: "Being acted on",
    Status.CONCLUDED: "Finished",
}


class Decision(models.TextChoices):
    TASKING = "tasking", "To the tasking group"
    SOCIAL_CARE = "social_care", "Safeguarding referral to children's social care"
    REFER_ELSEWHERE = "refer_elsewhere", "Refer to another force or agency"
    RECORD_ONLY = "record_only", "Record only (no further action)"


class SourceEvaluation(models.TextChoices):
    RELIABLE = "1", "1 – Reliable"
    UNTESTED = "2", "2 – Untested"
    NOT_RELIABLE = "3", "3 – Not reliable"


# The 3x5x2 model's words, as the College of Policing's authorised professional practice on
# intelligence management writes them. The stored codes are the model's own letters and numbers.
class IntelligenceAssessment(models.TextChoices):
    A = "A", "A – Known directly to the source"
    B = "B", "B – Known indirectly to the source but corroborated"
    C = "C", "C – Known indirectly to the source"
    D = "D", "D – Not known"
    E = "E", "E – Suspected to be false or malicious"


class HandlingCode(models.TextChoices):
    P = "P", "P – Lawful sharing permitted"
    C = "C", "C – Lawful sharing permitted with conditions"


class HowKnown(models.TextChoices):
    SAW = "saw", "I saw or heard it myself"
    TOLD = "told", "Someone told me"
    OTHER = "other", "Another way"


class Outcome(models.TextChoices):
    ACTED_ON = "acted_on", "Assessed and acted on"
    RECORDED = "recorded", "Assessed and recorded"
    MERGED = "merged", "Merged with another item about the same thing"


# The 14 signs of child sexual exploitation from the partnership's "Spot the signs" campaign.
SIGNS = [
    ("physical_injuries", "Physical injuries"),
    ("offending", "Involvement in offending"),
    ("suicide", "Thoughts of or attempts at suicide"),
    ("gifts", "Receipt of gifts from unknown sources"),
    ("withdrawn", "Withdrawn from family"),
    ("school_absence", "Absence from school"),
    ("mental_health", "Poor mental health"),
    ("drugs_alcohol", "Drug or alcohol misuse"),
    ("sexual_bullying", "Evidence of sexual bullying"),
    ("recruiting", "Recruiting others into exploitative situations"),
    ("online_abuse", "Online abuse"),
    ("self_harm", "Self-harm"),
    ("missing", "Missing from home or care"),
    ("terminations", "Repeat pregnancy terminations"),
]
SIGN_LABELS = dict(SIGNS)


class ReferenceCounter(models.Model):
    """The last reference number given out in a year: one row per year, bumped under a lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Submission(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    idempotency_token = models.UUIDField(unique=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.INTELLIGENCE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    urgent = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_submissions",
    )
    submitter_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    narrative = models.TextField()
    occurred_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    ward = models.ForeignKey(
        "core.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    how_known = models.CharField(max_length=10, choices=HowKnown.choices, blank=True)
    signs = models.JSONField(default=list, blank=True)

    received_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_assigned",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices, blank=True)
    intelligence_assessment = models.CharField(
        max_length=1, choices=IntelligenceAssessment.choices, blank=True
    )
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    handling_conditions = models.TextField(blank=True)
    partner_summary = models.TextField(blank=True)
    research_notes = models.TextField(blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)

    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    shared_with = models.ManyToManyField(
        "accounts.Agency", blank=True, related_name="shared_submissions"
    )

    # Strands (see intake.strands): a submission split into strands keeps its document whole and
    # stops being a piece of information itself; each strand is a submission of its own with
    # `original` set, worked through the same lifecycle. A strand merged into another item
    # (`duplicate_of`) stops counting too. Every submission made before strands existed is its
    # own single strand: `is_piece` defaults to true.
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="strands"
    )
    strand_number = models.PositiveSmallIntegerField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    is_piece = models.BooleanField(
        default=True, help_text="Counts as a piece of information (false once split or merged)"
    )

    # Significant intelligence (motion point 4): flagged with a reason for the police supervisor.
    significant_reason = models.TextField(blank=True)
    significant_at = models.DateTimeField(null=True, blank=True)
    significant_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    significant_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The queue: open items, urgent first, oldest first.
            models.Index(
                fields=["-urgent", "received_at", "id"],
                name="intake_open_queue",
                condition=~Q(status="concluded"),
            ),
            models.Index(fields=["submitted_by", "-received_at"], name="intake_by_submitter"),
            models.Index(fields=["received_at"], name="intake_received"),
            models.Index(fields=["route", "-received_at"], name="intake_route"),
            models.Index(fields=["is_piece", "-received_at"], name="intake_pieces"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def plain_status(self) -> str:
        """The status a reporter reads: never "acted on" before the item is concluded, and a
        strand is concluded "acted on" only once its tasking work is closed."""
        if self.status == Status.CONCLUDED:
            return {
                Outcome.ACTED_ON: "Finished: assessed and acted on",
                Outcome.MERGED: "Finished: joined with another report about the same thing",
            }.get(self.outcome, "Finished: assessed and recorded")
        if self.is_split:
            return "Split into separate parts, each followed up on its own"
        if self.status == Status.DECIDED and self.decision == Decision.TASKING:
            return "Being acted on by the partnership's tasking group"
        if self.status == Status.DECIDED and self.decision == Decision.SOCIAL_CARE:
            return "Passed to children's social care to act on"
        if self.status == Status.DECIDED and self.decision == Decision.REFER_ELSEWHERE:
            return "Passed to another agency to act on"
        return PLAIN_STATUS[Status(self.status)]

    @property
    def plain_next(self) -> str:
        """What happens next, in plain words, for the reporter."""
        if self.status == Status.CONCLUDED:
            return "Nothing more is needed from you. Thank you for telling us."
        if self.is_split:
            return "Each part is looked at and finished separately: see each part below."
        if self.status == Status.DECIDED and self.decision == Decision.TASKING:
            return (
                "The tasking group keeps it on its schedule until the work is done. We will "
                "tell you when it has finished."
            )
        if self.status == Status.DECIDED:
            return "We will tell you when the work on it has finished."
        return "An intelligence officer will read it and decide what to do."

    @property
    def is_split(self) -> bool:
        return not self.is_piece and self.duplicate_of_id is None

    @property
    def grade(self) -> str:
        """The 3x5x2 grade as analysts write it, e.g. "2/B/P", or "" until graded."""
        if not self.source_evaluation:
            return ""
        return f"{self.source_evaluation}/{self.intelligence_assessment}/{self.handling_code}"

    @property
    def grade_words(self) -> str:
        """The grade in the model's words, e.g. "2 – Untested; B – Known indirectly ...", or ""."""
        if not self.source_evaluation:
            return ""
        return "; ".join(
            [
                SourceEvaluation(self.source_evaluation).label,
                IntelligenceAssessment(self.intelligence_assessment).label,
                HandlingCode(self.handling_code).label,
            ]
        )

    @property
    def sign_labels(self) -> list[str]:
        return [SIGN_LABELS.get(code, code) for code in self.signs]

    @property
    def is_open(self) -> bool:
        return self.status != Status.CONCLUDED


class PersonRole(models.TextChoices):
    POSSIBLE_VICTIM = "possible_victim", "Possible victim"
    POSSIBLE_PERPETRATOR = "possible_perpetrator", "Possible perpetrator"
    OTHER = "other", "Other"
    NOT_SURE = "not_sure", "Not sure"


class SubmissionPerson(models.Model):
    """A person a submission mentions, as the reporter described them."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=200, blank=True)
    approximate_age = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    role = models.CharField(max_length=30, choices=PersonRole.choices, default=PersonRole.NOT_SURE)

    def __str__(self) -> str:
        return self.name or self.description[:60] or "Unnamed person"


class ReferredChild(models.Model):
    """Who the child is, as the reporter of a "specific child" referral knows them. Every
    answer is optional (a blank one means the reporter did not know it). Lantern never matches
    these to a child's record itself: a social care worker checks and links one."""

    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, related_name="referred_child"
    )
    name = models.CharField(max_length=200, blank=True)
    age = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    school = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    lives_with = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name or "Child not named"

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.name, self.age, self.date_of_birth, self.school, self.address, self.lives_with)
        )


class SubmissionVehicle(models.Model):
    """A vehicle: registration as written, normalised (upper case, no spaces), maybe partial."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="vehicles")
    raw = models.CharField(max_length=40, blank=True)
    registration = models.CharField(max_length=20, blank=True, db_index=True)
    is_partial = models.BooleanField(default=False)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.registration or f"{self.colour} {self.make} {self.model}".strip()


class SubmissionPhone(models.Model):
    """A phone number: as written, and in E.164 when it parses as a valid number."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="phones")
    raw = models.CharField(max_length=40)
    e164 = models.CharField(max_length=20, blank=True, db_index=True)
    is_valid = models.BooleanField(default=False)

    def __str__(self) -> str:
        """As typed; a valid number with its E.164 form beside it, anything else marked."""
        if not self.is_valid:
            return f"{self.raw} (kept as written: not a complete, valid number)"
        if self.e164 and self.e164 != self.raw.strip():
            return f"{self.raw} ({self.e164})"
        return self.raw


class SubmissionOnlineAccount(models.Model):
    """An online account: platform and handle as written, handle normalised to lower case."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="online_accounts"
    )
    platform = models.CharField(max_length=60, blank=True)
    raw = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.platform}: {self.raw}" if self.platform else self.raw


class Attachment(models.Model):
    """A photo, screenshot or document, stored outside the web root and served only by a view."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="intake/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class TraceKind(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ASSIGNED = "assigned", "Assigned"
    GRADED = "graded", "Graded"
    SHARED = "shared", "Shared with agencies"
    LINKED = "linked", "Linked records"
    DECIDED = "decided", "Decision"
    ACTION = "action", "Tasking action"
    AGENDA = "agenda", "Tasking group"
    SPLIT = "split", "Split into strands"
    MERGED = "merged", "Merged"
    SIGNIFICANT = "significant", "Significant intelligence"
    QUERY = "query", "Query from the reporter"
    CONCLUDED = "concluded", "Outcome"
    FEEDBACK = "feedback", "Feedback sent"
    NOTE = "note", "Note"


class TraceEvent(models.Model):
    """One entry in a submission's timeline: what happened, who did it, when and why."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="trace")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=TraceKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["submission", "at"], name="intake_trace_by_submission")]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class FeedbackKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    CONCLUSION = "conclusion", "Conclusion"
    DIGEST = "digest", "Councillor digest"


class FeedbackMessage(models.Model):
    """A message sent to a reporter. Unique per submission and kind (or per recipient and period
    for digests), so the periodic job never sends the same message twice."""

    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=20, blank=True)
    to_address = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind"],
                condition=Q(submission__isnull=False),
                name="intake_one_feedback_per_kind",
            ),
            models.UniqueConstraint(
                fields=["recipient", "period"],
                condition=Q(kind="digest"),
                name="intake_one_digest_per_period",
            ),
        ]
        indexes = [models.Index(fields=["sent_at"], name="intake_feedback_sent")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address}"


class Draft(models.Model):
    """A report being written: the answers so far and the files already chosen, held until the
    reporter confirms them on "Check your answers". Keyed by the form's idempotency token, so
    confirming twice still makes one submission. Not a case record: an abandoned draft is
    deleted (files too) by the `intake-drafts` periodic job."""

    token = models.UUIDField(unique=True)
    route = models.CharField(max_length=20, choices=Route.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["updated_at"], name="intake_draft_updated")]

    def __str__(self) -> str:
        return f"Draft {self.token}"


class DraftAttachment(models.Model):
    """A file chosen for a draft, stored (outside the web root) at the first POST, so the
    reporter never has to choose it again after an error or "add another"."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="intake-drafts/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RateCount(models.Model):
    """Reports sent from one client address in one fixed window. Kept in the database so every
    app process counts against the same number."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="intake_rate_expires")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class QueryStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


# The members' protocol: who answers at each stage.
QUERY_STAGES = {
    1: "The intelligence unit",
    2: "The police supervisor and the partnership manager",
    3: "The partnership's independent chair or the scrutiny chair",
}


class MemberQuery(models.Model):
    """A reporter's query or concern about how one of their items is being handled. It follows
    the members' protocol: each stage has a deadline, and `lantern tick` moves an unanswered
    query to the next stage when its deadline passes (intake.protocol)."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="queries")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_queries"
    )
    text = models.TextField()
    raised_at = models.DateTimeField()
    stage = models.PositiveSmallIntegerField(default=1)
    stage_due_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=QueryStatus.choices, default=QueryStatus.OPEN)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "stage_due_at"], name="intake_query_due")]

    def __str__(self) -> str:
        return f"Query on {self.submission_id} at stage {self.stage}"

    @property
    def stage_label(self) -> str:
        return QUERY_STAGES.get(self.stage, str(self.stage))


class QueryAnswer(models.Model):
    """An answer at one stage, in plain words the reporter reads (no operational detail)."""

    query = models.ForeignKey(MemberQuery, on_delete=models.PROTECT, related_name="answers")
    stage = models.PositiveSmallIntegerField()
    text = models.TextField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Answer at stage {self.stage}"

    @property
    def stage_label(self) -> str:
        return QUERY_STAGES.get(self.stage, str(self.stage))


class GuidancePage(models.Model):
    """An editable page for members, such as "what to do if": local routes and forms. History
    is kept in the audit trail; edits are versioned (a stale form is a conflict)."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.title
