"""Pages of the single point of entry: thin views that parse, authorise, call a service."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.access import (
    Cap,
    can,
    get_visible_or_404,
    has_capability,
    public,
    requires,
    signed_in,
    visible,
)
from lantern.accounts.models import User
from lantern.accounts.roles import POLICE_ROLES, Role
from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_list, record_read
from lantern.core.errors import EditConflict, LanternError
from lantern.core.uploads import download_name
from lantern.intake import children_links, drafts, exports, ratelimit, services
from lantern.intake.forms import (
    ROWS,
    AssignForm,
    ChildContactForm,
    ConcludeForm,
    DecideForm,
    GradeForm,
    PartnerReportForm,
    PublicReportForm,
    SocialCareQueueForm,
    StartForm,
    StatusLookupForm,
    TraceMatrixForm,
    new_token,
)
from lantern.intake.models import Attachment, Draft, Route, Source, Submission
from lantern.intake.queue import clock_for
from lantern.intake.reporting import check_sections, field_warnings, row_formsets, rows_to_mentions

SESSION_TOKENS = "intake_tokens"
MATRIX_PAGE_SIZE = 100  # rows on screen; the exports hold every row


# --- Reporting ------------------------------------------------------------------------------


@public
def start(request):
    """The guided entry point: what do you want to tell us about?"""
    form = StartForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect(f"{reverse('intake:report')}?route={form.cleaned_data['route']}")
    return render(request, "intake/start.html", {"form": form})


@public
def public_start(request):
    """The start page for people who are not signed in (shown at /): report a concern, get
    support, what happens next, 999, and the status lookup."""
    return render(request, "intake/public_start.html", {"lookup": StatusLookupForm()})


@public
def status(request):
    """Look up a report's plain status with its reference and status code. A wrong code and an
    unknown reference get the same answer; every attempt counts against a rate limit."""
    form = StatusLookupForm(request.POST or None)
    found = None
    not_found = False
    if request.method == "POST":
        now = timezone.now()
        check = ratelimit.count_and_check(
            ratelimit.client_address(request.META),
            now,
            kind="status",
            setting="LANTERN_STATUS_LOOKUP_RATE",
        )
        if check.over:
            return _too_many(request, now, check, lookup=True)
        if form.is_valid():
            submission = services.submission_for_lookup(
                form.cleaned_data["reference"], form.cleaned_data["code"]
            )
            not_found = submission is None
            if submission is not None:
                found = submission.plain_status
                record(
                    actor=request.user,
                    action=AuditAction.READ,
                    obj=submission,
                    reason="status lookup with reference and status code",
                    request=request,
                )
    return render(
        request,
        "intake/status.html",
        {"form": form, "status": found, "not_found": not_found},
    )


@public
def report(request):
    """The report form: short for the public, structured for partners and councillors.

    A valid form is held as a draft and the reporter is sent to "Check your answers"; files
    are stored on the draft at the first POST, so they are never chosen twice."""
    route = request.POST.get("route") or request.GET.get("route") or Route.INTELLIGENCE
    if route not in Route.values:
        route = Route.INTELLIGENCE
    structured = _is_structured_reporter(request.user)
    form_class = PartnerReportForm if structured else PublicReportForm
    now = timezone.now()
    draft = None
    adding = removing = None
    file_errors: list[str] = []
    if request.method == "POST":
        token = request.POST.get("token", "")
        sent = Submission.objects.filter(idempotency_token=_uuid_or_none(token)).first()
        if sent is not None:
            # Already sent (a refresh, the back button): show its acknowledgement, but only to
            # the browser that sent it.
            if _may_see_done(request, sent):
                return redirect("intake:done", token=sent.idempotency_token)
            return redirect("intake:start")
        if not drafts.draft_exists(token):
            # Starting a report counts too: drafts cost storage, so a flood is refused; and
            # nobody should write a report that could not be sent now.
            limited = _could_not_send(request, now) or _rate_limited(request, now, kind="draft")
            if limited is not None:
                return limited
        try:
            draft = drafts.open_draft(
                token, route=route, owner=request.user, owned=_owns(request, token), now=now
            )
        except drafts.DraftRefused:
            return redirect("intake:start")
        _remember_token(request, draft.token)
        if structured:
            file_errors = drafts.keep_files(draft, request.FILES.getlist("attachments"), now=now)
            removing = request.POST.get("remove_attachment")
            if removing:
                drafts.remove_file(draft, removing)
        form = form_class(request.POST, now=now)
        formsets = row_formsets(request.POST) if structured else {}
        adding = next((k for k in formsets if f"add_{k}" in request.POST), None)
        valid = form.is_valid() and all(fs.is_valid() for fs in formsets.values())
        if adding is None and not removing and not file_errors and valid:
            drafts.save_answers(draft, request.POST, route=route, now=now)
            return redirect("intake:check", token=draft.token)
        if adding is not None or removing:
            # Adding a row or removing a file is not sending: show the page again without
            # complaining about questions not answered yet.
            formsets = row_formsets(request.POST, add=adding)
            form._errors = ErrorDict()
        for message in file_errors:
            form.add_error("attachments", message)
    else:
        draft = _own_draft(request, request.GET.get("draft"))
        if draft is not None:
            # "Change" from the check page: the answers as they were given.
            answers = drafts.answers_of(draft)
            route = draft.route
            form = form_class(answers, now=now)
            formsets = row_formsets(answers) if structured else {}
        else:
            limited = _could_not_send(request, now)
            if limited is not None:
                return limited
            token = new_token()
            _remember_token(request, token)
            form = form_class(initial={"token": token, "route": route}, now=now)
            formsets = row_formsets(None) if structured else {}
    quiet = adding is not None or bool(removing)
    return render(
        request,
        "intake/report.html",
        {
            "form": form,
            "formsets": [(key, ROWS[key], fs) for key, fs in formsets.items()],
            "route": route,
            "structured": structured,
            "adding": quiet and not file_errors,
            "formsets_invalid": request.method == "POST"
            and not quiet
            and any(not fs.is_valid() for fs in formsets.values()),
            "kept_files": list(draft.attachments.all()) if draft is not None else [],
            "warnings": field_warnings(form, formsets),
        },
    )


@public
def check(request, token):
    """Check your answers: what will be sent, with warnings by the answers they concern and a
    "Change" link for each. Sending from here makes exactly one submission."""
    sent = Submission.objects.filter(idempotency_token=token).first()
    if sent is not None:
        if _may_see_done(request, sent):
            return redirect("intake:done", token=token)
        return redirect("intake:start")
    draft = _own_draft(request, token)
    if draft is None:
        # A retry while the first send was still running: by now that send may have stored the
        # report and discarded the draft, so look again before sending the browser away.
        sent = Submission.objects.filter(idempotency_token=token).first()
        if sent is not None and _may_see_done(request, sent):
            return redirect("intake:done", token=token)
        return redirect("intake:start")
    structured = _is_structured_reporter(request.user)
    form_class = PartnerReportForm if structured else PublicReportForm
    now = timezone.now()
    answers = drafts.answers_of(draft)
    form = form_class(answers, now=now)
    formsets = row_formsets(answers) if structured else {}
    change = f"{reverse('intake:report')}?draft={draft.token}"
    if not (form.is_valid() and all(fs.is_valid() for fs in formsets.values())):
        return redirect(change)
    error = ""
    if request.method == "POST":
        limited = _rate_limited(request, now, draft=draft)
        if limited is not None:
            return limited
        files = drafts.files_of(draft)
        try:
            submission, _ = services.receive_submission(
                request, _new_submission(request, form, formsets, files), now=now
            )
        except LanternError as refused:
            error = str(refused)
        else:
            drafts.discard(draft)
            return redirect("intake:done", token=submission.idempotency_token)
        finally:
            for f in files:
                f.close()
    return render(
        request,
        "intake/check.html",
        {
            "draft": draft,
            "sections": check_sections(form, formsets, draft.attachments.all()),
            "change": change,
            "route": draft.route,
            "error": error,
        },
    )


@public
def done(request, token):
    """The acknowledgement: the reference and what happens next. Only the browser that sent
    the report (or the signed-in reporter) sees it; anyone else is sent to the start page,
    whether or not the token exists, so nothing is revealed."""
    submission = Submission.objects.filter(idempotency_token=token).first()
    if submission is None or not _may_see_done(request, submission):
        return redirect("intake:start")
    warnings = services.mention_warnings(
        submission.vehicles.values_list("raw", flat=True),
        submission.phones.values_list("raw", flat=True),
    )
    return render(
        request,
        "intake/done.html",
        {
            "submission": submission,
            "warnings": warnings,
            "status_code": services.status_code_for(submission),
        },
    )


@requires(Cap.SUBMIT_CONCERN)
def mine(request):
    """The reporter's own reports, each strand beneath its document, with its status in plain
    words, what happens next, and a way to raise a query about it (or follow the one raised)."""
    from django.db.models import Prefetch

    from lantern.intake.models import MemberQuery

    queries = Prefetch("queries", queryset=MemberQuery.objects.order_by("-raised_at"))
    documents = (
        Submission.objects.filter(submitted_by=request.user, original__isnull=True)
        .prefetch_related(
            queries,
            Prefetch(
                "strands",
                queryset=Submission.objects.order_by("strand_number").prefetch_related(queries),
            ),
        )
        .order_by("-received_at")
    )
    page = Paginator(documents, 25).get_page(request.GET.get("page"))
    record_list(request, Submission, page.paginator.count, view="mine")
    return render(request, "intake/mine.html", {"page_obj": page})


# --- Queues ---------------------------------------------------------------------------------


@requires(Cap.WORK_INTAKE)
def queue(request):
    """Open submissions with what each is about, filtered and sorted as the officer chooses
    (remembered for next time): urgent on top, then oldest first, with the clock against
    target. A bad filter is an error by its field and the rest still apply."""
    from lantern.core.queues import remembered_query
    from lantern.intake import queue as intake_queue

    query, remembered = remembered_query(request, "intake", intake_queue.QUEUE_FILTERS)
    officers = _intake_officers()
    filters = intake_queue.queue_filter_form(query, officers=officers)
    filters.is_valid()  # the valid fields still apply; the errors are shown by their fields
    cleaned = {
        k: v for k, v in getattr(filters, "cleaned_data", {}).items() if k not in filters.errors
    }
    show = cleaned.get("show") or "open"
    sorts = intake_queue.queue_sorts()
    sort, ordering, sort_error = sorts.parse(query.get("sort", ""))
    now = timezone.now()
    qs = intake_queue.queue_queryset(
        visible(request.user, Submission.objects.all()), show=show, user=request.user
    )
    qs = intake_queue.filter_queue(qs, cleaned, now=now).order_by(*ordering)
    qs = qs.prefetch_related("people", "vehicles")
    page = Paginator(qs, 50).get_page(query.get("page"))
    rows = [(s, clock_for(s, now)) for s in page.object_list]
    record_list(
        request,
        Submission,
        page.paginator.count,
        view="queue",
        **{k: str(v) for k, v in cleaned.items() if v},
    )
    querystring = query.copy()
    querystring.pop("page", None)
    return render(
        request,
        "intake/queue.html",
        {
            "page_obj": page,
            "rows": rows,
            "show": show,
            "filters": filters,
            "sort_error": sort_error,
            "headers": sorts.headers(sort, querystring),
            "remembered": remembered,
            "officers": officers,
            "skipped": request.session.pop("lantern.queue.skipped", None),
            "querystring": querystring.urlencode(),
            "wide": True,
        },
    )


def _intake_officers():
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=list(POLICE_ROLES))
        .distinct()
        .order_by("full_name")
    )


@requires(Cap.WORK_INTAKE)
def queue_assign(request):
    """Assign several submissions at once. Each row carries the version the officer saw: one
    someone else moved on meanwhile is skipped and listed, the rest are assigned."""
    from django.http import HttpResponseNotAllowed

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = reverse("intake:queue")
    officer = _intake_officers().filter(pk=request.POST.get("officer") or 0).first()
    chosen = request.POST.getlist("item")
    if officer is None or not chosen:
        messages.error(
            request,
            "Assign to: select an officer"
            if officer is None
            else "Select the submissions to assign",
        )
        return redirect(back)
    assigned, skipped = [], []
    now = timezone.now()
    for item in chosen[:200]:
        reference, _, version = item.partition(":")
        submission = (
            visible(request.user, Submission.objects.all()).filter(reference=reference).first()
        )
        if submission is None or not version.isdigit():
            skipped.append(f"{reference}: not found")
            continue
        try:
            services.assign_submission(
                request, submission, officer=officer, expected_version=int(version), now=now
            )
            assigned.append(reference)
        except EditConflict:
            skipped.append(
                f"{reference}: someone changed it a moment ago (now {_assignee(reference)})"
            )
        except LanternError as error:
            skipped.append(f"{reference}: {error}")
    if assigned:
        messages.success(request, f"Assigned {len(assigned)} to {officer}: {', '.join(assigned)}.")
    if skipped:
        request.session["lantern.queue.skipped"] = skipped
    return redirect(back)


def _assignee(reference: str) -> str:
    submission = Submission.objects.select_related("assigned_to").get(reference=reference)
    return f"assigned to {submission.assigned_to}" if submission.assigned_to else "not assigned"


@requires(Cap.MANAGE_CHILDREN)
def social_care_queue(request):
    """Safeguarding referrals still to do (no contact recorded, not concluded), urgent first
    then oldest first, each with its clock against the target; a filter shows the rest."""
    form = SocialCareQueueForm(request.GET)
    show = (form.cleaned_data["show"] or "to_do") if form.is_valid() else None
    rows, page = [], None
    if show is not None:
        qs = children_links.social_care_queue(request.user, show)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        record_list(request, Submission, page.paginator.count, view="social_care_queue", show=show)
        now = timezone.now()
        submissions = list(page.object_list)
        linked = children_links.children_for(s.reference for s in submissions)
        recorded_at = children_links.contacts_recorded_at(submissions)
        rows = [
            (
                s,
                linked.get(s.reference, []),
                children_links.referred_child_of(s),
                children_links.social_care_clock(s, now, recorded_at.get(s.pk)),
            )
            for s in submissions
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/social_care_queue.html",
        {
            "form": form,
            "show": show,
            "shows": children_links.QUEUE_SHOWS,
            "show_label": children_links.QUEUE_SHOWS.get(show or "", ""),
            "page_obj": page,
            "rows": rows,
            "querystring": query.urlencode(),
            "wide": True,
        },
    )


@requires(Cap.MANAGE_CHILDREN)
def check_child_records(request, reference):
    """Child records that might be the child a referral is about, for a social care worker to
    choose from (by the name and date of birth the reporter gave, or their own words). Nothing
    is linked here: the worker picks a record and records the contact on it."""
    submission = _get(request, reference)
    if not (
        can(request.user, "view_full", submission) and children_links.is_safeguarding(submission)
    ):
        raise Http404
    words = request.GET.get("q", "").strip()[:100]
    referred = children_links.referred_child_of(submission)
    candidates = list(children_links.candidate_children(request.user, referred, words))
    record_read(request, submission, reason="check child records for a referral")
    record_list(
        request,
        children_links.Child,
        len(candidates),
        view="check_child_records",
        submission=submission.reference,
        children=[c.reference for c in candidates],
        words=words,
    )
    return render(
        request,
        "intake/check_child_records.html",
        {
            "submission": submission,
            "referred": referred,
            "candidates": candidates,
            "words": words,
        },
    )


@requires(Cap.VIEW_SHARED_SUBMISSIONS)
def shared(request):
    """Submissions shared with the user's agency: partner-safe summaries only."""
    qs = (
        visible(request.user, Submission.objects.all())
        .filter(shared_with=request.user.agency_id)
        .order_by("-received_at")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    record_list(request, Submission, page.paginator.count, view="shared")
    return render(request, "intake/shared.html", {"page_obj": page})


# --- One submission -------------------------------------------------------------------------


@signed_in
def detail(request, reference):
    """A submission as this user may see it: full, partner-safe summary, or status only."""
    submission = _get(request, reference)
    full = can(request.user, "view_full", submission)
    summary = full or can(request.user, "view_summary", submission)
    record_read(request, submission)
    context = {"submission": submission, "full": full, "summary": summary}
    if summary and not full:
        context["partner_trace"] = services.partner_timeline(submission)
    if submission.submitted_by_id == request.user.pk:
        context["own"] = True
        context["query"] = submission.queries.order_by("-raised_at").first()
    if full:
        context.update(
            people=submission.people.all(),
            vehicles=submission.vehicles.all(),
            phones=submission.phones.all(),
            online_accounts=submission.online_accounts.all(),
            attachments=submission.attachments.all(),
            trace=submission.trace.select_related("actor")[:200],
            works=can(request.user, "work", submission),
            clock=clock_for(submission, timezone.now()),
        )
    return render(request, "intake/detail.html", context)


@requires(Cap.WORK_INTAKE, Cap.MANAGE_CHILDREN)
def trace(request, reference):
    """The timeline from receipt to conclusion."""
    submission = _get(request, reference)
    if not can(request.user, "view_full", submission):
        raise Http404
    record_read(request, submission, reason="trace")
    return render(
        request,
        "intake/trace.html",
        {"submission": submission, "trace": submission.trace.select_related("actor")},
    )


@requires(Cap.WORK_INTAKE)
def assign(request, reference):
    submission = _get(request, reference)
    officers = (
        User.objects.filter(is_active=True, role_assignments__role__in=list(POLICE_ROLES))
        .distinct()
        .order_by("full_name")
    )
    form = AssignForm(
        _posted(request),
        officers=officers,
        initial={"version": submission.version, "officer": request.user.pk},
    )
    return _work(
        request,
        submission,
        form,
        "Assign",
        lambda d: services.assign_submission(
            request,
            submission,
            officer=d["officer"],
            expected_version=d["version"],
            now=timezone.now(),
        ),
        "Assigned to {officer}.",
    )


@requires(Cap.WORK_INTAKE)
def grade(request, reference):
    submission = _get(request, reference)
    initial = {
        "version": submission.version,
        "source_evaluation": submission.source_evaluation,
        "intelligence_assessment": submission.intelligence_assessment,
        "handling_code": submission.handling_code,
        "handling_conditions": submission.handling_conditions,
        "partner_summary": submission.partner_summary,
        "research_notes": submission.research_notes,
    }
    form = GradeForm(_posted(request), initial=initial)
    return _work(
        request,
        submission,
        form,
        "Grade",
        lambda d: services.grade_submission(
            request,
            submission,
            expected_version=d["version"],
            source_evaluation=d["source_evaluation"],
            intelligence_assessment=d["intelligence_assessment"],
            handling_code=d["handling_code"],
            handling_conditions=d["handling_conditions"],
            partner_summary=d["partner_summary"],
            research_notes=d["research_notes"],
            now=timezone.now(),
        ),
        "Graded.",
    )


@requires(Cap.WORK_INTAKE)
def decide(request, reference):
    submission = _get(request, reference)
    form = DecideForm(
        _posted(request),
        initial={"version": submission.version, "share_with": submission.shared_with.all()},
    )
    return _work(
        request,
        submission,
        form,
        "Decide",
        lambda d: services.decide_submission(
            request,
            submission,
            expected_version=d["version"],
            decision=d["decision"],
            rationale=d["rationale"],
            referred_to=d["referred_to"],
            share_with=d["share_with"],
            now=timezone.now(),
        ),
        "The decision has been recorded.",
    )


@requires(Cap.WORK_INTAKE)
def conclude(request, reference):
    submission = _get(request, reference)
    form = ConcludeForm(_posted(request), initial={"version": submission.version})
    return _work(
        request,
        submission,
        form,
        "Conclude",
        lambda d: services.conclude_submission(
            request,
            submission,
            expected_version=d["version"],
            notes=d["notes"],
            now=timezone.now(),
        ),
        "Concluded. The reporter will be told.",
    )


@requires(Cap.MANAGE_CHILDREN)
def record_child_contact(request, reference):
    """Record a safeguarding report as a contact on the child's record the CSE worker chooses."""
    submission = _get(request, reference)
    if not (
        can(request.user, "view_full", submission) and children_links.is_safeguarding(submission)
    ):
        raise Http404
    form = ChildContactForm(
        _posted(request),
        children=visible(request.user, children_links.Child.objects.all()),
        initial={
            "summary": submission.narrative,
            "child_reference": request.GET.get("child", "").strip()[:20],
        },
    )
    form.user = request.user
    record_read(request, submission, reason="record a contact")
    if request.method == "POST" and form.is_valid():
        try:
            children_links.record_contact_from_submission(
                request,
                submission,
                form.child,
                summary=form.cleaned_data["summary"],
                now=timezone.now(),
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The contact has been recorded on {form.child.reference}'s record."
            )
            return redirect("intake:social-care-queue")
    return render(
        request,
        "intake/work_form.html",
        {
            "submission": submission,
            "form": form,
            "verb": "Record as a contact",
            "referred": children_links.referred_child_of(submission),
        },
    )


@signed_in
def attachment(request, pk):
    """Download an attachment: never shown inline, never sniffed as HTML."""
    item = Attachment.objects.select_related("submission").filter(pk=pk).first()
    if item is None:
        raise Http404
    submission = get_visible_or_404(request.user, Submission.objects.all(), pk=item.submission_id)
    if not can(request.user, "view_full", submission):
        raise Http404
    record(
        actor=request.user,
        action=AuditAction.READ,
        obj=item,
        request=request,
        reason=f"attachment of {submission.reference}",
    )
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        # Named from the type found when it was checked, never the extension it came with.
        filename=download_name(item.original_name, item.content_type),
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Trace matrix ---------------------------------------------------------------------------


@requires(Cap.SUPERVISE_INTAKE)
def trace_matrix(request):
    """Choose submissions by date received or reference; see and export their trace matrix."""
    form = TraceMatrixForm(request.GET or None)
    rows, total, page = [], 0, None
    chosen = request.GET and form.is_valid()
    if chosen:
        qs = exports.matrix_queryset(
            visible(request.user, Submission.objects.all()), form.cleaned_data
        )
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx", "pdf"):
            count = qs.count()
            record(
                actor=request.user,
                action=AuditAction.EXPORT,
                object_type="intake.submission",
                object_repr=f"trace matrix of {count} submissions ({fmt})",
                request=request,
                details={"count": count, "format": fmt},
            )
            return exports.response(qs, fmt, _chosen_filters(form))
        page = Paginator(qs, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
        total = page.paginator.count
        rows = exports.matrix_rows(page.object_list)
        record_list(request, Submission, len(rows), view="trace_matrix")
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    return render(
        request,
        "intake/trace_matrix.html",
        {
            "form": form,
            "rows": rows,
            "chosen": chosen,
            "headers": exports.HEADERS,
            "total": total,
            "page_obj": page,
            "querystring": query.urlencode(),
        },
    )


# --- Helpers --------------------------------------------------------------------------------


def _chosen_filters(form) -> list[tuple[str, str]]:
    """The filters given, as (label, value) for the export's heading."""
    chosen = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(value, str) and hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        chosen.append((str(field.label), str(value)))
    return chosen


def _get(request, reference) -> Submission:
    return get_visible_or_404(
        request.user,
        Submission.objects.select_related("assigned_to", "ward", "submitted_by"),
        reference=reference,
    )


def _work(request, submission, form, verb, act, success):
    if not can(request.user, "work", submission):
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success.format(**form.cleaned_data))
            return redirect("intake:detail", reference=submission.reference)
    return render(
        request,
        "intake/work_form.html",
        {"submission": submission, "form": form, "verb": verb},
    )


def _is_structured_reporter(user) -> bool:
    """Partners, councillors and staff get the structured form; the public the short one."""
    if not user.is_authenticated:
        return False
    only_public = user.role_codes == {Role.MEMBER_OF_PUBLIC}
    return has_capability(user, Cap.SUBMIT_CONCERN) and not only_public


def _source_for(user) -> str:
    if not user.is_authenticated or user.role_codes == {Role.MEMBER_OF_PUBLIC}:
        return Source.PUBLIC
    if user.has_role(Role.COUNCILLOR):
        return Source.COUNCILLOR
    if user.has_role(*POLICE_ROLES):
        return Source.POLICE
    return Source.PARTNER


def _new_submission(request, form, formsets, files) -> services.NewSubmission:
    data = form.cleaned_data
    mentions = rows_to_mentions(formsets)
    return services.NewSubmission(
        token=data["token"],
        source=_source_for(request.user),
        route=data["route"],
        narrative=data["narrative"],
        occurred_on=data.get("occurred_on"),
        location=data.get("location", ""),
        ward_id=data["ward"].pk if data.get("ward") else None,
        how_known=data.get("how_known", ""),
        signs=data.get("signs", []),
        contact_name=data.get("contact_name", ""),
        contact_email=data.get("contact_email", ""),
        contact_phone=data.get("contact_phone", ""),
        files=files,
        child=form.child_answers(),
        **mentions,
    )


def _rate_subject(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return ratelimit.client_address(request.META)


def _could_not_send(request, now):
    """The 429 page before a report is written if the reporter could not send one now."""
    if _is_structured_reporter(request.user):
        return None
    check = ratelimit.would_exceed(_rate_subject(request), now)
    if not check.over:
        return None
    return _too_many(request, now, check, started=True)


def _rate_limited(request, now, *, kind: str = "report", draft=None):
    """The 429 page if this report sent (or, for kind "draft", report started) takes the
    reporter over their limit, else None. Anonymous reporters are counted by address, public
    accounts by account; partners and staff (the structured form) are not limited. A refused
    send says how long its draft is kept and links back to it."""
    if _is_structured_reporter(request.user):
        return None
    subject = _rate_subject(request)
    if kind == "draft":
        check = ratelimit.count_and_check(
            subject,
            now,
            kind="draft",
            setting="LANTERN_INTAKE_DRAFT_RATE",
        )
    else:
        check = ratelimit.count_and_check(subject, now)
    if not check.over:
        return None
    if draft is not None:
        return _too_many(
            request,
            now,
            check,
            draft_link=reverse("intake:check", kwargs={"token": draft.token}),
            draft_kept_until=timezone.localtime(
                draft.updated_at + timedelta(hours=settings.LANTERN_INTAKE_DRAFT_HOURS)
            ),
        )
    return _too_many(request, now, check, started=kind == "draft")


def _too_many(request, now, check, **context):
    """The 429 page, saying when the reporter may try again (also as Retry-After)."""
    response = render(
        request,
        "intake/rate_limited.html",
        {"retry_at": timezone.localtime(check.retry_at), **context},
        status=429,
    )
    response["Retry-After"] = str(max(1, int((check.retry_at - now).total_seconds())))
    return response


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _owns(request, token) -> bool:
    """Whether this browser was given the token (or the signed-in user owns its draft)."""
    if str(token) in request.session.get(SESSION_TOKENS, []):
        return True
    return (
        request.user.is_authenticated
        and Draft.objects.filter(token=_uuid_or_none(token), owner=request.user).exists()
    )


def _own_draft(request, token) -> Draft | None:
    if not token or _uuid_or_none(token) is None or not _owns(request, token):
        return None
    return Draft.objects.filter(token=_uuid_or_none(token)).first()


def _remember_token(request, token) -> None:
    issued = request.session.get(SESSION_TOKENS, [])
    if str(token) not in issued:
        request.session[SESSION_TOKENS] = [*issued[-19:], str(token)]


def _may_see_done(request, submission) -> bool:
    own = request.user.is_authenticated and submission.submitted_by_id == request.user.pk
    return own or str(submission.idempotency_token) in request.session.get(SESSION_TOKENS, [])


def _posted(request):
    """The POSTed data (even if empty, so an empty form is validated), or None for GET."""
    return request.POST if request.method == "POST" else None
