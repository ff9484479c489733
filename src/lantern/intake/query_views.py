"""Pages of the members' protocol: raise a query, read its answers, answer it, take it on."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import (
    Cap,
    can,
    get_visible_or_404,
    requires,
    signed_in,
)
from lantern.audit.services import record_list, record_read
from lantern.core.errors import EditConflict, LanternError
from lantern.core.forms import GovukForm
from lantern.intake import protocol
from lantern.intake.models import QUERY_STAGES, MemberQuery, QueryStatus, Submission


class RaiseQueryForm(GovukForm):
    text = forms.CharField(
        label="What is your query or concern?",
        help_text="Say what you are unhappy about or want to know. The intelligence unit "
        "answers first; if you are not satisfied you can take it further.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=protocol.QUERY_MAX,
        error_messages={
            "required": "Say what your query or concern is",
            "max_length": f"Your query must be {protocol.QUERY_MAX} characters or fewer",
        },
    )


class AnswerForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your answer",
        help_text="The reporter reads this. Write in plain words and leave out operational "
        "detail: names, tactics, other agencies' work.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=protocol.QUERY_MAX,
        error_messages={"required": "Write the answer the reporter will read"},
    )


class NextStageForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why does the answer not settle your concern?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the answer does not settle your concern"},
    )


class CloseForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


@requires(Cap.SUBMIT_CONCERN)
def raise_query(request, reference):
    """A reporter raises a query about one of their own items; anyone else's is 404."""
    submission = _own_submission(request, reference)
    form = RaiseQueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            query = protocol.raise_query(
                request, submission, text=form.cleaned_data["text"], now=timezone.now()
            )
        except LanternError as refusal:
            _add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Your query has been sent. {QUERY_STAGES[1]} will answer by "
                f"{timezone.localtime(query.stage_due_at):%-d %B %Y}.",
            )
            return redirect("intake:query", pk=query.pk)
    record_read(request, submission, reason="raise a query")
    return render(request, "intake/query_raise.html", {"submission": submission, "form": form})


@signed_in
def query(request, pk):
    """One query: the reporter reads the answers and may close it or take it to the next
    stage; whoever answers at its stage writes the answer. A form opened before someone else
    moved the query on is refused as a conflict, never saved over their change."""
    item = get_visible_or_404(
        request.user,
        MemberQuery.objects.select_related("submission", "raised_by"),
        pk=pk,
    )
    if not can(request.user, "view", item):
        raise Http404
    own = item.raised_by_id == request.user.pk
    answers_now = can(request.user, "answer", item) and item.status == QueryStatus.OPEN
    posted = request.POST if request.method == "POST" else None
    step = posted.get("step") if posted else None
    now = timezone.now()
    answer_form = AnswerForm(
        posted if step == "answer" else None, initial={"version": item.version}
    )
    next_form = NextStageForm(posted if step == "next" else None, initial={"version": item.version})
    close_form = CloseForm(posted if step == "close" else None, initial={"version": item.version})
    conflict = ""
    if posted is not None:
        form, act = _step(request, item, step, own, answer_form, next_form, close_form, now)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                act(form.cleaned_data)
            except EditConflict as error:
                conflict = str(error)
            except LanternError as refusal:
                _add_refusal(form, refusal)
            else:
                return redirect("intake:query", pk=item.pk)
        item.refresh_from_db()
    record_read(request, item)
    return render(
        request,
        "intake/query.html",
        {
            "query": item,
            "own": own,
            "answers": item.answers.all(),
            "answers_now": answers_now,
            "answer_form": answer_form,
            "next_form": next_form,
            "close_form": close_form,
            "conflict": conflict,
            "overdue": protocol.is_overdue(item, now),
            "last_stage": protocol.LAST_STAGE,
            "stages": QUERY_STAGES,
        },
    )


@requires(Cap.ANSWER_QUERIES_UNIT, Cap.ANSWER_QUERIES_ESCALATED, Cap.ANSWER_QUERIES_INDEPENDENT)
def queries(request):
    """Queries from reporters waiting for this user's answer, oldest deadline first."""
    now = timezone.now()
    rows = [
        (q, protocol.is_overdue(q, now)) for q in protocol.queries_to_answer(request.user)[:200]
    ]
    record_list(request, MemberQuery, len(rows), view="queries")
    return render(request, "intake/queries.html", {"rows": rows})


# --- Helpers --------------------------------------------------------------------------------


def _own_submission(request, reference) -> Submission:
    """The reporter's own item; 404 for anyone else's, whether it exists or not."""
    submission = Submission.objects.filter(reference=reference, submitted_by=request.user).first()
    if submission is None:
        raise Http404
    return submission


def _step(request, item, step, own, answer_form, next_form, close_form, now):
    """The form posted and what it does, or (None, None) for a step this user may not take."""
    if step == "answer" and can(request.user, "answer", item):
        return answer_form, lambda d: protocol.answer_query(
            request, item, text=d["text"], expected_version=d["version"], now=now
        )
    if step == "next" and own:
        return next_form, lambda d: protocol.take_to_next_stage(
            request, item, reason=d["reason"], expected_version=d["version"], now=now
        )
    if step == "close" and own:
        return close_form, lambda d: protocol.close_query(
            request, item, expected_version=d["version"], now=now
        )
    return None, None


def _add_refusal(form, refusal) -> None:
    field = getattr(refusal, "field", None)
    form.add_error(field if field in form.fields else None, str(refusal))
