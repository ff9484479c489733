"""Making submissions for tests, through the service so they carry a trace and an audit."""

from __future__ import annotations

import io
import uuid
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from lantern.intake import services
from lantern.intake.models import Route, Source, Submission


def _png() -> bytes:
    """A real 8x8 PNG (uploads are parsed, so a header alone is refused), saved the way the
    upload check re-encodes it, so it is stored byte for byte."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_submission(
    actor=None, *, now: datetime | None = None, shared_with=(), **fields
) -> Submission:
    """A submission received through the service; keyword arguments go to NewSubmission."""
    fields.setdefault("source", Source.PARTNER)
    fields.setdefault("route", Route.INTELLIGENCE)
    fields.setdefault("narrative", "Two teenagers got into a silver car behind the shops.")
    new = services.NewSubmission(token=uuid.uuid4(), **fields)
    submission, _ = services.receive_submission(actor or "test", new, now=now or timezone.now())
    if shared_with:
        submission.shared_with.add(*shared_with)
    return submission


def move_to(submission: Submission, status: str, officer, *, now=None, decision="tasking"):
    """Take a submission through the lifecycle up to `status`, as `officer`."""
    now = now or timezone.now()
    order = ["assigned", "graded", "decided", "concluded"]
    for step in order[: order.index(status) + 1]:
        submission.refresh_from_db()
        if step == "assigned":
            services.assign_submission(
                officer, submission, officer=officer, expected_version=submission.version, now=now
            )
        elif step == "graded":
            services.grade_submission(
                officer,
                submission,
                expected_version=submission.version,
                source_evaluation="2",
                intelligence_assessment="B",
                handling_code="P",
                handling_conditions="",
                partner_summary="Concern about young people at a location.",
                research_notes="Known vehicle; see nominal record.",
                now=now,
            )
        elif step == "decided":
            services.decide_submission(
                officer,
                submission,
                expected_version=submission.version,
                decision=decision,
                rationale="Meets the threshold."
                if decision != "record_only"
                else "Below threshold.",
                now=now,
            )
        else:
            services.conclude_submission(
                officer, submission, expected_version=submission.version, notes="Done.", now=now
            )
    submission.refresh_from_db()
    return submission
