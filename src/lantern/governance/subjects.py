"""Subject access: everything Lantern holds about one person, gathered from every app that
registered a source for that kind of person, with third parties' details marked for redaction.

`gather` asks each source; `export_pdf` renders the result for the information governance
officer as a PDF (WeasyPrint, as the other exports) and audits the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string

from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.governance.registry import Item, SubjectKind, subject_kind, subject_sources


class SubjectNotFound(Exception):
    """No such person, or one the officer may not see: the request is a 404."""


@dataclass(frozen=True)
class SubjectAccess:
    kind: SubjectKind
    subject: Model
    sections: list[tuple[str, list[Item]]]  # (source name, items)
    generated_at: datetime

    @property
    def subject_label(self) -> str:
        return self.kind.describe(self.subject)

    @property
    def redactions(self) -> int:
        return sum(1 for _, items in self.sections for item in items for row in item.rows if row[2])


def find_subject(officer, kind_code: str, pk: int) -> tuple[SubjectKind, Model]:
    kind = subject_kind(kind_code)
    subject = kind.find(officer, pk) if kind else None
    if subject is None:
        raise SubjectNotFound
    return kind, subject


def gather(officer, kind_code: str, pk: int, now: datetime) -> SubjectAccess:
    """Every item each registered source holds about the person. Refuses (SubjectNotFound) a
    person the officer may not see."""
    kind, subject = find_subject(officer, kind_code, pk)
    sections = []
    for source in subject_sources(kind.code):
        items = source.items(kind.code, subject)
        if items:
            sections.append((source.name, items))
    return SubjectAccess(kind, subject, sections, now)


def export_pdf(officer, kind_code: str, pk: int, now: datetime, request=None) -> bytes:
    """The subject access PDF for the IG officer; the export is audited against the person's
    record (what was exported: how many items, how many marked for redaction)."""
    from weasyprint import HTML

    access = gather(officer, kind_code, pk, now)
    html = render_to_string("governance/subject_access_pdf.html", {"access": access})
    with transaction.atomic():
        record(
            actor=officer,
            action=AuditAction.EXPORT,
            obj=access.subject,
            object_repr=access.kind.describe(access.subject),
            request=request,
            reason="subject access request",
            details={
                "subject_access": access.kind.code,
                "items": sum(len(items) for _, items in access.sections),
                "marked_for_redaction": access.redactions,
            },
        )
    return HTML(string=html).write_pdf()
