"""Retention queue and disposal decisions; subject access for the IG officer."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import Cap, requires
from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.governance import retention, subjects
from lantern.governance.forms import DecisionForm, ReviewForm, SubjectForm
from lantern.governance.registry import retained_types, subject_kinds

# The owning teams (each registered type's capability) and information governance.
REVIEWERS = (Cap.REVIEW_RETENTION, *sorted({t.owner_capability for t in retained_types()}))


@requires(*REVIEWERS)
def queue(request, form=None, decision_form=None, status=200):
    """Records of the user's types due for review, and disposals waiting for a second person."""
    today = timezone.localdate()
    due = retention.review_queue(request.user, today)
    if due:
        record(
            actor=request.user,
            action=AuditAction.LIST,
            object_type="governance.review_queue",
            object_repr=f"{len(due)} records due for review",
            request=request,
            details={"count": len(due)},
        )
    context = {
        "due": due,
        "waiting": retention.waiting_disposals(request.user),
        "types": retention.owned_types(request.user),
        "form": form or ReviewForm(),
        "decision_form": decision_form or DecisionForm(),
    }
    return render(request, "governance/queue.html", context, status=status)


@requires(*REVIEWERS)
def review(request):
    """POST: keep a due record until a later review, or ask for its disposal."""
    if request.method != "POST":
        return redirect("governance:queue")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return queue(request, form=form)
    data, now = form.cleaned_data, timezone.now()
    try:
        if data["decision"] == "retain":
            retention.retain(
                actor=request.user,
                label=data["record_type"],
                object_id=data["object_id"],
                reason=data["reason"],
                until=data["next_review"],
                now=now,
            )
            messages.success(request, "The record is kept until its next review.")
        else:
            retention.request_disposal(
                actor=request.user,
                label=data["record_type"],
                object_id=data["object_id"],
                reason=data["reason"],
                now=now,
            )
            messages.success(request, "Disposal asked for: a second person must approve it.")
    except retention.RetentionRefused as refused:
        form.add_error(None, str(refused))
        return queue(request, form=form)
    return redirect("governance:queue")


@requires(*REVIEWERS)
def decide(request, pk):
    """POST: a second person approves or refuses a waiting disposal."""
    if request.method != "POST":
        return redirect("governance:queue")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return queue(request, decision_form=form)
    now = timezone.now()
    try:
        if form.cleaned_data["decision"] == "approve":
            stub = retention.approve_disposal(
                actor=request.user, request_id=pk, note=form.cleaned_data["note"], now=now
            )
            messages.success(request, f"{stub.stub_label}: personal data disposed of.")
        else:
            retention.refuse_disposal(
                actor=request.user, request_id=pk, note=form.cleaned_data["note"], now=now
            )
            messages.success(request, "Disposal refused: the record stays as it is.")
    except retention.RetentionRefused as refused:
        form.add_error(None, str(refused))
        return queue(request, decision_form=form)
    return redirect("governance:queue")


@requires(Cap.SUBJECT_ACCESS)
def subject_start(request):
    """Choose the person a subject access request is about."""
    form = SubjectForm(request.GET or None, kinds=subject_kinds())
    if request.GET and form.is_valid():
        return redirect(
            "governance:subject", kind=form.cleaned_data["kind"], pk=form.cleaned_data["number"]
        )
    return render(request, "governance/subject_start.html", {"form": form})


@requires(Cap.SUBJECT_ACCESS)
def subject(request, kind, pk):
    """Everything held about the person, third parties' details marked for redaction; a
    person the officer may not see is a 404. The read is audited."""
    try:
        access = subjects.gather(request.user, kind, pk, timezone.now())
    except subjects.SubjectNotFound:
        raise Http404("No such person") from None
    record(
        actor=request.user,
        action=AuditAction.READ,
        obj=access.subject,
        object_repr=access.kind.describe(access.subject),
        request=request,
        reason="subject access request",
    )
    return render(request, "governance/subject.html", {"access": access})


@requires(Cap.SUBJECT_ACCESS)
def subject_pdf(request, kind, pk):
    """The subject access export as a PDF; audited as an export."""
    try:
        pdf = subjects.export_pdf(request.user, kind, pk, timezone.now(), request=request)
    except subjects.SubjectNotFound:
        raise Http404("No such person") from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{kind}-{pk}.pdf"'
    return response
