"""Members' pages: the assurance figures, and "what to do if" (editable by the manager)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import Cap, has_capability, requires, signed_in
from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.core.errors import LanternError
from lantern.core.forms import GovukForm
from lantern.intake import assurance


@requires(Cap.VIEW_MEMBER_ASSURANCE)
def member_assurance(request):
    """What councillors sent in this quarter and last, and what became of it: counts only,
    small numbers suppressed."""
    quarters = [
        (period, assurance.quarter_figures(period))
        for period in assurance.assurance_quarters(timezone.localdate())
    ]
    record(
        actor=request.user,
        action=AuditAction.READ,
        object_type="intake.assurance",
        object_repr="members' assurance figures",
        request=request,
    )
    return render(
        request,
        "intake/assurance.html",
        {
            "quarters": quarters,
            "answers_queries": any(
                has_capability(request.user, c)
                for c in (
                    Cap.ANSWER_QUERIES_UNIT,
                    Cap.ANSWER_QUERIES_ESCALATED,
                    Cap.ANSWER_QUERIES_INDEPENDENT,
                )
            ),
            "edits_guidance": has_capability(request.user, Cap.EDIT_MEMBER_GUIDANCE),
        },
    )


@signed_in
def guidance(request, key):
    """A page for members, such as "what to do if": local routes and forms."""
    try:
        page = assurance.guidance_page(key)
    except LookupError as missing:
        raise Http404 from missing
    return render(
        request,
        "intake/guidance.html",
        {"page": page, "edits": has_capability(request.user, Cap.EDIT_MEMBER_GUIDANCE)},
    )


class GuidanceForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the page a title"}
    )
    body = forms.CharField(
        label="What the page says",
        help_text="Plain text. Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": "Write what the page says"},
    )


@requires(Cap.EDIT_MEMBER_GUIDANCE)
def guidance_edit(request, key):
    """The partnership manager edits a members' page; a stale form is a conflict."""
    try:
        page = assurance.guidance_page(key)
    except LookupError as missing:
        raise Http404 from missing
    form = GuidanceForm(
        request.POST or None,
        initial={"version": page.version, "title": page.title, "body": page.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assurance.edit_guidance_page(
                request,
                key,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                expected_version=form.cleaned_data["version"],
                now=timezone.now(),
            )
        except LanternError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The page has been saved.")
            return redirect("intake:guidance", key=key)
    return render(request, "intake/guidance_edit.html", {"page": page, "form": form})
