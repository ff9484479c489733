"""Pages to split a submission into strands and to merge a strand into another item."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import Cap, can, get_visible_or_404, requires, visible
from lantern.audit.services import record_read
from lantern.core.errors import LanternError
from lantern.intake import strands
from lantern.intake.models import Submission

DEFAULT_BLOCKS = 3


@requires(Cap.WORK_INTAKE)
def split(request, reference):
    """Split a submission into strands: one block of fields per strand; empty blocks are
    ignored. Everything typed is kept when the split is refused."""
    submission = _get(request, reference)
    blocks = _block_count(request)
    mentions = _mention_choices(submission)
    error, error_field = "", ""
    posted = request.POST if request.method == "POST" else None
    if posted is not None and "add" not in posted:
        new = [_strand_from(posted, n, mentions) for n in range(1, blocks + 1)]
        try:
            made = strands.split_submission(
                request,
                submission,
                strands=new,
                expected_version=int(posted.get("version") or 0),
                now=timezone.now(),
            )
        except LanternError as refusal:
            error, error_field = str(refusal), getattr(refusal, "field", "") or ""
        else:
            messages.success(request, f"Split into {len(made)} strands.")
            return redirect("intake:detail", reference=submission.reference)
    if posted is not None and "add" in posted:
        blocks = min(blocks + 1, strands.MAX_STRANDS)
    record_read(request, submission, reason="split")
    rows = [_block(posted, n, mentions) for n in range(1, blocks + 1)]
    return render(
        request,
        "intake/split.html",
        {
            "submission": submission,
            "rows": rows,
            "blocks": blocks,
            "error": error,
            "error_field": error_field,
            "version": posted.get("version") if posted else submission.version,
        },
    )


class MergeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    into = forms.CharField(
        label="Reference of the item it duplicates", help_text="For example, LAN-2026-000123"
    )
    reason = forms.CharField(
        label="Why they are the same", widget=forms.Textarea(attrs={"rows": 3})
    )


@requires(Cap.WORK_INTAKE)
def merge(request, reference):
    """Merge a strand into the item it duplicates."""
    strand = _get(request, reference)
    form = MergeForm(request.POST or None, initial={"version": strand.version})
    if request.method == "POST" and form.is_valid():
        into = (
            visible(request.user, Submission.objects.all())
            .filter(reference__iexact=form.cleaned_data["into"].strip())
            .first()
        )
        if into is None:
            form.add_error("into", "There is no item with that reference")
        else:
            try:
                strands.merge_strand(
                    request,
                    strand,
                    into=into,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"] or 0,
                    now=timezone.now(),
                )
            except LanternError as refusal:
                field = getattr(refusal, "field", None)
                form.add_error(field if field in form.fields else None, str(refusal))
            else:
                messages.success(request, f"Merged into {into.reference}.")
                return redirect("intake:detail", reference=strand.reference)
    return render(
        request, "intake/work_form.html", {"submission": strand, "form": form, "verb": "Merge"}
    )


# --- Helpers --------------------------------------------------------------------------------


def _get(request, reference) -> Submission:
    submission = get_visible_or_404(request.user, Submission.objects.all(), reference=reference)
    if not can(request.user, "work", submission):
        raise Http404
    return submission


def _block_count(request) -> int:
    raw = request.POST.get("blocks") or request.GET.get("strands") or DEFAULT_BLOCKS
    try:
        return max(2, min(int(raw), strands.MAX_STRANDS))
    except (TypeError, ValueError):
        return DEFAULT_BLOCKS


def _mention_choices(submission) -> dict[str, list[tuple[int, str]]]:
    return {
        "people": [(p.pk, str(p)) for p in submission.people.all()],
        "vehicles": [(v.pk, str(v)) for v in submission.vehicles.all()],
        "phones": [(p.pk, str(p)) for p in submission.phones.all()],
        "online_accounts": [(a.pk, str(a)) for a in submission.online_accounts.all()],
    }


def _chosen(posted, n, kind, mentions) -> list[int]:
    chosen = []
    for raw in posted.getlist(f"s{n}-{kind}"):
        if raw.isdigit():
            chosen.append(int(raw))
    # An id not among the submission's mentions is passed on, so the service names it.
    return chosen


def _strand_from(posted, n, mentions) -> strands.NewStrand:
    return strands.NewStrand(
        summary=posted.get(f"s{n}-summary", ""),
        partner_summary=posted.get(f"s{n}-partner_summary", ""),
        **{kind: _chosen(posted, n, kind, mentions) for kind in mentions},
    )


def _block(posted, n, mentions) -> dict:
    chosen = {
        kind: {str(pk) for pk in (_chosen(posted, n, kind, mentions) if posted else [])}
        for kind in mentions
    }
    subjects = [
        {
            "name": f"s{n}-{kind}",
            "value": str(pk),
            "label": label,
            "checked": str(pk) in chosen[kind],
        }
        for kind in mentions
        for pk, label in mentions[kind]
    ]
    return {
        "n": n,
        "summary": posted.get(f"s{n}-summary", "") if posted else "",
        "partner_summary": posted.get(f"s{n}-partner_summary", "") if posted else "",
        "subjects": subjects,
    }


class SignificantForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why this is significant intelligence",
        help_text="The police supervisor reads this first.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why this is significant intelligence"},
    )


@requires(Cap.WORK_INTAKE)
def flag_significant(request, reference):
    """Flag a strand as significant intelligence for the police supervisor."""
    strand = _get(request, reference)
    form = SignificantForm(request.POST or None, initial={"version": strand.version})
    if request.method == "POST" and form.is_valid():
        try:
            strands.flag_significant(
                request.user,
                strand,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"] or 0,
                now=timezone.now(),
            )
        except LanternError as refusal:
            field = getattr(refusal, "field", None)
            form.add_error(field if field in form.fields else None, str(refusal))
        else:
            messages.success(request, "Flagged: it is in the police supervisor's queue.")
            return redirect("intake:detail", reference=strand.reference)
    return render(
        request,
        "intake/work_form.html",
        {"submission": strand, "form": form, "verb": "Flag as significant"},
    )


@requires(Cap.SUPERVISE_INTAKE)
def significant(request):
    """The police supervisor's queue of significant intelligence, with the clock since each
    was flagged against the target."""
    now = timezone.now()
    rows = []
    for item in strands.significant_queue()[:200]:
        hours = int((now - item.significant_at).total_seconds() // 3600)
        rows.append((item, hours, hours > strands.SIGNIFICANT_TARGET_HOURS))
    return render(
        request,
        "intake/significant.html",
        {"rows": rows, "target": strands.SIGNIFICANT_TARGET_HOURS},
    )
