"""Tasking pages: meetings and agendas, recording items, actions, the schedule and its exports.

Thin views: parse, authorise (access.py), call a service, render. Disruption plans and the
operations register are in `plan_views.py`.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from lantern.accounts.access import (
    Cap,
    can,
    get_visible_or_404,
    has_capability,
    reads_conditioned_item,
    requires,
    visible,
)
from lantern.accounts.models import Agency, User
from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_list, record_read
from lantern.core.editing import save_with_version, versioned_initial
from lantern.core.errors import LanternError
from lantern.tasking import export_jobs, exports, services
from lantern.tasking.agenda import in_sections, source_url
from lantern.tasking.forms import (
    ActionForm,
    CompleteForm,
    DueDateForm,
    ItemForm,
    RecordItemForm,
    RouteForm,
    SeriesForm,
    UpdateForm,
    UserChoiceField,
)
from lantern.tasking.models import (
    Action,
    ActionStatus,
    AgendaItem,
    EscalationRoute,
    ExportJob,
    ExportStatus,
    ItemStatus,
    Meeting,
    MeetingSeries,
    MeetingType,
    Notification,
)
from lantern.tasking.schedule import schedule_for

PAGE_SIZE = 50

# --- Meetings -------------------------------------------------------------------------------


@requires(Cap.VIEW_TASKING)
def index(request):
    """The meetings this user can see: each series with its next meeting."""
    today = timezone.localdate()
    series = visible(request.user, MeetingSeries.objects.select_related("chair")).filter(
        is_active=True
    )
    rows = [(s, services.next_meeting(s, today)) for s in series]
    return render(
        request,
        "tasking/index.html",
        {"rows": rows, "can_create": has_capability(request.user, Cap.CHAIR_TASKING)},
    )


@requires(Cap.CHAIR_TASKING)
def series_create(request):
    chairs = User.objects.filter(
        is_active=True,
        role_assignments__role__in=["police_supervisor", "mace_chair"],
    ).select_related("agency")
    form = SeriesForm(request.POST or None, chairs=chairs, initial={"chair": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.create_series(
                request,
                name=data["name"],
                meeting_type=data["meeting_type"],
                first_meeting_on=data["first_meeting_on"],
                chair=data["chair"],
                member_agencies=list(data["member_agencies"]),
                members=list(data["members"]),
                frequency_days=data["frequency_days"],
                item_limit=data["item_limit"],
            )
            services.generate_meetings(
                request, series, until=data["first_meeting_on"] + timedelta(days=90)
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{series.name} has been set up.")
            return redirect("tasking:series-detail", pk=series.pk)
    return form_page(
        request,
        form,
        "Set up a meeting",
        "Set up the meeting",
        _url("tasking:index"),
        "Back to meetings",
    )


@requires(Cap.VIEW_TASKING)
def series_detail(request, pk: int):
    series = get_visible_or_404(request.user, MeetingSeries.objects.select_related("chair"), pk=pk)
    meetings = series.meetings.order_by("-held_on")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasking/series_detail.html",
        {
            "series": series,
            "page_obj": page,
            "agencies": series.member_agencies.order_by("name"),
            "members": series.members.select_related("agency").order_by("full_name"),
            "can_chair": can(request.user, "chair", series),
        },
    )


@requires(Cap.VIEW_TASKING)
def meeting_detail(request, pk: int):
    """The agenda (partner-safe text to partners) and, for the chair, its controls."""
    meeting = _meeting(request, pk)
    items = list(
        visible(request.user, meeting.items.all())  # a C item outside one's conditions: absent
        .select_related("source_type", "meeting__series__chair")
        .prefetch_related("source", "cleared_agencies")
        .order_by("position", "pk")
    )
    rows = [(item, _text_for(request.user, item)) for item in items]
    record_read(request, meeting)
    return render(
        request,
        "tasking/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "sections": in_sections(rows),
            "can_chair": can(request.user, "chair", meeting),
            "item_form": ItemForm(),
        },
    )


@requires(Cap.CHAIR_TASKING)
def meeting_build(request, pk: int):
    meeting = _meeting(request, pk)
    _authorise_chair(request, meeting)
    if request.method == "POST":
        try:
            added = services.build_agenda(request, meeting, now=timezone.now())
        except LanternError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{added} item{'s' if added != 1 else ''} added to the agenda."
            )
    return redirect("tasking:meeting-detail", pk=meeting.pk)


@requires(Cap.CHAIR_TASKING)
def item_create(request, pk: int):
    meeting = _meeting(request, pk)
    _authorise_chair(request, meeting)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(request, meeting, **form.cleaned_data)
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The item has been added to the agenda.")
            return redirect("tasking:meeting-detail", pk=meeting.pk)
    return form_page(
        request,
        form,
        "Add an item to the agenda",
        "Add the item",
        _url("tasking:meeting-detail", meeting.pk),
        "Back to the agenda",
        caption=str(meeting),
    )


@requires(Cap.CHAIR_TASKING)
def meeting_reorder(request, pk: int):
    """Renumber the agenda from the numbers typed beside each item (works without JavaScript)."""
    meeting = _meeting(request, pk)
    _authorise_chair(request, meeting)
    if request.method == "POST":
        positions, bad = {}, False
        for key, value in request.POST.items():
            if key.startswith("position-"):
                item_id, number = key.removeprefix("position-"), value.strip()
                if not (item_id.isdigit() and number.isdigit()):
                    bad = True
                    continue
                positions[int(item_id)] = int(number)
        if bad:
            messages.error(request, "Enter each item's place as a whole number, like 2")
        else:
            try:
                services.reorder_items(request, meeting, positions)
            except LanternError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "The agenda has been reordered.")
    return redirect("tasking:meeting-detail", pk=meeting.pk)


@requires(Cap.CHAIR_TASKING)
def item_move(request, pk: int):
    item = _item(request, pk)
    _authorise_chair(request, item.meeting)
    if request.method == "POST" and request.POST.get("direction") in ("up", "down"):
        services.move_item(request, item, request.POST["direction"])
    return redirect("tasking:meeting-detail", pk=item.meeting_id)


@requires(Cap.CHAIR_TASKING)
def item_defer(request, pk: int):
    item = _item(request, pk)
    _authorise_chair(request, item.meeting)
    if request.method == "POST":
        try:
            services.defer_item(request, item, now=timezone.now())
        except LanternError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"'{item.title}' has been deferred to the next meeting.")
        return redirect("tasking:meeting-detail", pk=item.meeting_id)
    return render(request, "tasking/item_defer.html", {"item": item})


@requires(Cap.VIEW_TASKING)
def item_detail(request, pk: int):
    """An item: its text, its record and actions; the chair records the meeting here."""
    item = _item(request, pk)
    text = _text_for(request.user, item)
    if not text["read"]:
        record_read(request, item, reason="exists only: handling code C, outside its conditions")
        return render(request, "tasking/item_restricted.html", {"item": item})
    can_chair = can(request.user, "chair", item)
    form = RecordItemForm(
        request.POST or None,
        initial=versioned_initial(
            item,
            "discussion",
            "decisions",
            "closure_reason",
            "rationale",
            outcome=item.status if item.status in ("kept_on", "closed") else "",
        ),
    )
    if request.method == "POST":
        if not can_chair:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            saved = save_with_version(
                form,
                lambda version: services.record_item(
                    request,
                    AgendaItem.objects.get(pk=item.pk),
                    expected_version=version,
                    discussion=data["discussion"],
                    decisions=data["decisions"],
                    outcome=data["outcome"],
                    closure_reason=data["closure_reason"],
                    rationale=data["rationale"],
                    now=timezone.now(),
                ),
            )
            if saved:
                messages.success(request, "The meeting's record of this item has been saved.")
                return redirect("tasking:item-detail", pk=item.pk)
    else:
        record_read(request, item)
    actions = visible(
        request.user,
        Action.objects.filter(meeting=item.meeting, origin_id=str(item.pk)).select_related(
            "owning_agency", "owner"
        ),
    )
    return render(
        request,
        "tasking/item_detail.html",
        {
            "item": item,
            "text": text,
            "form": form,
            "can_chair": can_chair and item.status != ItemStatus.CLOSED,
            "actions": actions,
            "cleared": list(item.cleared_agencies.order_by("name")),
            "source_link": _source_link(request.user, item),
        },
    )


@requires(Cap.CHAIR_TASKING, Cap.ASSESS_SUSPECTS)
def owner_options(request):
    """The <option>s of the owner list for the chosen agency (asked by htmx on the action and
    tactic forms when the agency changes). An unknown agency gives only the prompt."""
    chosen = request.GET.get("owning_agency", "")
    people = User.objects.none()
    if chosen.isdigit():
        people = (
            User.objects.filter(is_active=True, agency_id=int(chosen), agency__is_active=True)
            .select_related("agency")
            .order_by("full_name", "username")
        )
    # The same field as the forms', so the options read the same as without JavaScript.
    options = [(str(value), label) for value, label in UserChoiceField(queryset=people).choices]
    return render(request, "tasking/owner_options.html", {"options": options})


@requires(Cap.CHAIR_TASKING)
def item_action_create(request, pk: int):
    """The chair gives an agency an action on an item."""
    item = _item(request, pk)
    _authorise_chair(request, item.meeting)
    now = timezone.now()
    agencies = item.meeting.series.member_agencies.filter(is_active=True).order_by("name")
    form = ActionForm(request.POST or None, today=timezone.localdate(now), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                request,
                title=data["title"],
                description=data["description"],
                owning_agency=data["owning_agency"],
                owner=data["owner"],
                due_on=data["due_on"],
                priority=data["priority"],
                route=item.meeting.series.meeting_type,
                origin=item,
                meeting=item.meeting,
                escalation_contact=item.meeting.series.chair,
                now=now,
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Action A{action.pk} given to {action.owner}, {action.owning_agency}."
            )
            return redirect("tasking:item-detail", pk=item.pk)
    return form_page(
        request,
        form,
        "Add an action",
        "Add the action",
        _url("tasking:item-detail", item.pk),
        "Back to the item",
        caption=item.title,
    )


@requires(Cap.VIEW_TASKING)
def meeting_minutes(request, pk: int, fmt: str):
    """The meeting's partner-safe minutes as a DOCX or PDF file."""
    meeting = _meeting(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    if not meeting.items.exists():
        messages.error(request, "There are no items on this agenda yet, so there are no minutes.")
        return redirect("tasking:meeting-detail", pk=meeting.pk)
    recipient = _minutes_recipient(request, meeting)
    context = exports.minutes_context(meeting, recipient=recipient)
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=meeting,
        request=request,
        details=_minutes_details(context, fmt),
    )
    if fmt == "docx":
        body = exports.minutes_docx(context)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body, kind = exports.minutes_pdf(context), "application/pdf"
    return _download(body, kind, f"minutes-{meeting.series_id}-{meeting.held_on}.{fmt}")


@requires(Cap.VIEW_TASKING)
def meeting_agenda_paper(request, pk: int, fmt: str):
    """The agenda paper, partner-safe and in the agenda's sections, as a DOCX or PDF file for
    the reader's agency (police may ask for any member agency's copy with `?for=`)."""
    meeting = _meeting(request, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    if not meeting.items.exists():
        messages.error(request, "There are no items on this agenda yet, so there is no paper.")
        return redirect("tasking:meeting-detail", pk=meeting.pk)
    context = exports.agenda_context(meeting, recipient=_minutes_recipient(request, meeting))
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=meeting,
        request=request,
        details={
            "document": "agenda paper",
            "format": fmt,
            "prepared_for": context["prepared_for"],
            "items": [item.pk for part in context["sections"] for item, _ in part.rows],
        },
    )
    if fmt == "docx":
        body = exports.agenda_docx(context)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body, kind = exports.agenda_pdf(context), "application/pdf"
    return _download(body, kind, f"agenda-{meeting.series_id}-{meeting.held_on}.{fmt}")


@requires(Cap.VIEW_TASKING)
def meeting_minutes_page(request, pk: int):
    """The minutes as a page, filtered for the reader's agency (or the copy a police officer
    asks for): a handling code C item appears only in its conditions' agencies' copies."""
    meeting = _meeting(request, pk)
    context = exports.minutes_context(meeting, recipient=_minutes_recipient(request, meeting))
    record_read(request, meeting, reason=f"minutes for {context['prepared_for']}")
    copies = meeting.series.member_agencies.order_by("name") if request.user.is_police else []
    return render(
        request, "tasking/minutes_page.html", {**context, "copies": copies, "fmt": "page"}
    )


def _minutes_recipient(request, meeting: Meeting) -> Agency | None:
    """Whose copy of the minutes: police may ask for any member agency's copy (`?for=`) or the
    whole record (None); everyone else gets their own agency's copy."""
    if not request.user.is_police:
        return request.user.agency
    wanted = request.GET.get("for", "")
    if not wanted:
        return None
    agency = meeting.series.member_agencies.filter(pk=wanted).first() if wanted.isdigit() else None
    if agency is None:
        raise Http404("That agency is not a member of this meeting")
    return agency


def _minutes_details(context: dict, fmt: str) -> dict:
    return {
        "format": fmt,
        "content": "minutes",
        "prepared_for": context["prepared_for"],
        "distribution": [a.name for a in context["agencies"]],
        "items": [item.title for item, _ in context["items"]],
    }


# --- Actions --------------------------------------------------------------------------------


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def schedule(request):
    """The whole action schedule the user may see, filtered by the query string."""
    actions, form = _filtered_schedule(request)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(request, Action, len(page.object_list), filters=_filters(request))
    return render(
        request,
        "tasking/schedule.html",
        {
            "page_obj": page,
            "form": form,
            "querystring": _querystring(request),
            "meetings": visible(request.user, Meeting.objects.select_related("series"))[:200],
            "agencies": Agency.objects.filter(is_active=True),
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
            "sync_rows": export_jobs.sync_rows(),
        },
    )


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def schedule_export(request, fmt: str):
    """The filtered schedule as CSV, XLSX or PDF; no rows gives a message, not an empty file."""
    if fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    actions, form = _filtered_schedule(request)
    if form.errors:
        return redirect(f"{_url('tasking:schedule')}?{request.GET.urlencode()}")
    count = actions.count()
    if count > export_jobs.sync_rows():
        # Too large to build in the request without stalling the site: `lantern tick` builds it.
        export_jobs.request_export(request, fmt=fmt, filters=_filters(request), now=timezone.now())
        messages.success(
            request,
            f"Your export of {count} actions is being prepared. It will be ready to download "
            "from Your exports in a few minutes.",
        )
        return redirect("tasking:export-list")
    rows = exports.schedule_rows(actions, reader=request.user)
    if not rows:
        messages.error(request, "No actions match these filters, so there is nothing to export.")
        return redirect(f"{_url('tasking:schedule')}?{request.GET.urlencode()}")
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="tasking.action",
        object_repr=f"{len(rows)} actions",
        request=request,
        details={"format": fmt, "count": len(rows), "filters": _filters(request)},
    )
    if fmt == "csv":
        return _download(exports.schedule_csv(rows), "text/csv; charset=utf-8", "actions.csv")
    if fmt == "xlsx":
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(exports.schedule_xlsx(rows), kind, "actions.xlsx")
    return _download(
        exports.schedule_pdf(rows, "Action schedule"), "application/pdf", "actions.pdf"
    )


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def export_list(request):
    """The exports this user asked for, and whether each is ready."""
    jobs = ExportJob.objects.filter(requested_by=request.user).defer("body")[:50]
    return render(request, "tasking/export_list.html", {"jobs": jobs})


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def export_download(request, pk: int):
    """Download a ready export: only its requester may, and the download is audited."""
    job = ExportJob.objects.filter(
        pk=pk, requested_by=request.user, status=ExportStatus.READY
    ).first()
    if job is None:
        raise Http404("There is no such export ready for you")
    export_jobs.mark_downloaded(request, job, now=timezone.now())
    kind = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }[job.fmt]
    return _download(bytes(job.body), kind, job.filename)


@requires(Cap.TAKE_ACTIONS)
def my_actions(request):
    return _action_list(
        request,
        Action.objects.filter(owner=request.user),
        "My actions",
        "Open actions you own, soonest due first.",
    )


@requires(Cap.TAKE_ACTIONS)
def agency_actions(request):
    if request.user.agency_id is None:
        raise Http404
    return _action_list(
        request,
        Action.objects.filter(owning_agency=request.user.agency_id),
        f"{request.user.agency}'s actions",
        "Open actions allocated to your agency, soonest due first.",
    )


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def action_detail(request, pk: int):
    action = _action(request, pk)
    if not can(request.user, "read", action):
        raise Http404("This action is handling code C and you are outside its conditions")
    record_read(request, action)
    return render(
        request,
        "tasking/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author"),
            "escalations": action.escalations.select_related("notified"),
            "can_update": can(request.user, "update", action) and action.is_open,
            "update_form": UpdateForm(),
            "today": timezone.localdate(),
        },
    )


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def action_update(request, pk: int):
    action = _action(request, pk)
    _authorise_update(request, action)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(request, action, note=form.cleaned_data["note"], now=timezone.now())
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your update has been added.")
            return redirect("tasking:action-detail", pk=action.pk)
    return _step(request, action, form, "update")


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def action_complete(request, pk: int):
    action = _action(request, pk)
    _authorise_update(request, action)
    form = CompleteForm(request.POST or None, initial=versioned_initial(action))
    if request.method == "POST" and form.is_valid():
        saved = save_with_version(
            form,
            lambda version: services.complete_action(
                request,
                action,
                expected_version=version,
                result=form.cleaned_data["result"],
                now=timezone.now(),
            ),
        )
        if saved:
            messages.success(request, f"Action A{action.pk} is complete.")
            return redirect("tasking:action-detail", pk=action.pk)
    return _step(request, action, form, "complete")


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def action_due_date(request, pk: int):
    action = _action(request, pk)
    _authorise_update(request, action)
    form = DueDateForm(request.POST or None, initial=versioned_initial(action, "due_on"))
    if request.method == "POST" and form.is_valid():
        saved = save_with_version(
            form,
            lambda version: services.change_due_date(
                request,
                action,
                expected_version=version,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            ),
        )
        if saved:
            messages.success(request, "The due date has been changed.")
            return redirect("tasking:action-detail", pk=action.pk)
    return _step(request, action, form, "due_date")


@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def notifications(request):
    """The user's notifications, new ones marked. Opening the page changes nothing: marking
    them read is a POST (notifications_read), so a prefetch or link preview cannot."""
    notes = visible(request.user, Notification.objects.select_related("action"))
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page.object_list if n.read_at is None]
    return render(
        request,
        "tasking/notifications.html",
        {"page_obj": page, "querystring": "", "unread": set(unread)},
    )


@require_POST
@requires(Cap.VIEW_TASKING, Cap.TAKE_ACTIONS)
def notifications_read(request):
    """Mark the notifications shown (the user's own only) as read."""
    ids = [int(v) for v in request.POST.getlist("notification") if v.isdigit()]
    mine = visible(request.user, Notification.objects.filter(pk__in=ids, read_at__isnull=True))
    count = Notification.objects.filter(pk__in=mine.values("pk")).update(read_at=timezone.now())
    if count:
        messages.success(request, f"{count} notification{pluralize(count)} marked as read.")
    return redirect("tasking:notifications")


@requires(Cap.CHAIR_TASKING)
def routes(request):
    """Chairs set, per meeting type, the days between escalation levels and reminders."""
    for meeting_type in MeetingType.values:
        EscalationRoute.objects.get_or_create(meeting_type=meeting_type)
    chosen = request.POST.get("route", "")
    rows = []
    for route in EscalationRoute.objects.order_by("meeting_type"):
        bound = request.method == "POST" and chosen == route.meeting_type
        form = RouteForm(
            request.POST if bound else None,
            prefix=route.meeting_type,
            initial=versioned_initial(route, "interval_days", "reminder_days_before"),
        )
        if (
            bound
            and form.is_valid()
            and save_with_version(
                form,
                lambda version, route=route, form=form: services.set_route(
                    request,
                    route,
                    expected_version=version,
                    interval_days=form.cleaned_data["interval_days"],
                    reminder_days_before=form.cleaned_data["reminder_days_before"],
                ),
            )
        ):
            messages.success(request, f"The {route.get_meeting_type_display()} route is saved.")
            return redirect("tasking:routes")
        rows.append((route, form))
    return render(request, "tasking/routes.html", {"rows": rows})


def needs_me(request) -> list[dict]:
    """For "what needs you today": the user's overdue actions and those due this week, each
    linking to "My actions" filtered to exactly those."""
    from django.urls import reverse

    mine = reverse("tasking:my-actions")
    return [
        {
            "label": "of your actions are overdue",
            "count": my_open_actions(request.user, "overdue").count(),
            "href": f"{mine}?due=overdue",
            "overdue": True,
        },
        {
            "label": "of your actions are due in the next 7 days",
            "count": my_open_actions(request.user, "week").count(),
            "href": f"{mine}?due=week",
        },
    ]


# --- Helpers --------------------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(
        request.user, Meeting.objects.select_related("series", "series__chair"), pk=pk
    )


def _item(request, pk) -> AgendaItem:
    return get_visible_or_404(
        request.user,
        AgendaItem.objects.select_related("meeting", "meeting__series"),
        pk=pk,
    )


def _action(request, pk) -> Action:
    return get_visible_or_404(
        request.user,
        Action.objects.with_escalation_level().select_related(
            "owning_agency", "owner", "meeting", "meeting__series"
        ),
        pk=pk,
    )


def _authorise_chair(request, meeting: Meeting) -> None:
    # A chair of another meeting sees this one but cannot run it: 404, like a hidden record.
    if not can(request.user, "chair", meeting):
        raise Http404


def _authorise_update(request, action: Action) -> None:
    if not can(request.user, "update", action) or not action.is_open:
        raise Http404


def _text_for(user, item: AgendaItem) -> dict:
    """What this user may read of an item: the full summary only with the right to it, nothing
    but that it exists when it is handling code C and the user is outside its conditions."""
    if not reads_conditioned_item(user, item):
        return {"full": False, "read": False, "summary": ""}
    full = can(user, "view_full", item)
    return {
        "full": full,
        "read": True,
        "summary": item.full_summary if full and item.full_summary else item.partner_summary,
    }


def _source_link(user, item: AgendaItem) -> str:
    """The address of the record that put the item on the agenda, if this user may open it."""
    source = item.source if item.source_type_id else None
    if source is None or isinstance(source, AgendaItem) or not can(user, "view", source):
        return ""
    return source_url(source)


def _filtered_schedule(request):
    params = {k: v for k, v in request.GET.items() if k != "page"}
    actions, form = schedule_for(request.user, params)
    for errors in form.errors.values() if params else ():
        for error in errors:
            messages.error(request, error)
    return actions, form


# "Due" on an action list: all, those past their due date, or those due in the next 7 days.
DUE_FILTERS = {"overdue": "overdue", "week": "due in the next 7 days"}


def due_filtered(actions, due: str, *, today):
    """Open or any actions narrowed by `due` (a key of DUE_FILTERS, or "" for all)."""
    if due == "overdue":
        return actions.filter(due_on__lt=today)
    if due == "week":
        return actions.filter(due_on__gte=today, due_on__lte=today + timedelta(days=7))
    return actions


def my_open_actions(user, due: str = ""):
    """The user's open actions as the "My actions" list shows them, for the list and for the
    home page's counts alike."""
    mine = visible(user, Action.objects.filter(owner=user, status=ActionStatus.OPEN))
    return due_filtered(mine, due, today=timezone.localdate())


def _action_list(request, actions, title, lead):
    status = request.GET.get("status", "open")
    if status not in ("open", "completed", "all"):
        messages.error(request, "Status is open, completed or all")
        status = "open"
    due = request.GET.get("due", "")
    if due and due not in DUE_FILTERS:
        messages.error(request, "Due: choose overdue or due in the next 7 days, or leave it out")
        due = ""
    actions = visible(
        request.user,
        actions.with_escalation_level().select_related(
            "owning_agency", "owner", "meeting", "meeting__series"
        ),
    )
    if status != "all":
        actions = actions.filter(status=status)
    actions = due_filtered(actions, due, today=timezone.localdate())
    page = Paginator(actions.order_by("due_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(request, Action, len(page.object_list), list=title, status=status, due=due)
    return render(
        request,
        "tasking/action_list.html",
        {
            "page_obj": page,
            "title": title,
            "lead": lead,
            "status": status,
            "due": DUE_FILTERS.get(due, ""),
            "total": page.paginator.count,
            "querystring": f"status={status}" + (f"&due={due}" if due else ""),
            "wide": True,
            "today": timezone.localdate(),
        },
    )


def _step(request, action, form, step):
    title, button = {
        "update": ("Add an update", "Add the update"),
        "complete": ("Complete the action", "Complete the action"),
        "due_date": ("Change the due date", "Change the due date"),
    }[step]
    return form_page(
        request,
        form,
        title,
        button,
        _url("tasking:action-detail", action.pk),
        "Back to the action",
        caption=f"Action A{action.pk}: {action.title}",
    )


def form_page(request, form, title, button, back_url, back_text, **extra):
    """A one-form page: error summary, heading, the form and its button."""
    context = {
        "form": form,
        "title": title,
        "button": button,
        "back_url": back_url,
        "back_text": back_text,
        **extra,
    }
    return render(request, "tasking/form_page.html", context)


def _filters(request) -> dict:
    return {k: v[:50] for k, v in request.GET.items() if k != "page"}


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
