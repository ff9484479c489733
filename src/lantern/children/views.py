"""Pages for children's records: thin views that parse, authorise, call a service, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from lantern.accounts.access import (
    Cap,
    child_access_level,
    children_opened_to,
    existence_only_q,
    filter_children_in_full,
    get_full_child_or_404,
    get_visible_or_404,
    has_capability,
    order_children_in_full,
    requires,
    signed_in,
    visible,
)
from lantern.audit.models import AuditAction
from lantern.audit.services import entries_for, record_list, record_read
from lantern.children import forms, services
from lantern.children.models import (
    Alert,
    Allocation,
    Child,
    Contact,
    ContactDecision,
    Episode,
    MaceDiscussion,
    MissingEpisode,
    Referral,
    Service,
    ServiceReferral,
)
from lantern.core.editing import save_with_version
from lantern.core.errors import LanternError
from lantern.intake.models import Submission
from lantern.risk.chart import risk_chart
from lantern.risk.levels import RiskLevel, level_label
from lantern.risk.models import RiskAssessment
from lantern.tasking.models import Action, AgendaItem

# --- The caseload and the child ----------------------------------------------------------------


@requires(Cap.VIEW_CHILDREN)
def child_list(request):
    """The caseload: children with an open episode by default, filterable, 50 a page."""
    today = timezone.localdate()
    children = caseload(request.user, request.GET, today)
    opened = set(children_opened_to(request.user))
    existence_only = children.filter(existence_only_q(request.user)).count()
    ordered = order_children_in_full(request.user, children, "last_name", "first_name")
    page = Paginator(ordered, 50).get_page(request.GET.get("page"))
    rows = _caseload_rows(list(page.object_list), today, opened)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    record_list(request, Child, len(rows), filters=dict(request.GET.items()))
    return render(
        request,
        "children/child_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "full_count": page.paginator.count - existence_only,
            "existence_only": existence_only,
            "q": request.GET.get("q", "").strip()[:100],
            "status": request.GET.get("status", "open"),
            "level": request.GET.get("level", ""),
            "levels": RiskLevel.choices,
            "querystring": querystring.urlencode(),
            "wide": True,
        },
    )


@requires(Cap.MANAGE_CHILDREN)
def child_create(request):
    form = forms.ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            child = services.create_child(request, now=timezone.now(), **data)
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"{child.full_name}'s record has been added.")
            return redirect("children:child-detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "creating": True})


@requires(Cap.MANAGE_CHILDREN)
def child_edit(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.ChildForm(request.POST or None, instance=child, initial={"version": child.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved = save_with_version(
            form,
            lambda version: services.update_child(
                request,
                Child.objects.get(pk=pk),
                expected_version=version,
                now=timezone.now(),
                **data,
            ),
        )
        if saved:
            messages.success(request, "The child's details have been saved.")
            return redirect("children:child-detail", pk=pk)
    else:
        record_read(request, child)
    return render(request, "children/child_form.html", {"form": form, "child": child})


@signed_in
def child_detail(request, pk: int):
    """A child's record: details, flags, workers, risk over time and the chronology. A partner
    agency the child was shared with sees the shared summary only."""
    child = get_visible_or_404(request.user, Child.objects.select_related("ward"), pk=pk)
    access = child_access_level(request.user, child)
    if access == "restricted":
        record_read(request, child, reason="restricted record: existence only")
        return render(
            request,
            "children/child_restricted.html",
            {"child": child, "form": forms.BreakGlassForm()},
        )
    today = timezone.localdate()
    allocations = child.allocations.filter(ended_on__isnull=True).select_related("worker")
    context = {
        "child": child,
        "age": child.age_on(today),
        "allocations": allocations,
        "approaching_18": services.approaching_eighteen(child, today),
        "can_manage": _has(request.user, Cap.MANAGE_CHILDREN),
    }
    if access != "full":
        # A partner sees the summary shared with their agency; a meeting member (either way)
        # sees what the meetings with the child on their agenda discuss, while they last.
        briefs = services.meeting_briefs(request.user, child, today)
        meetings = "; ".join(str(b["meeting"]) for b in briefs)
        reasons = (["shared with agency"] if access == "shared" else []) + (
            [f"meeting member: {meetings}"] if briefs else []
        )
        record_read(request, child, reason=", ".join(reasons)[:500])
        context.update(briefs=briefs, shared=access == "shared")
        return render(request, "children/child_shared.html", context)
    record_read(request, child)
    points = services.risk_points(child)
    context.update(
        mace_meetings=_mace_meetings_of(request.user, child) if context["can_manage"] else [],
    )
    context.update(
        episodes=child.episodes.select_related("exit_interview"),
        open_episode=child.episodes.filter(closed_on__isnull=True).first(),
        points=bool(points),
        risk_rows=format_html_join(
            "\n",
            '<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>'
            '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>',
            (
                (f"{day.day} {day:%B %Y}", what, level_label(level))
                for day, what, level in reversed(points)
            ),
        ),
        chart=risk_chart(points),
        chronology=chronology_rows(
            chronology(child, user=request.user, can_manage=context["can_manage"])
        ),
        shares=child.shares.select_related("agency"),
        viewers=entries_for(child).filter(action=AuditAction.READ)[:20],
        pending_contacts=child.contacts.filter(decision=ContactDecision.PENDING),
        open_referrals=child.referrals.filter(assessment_completed_on__isnull=True),
    )
    return render(request, "children/child_detail.html", context)


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    text: str
    href: str = ""


def chronology(child: Child, *, user, can_manage: bool = True) -> list[Event]:
    """Everything linked to the child, newest first: one query per kind of record. Links to
    pages that change a record are left out for those who may not change it. Records of other
    apps (intake submissions behind the child's contacts, agenda items, tasking actions) are
    filtered by the user's own access to them."""
    contact_url = _url_for("children:contact-decide") if can_manage else _no_url
    assessment_url = _url_for("risk:assessment-detail")
    mace_url = _url_for("children:mace-detail")
    missing_url = _url_for("children:missing-detail")
    service_url = _url_for("children:service-referral-update") if can_manage else _no_url
    events: list[Event] = []
    contacts = list(child.contacts.all())
    for c in contacts:
        pending = c.decision == ContactDecision.PENDING
        text = f"From {c.source}: {c.get_decision_display().lower()}"
        events.append(Event(c.received_on, "Contact", text, contact_url(c.pk) if pending else ""))
    for r in child.referrals.all():
        events.append(Event(r.referred_on, "Referral", r.get_threshold_display()))
        if r.assessment_completed_on:
            events.append(
                Event(r.assessment_completed_on, "Assessment completed", r.assessment_outcome[:120])
            )
    for a in RiskAssessment.objects.filter(child=child).select_related("version__tool"):
        judgement = (
            " (professional judgement waiting for approval)"
            if a.override_pending
            else " (professional judgement)"
            if a.level != a.shown_computed_level
            else ""
        )
        unknown = f" ({a.not_known_count} indicators not known)" if a.not_known_count else ""
        text = f"{a.version.tool.name}: {a.get_level_display()}{judgement}{unknown}"
        events.append(Event(a.assessed_on, "Risk assessment", text, assessment_url(a.pk)))
    discussions = list(child.mace_discussions.all())
    for d in discussions:
        text = f"Agreed level: {d.get_agreed_level_display()}"
        events.append(Event(d.held_on, "MACE", text, mace_url(d.pk)))
    missing = list(child.missing_episodes.all())
    for m in missing:
        text = f"Risk {m.get_risk_level_display().lower()}; {m.duration_text}"
        events.append(
            Event(
                timezone.localtime(m.reported_at).date(), "Missing episode", text, missing_url(m.pk)
            )
        )
    service_referrals = list(child.service_referrals.select_related("service"))
    for s in service_referrals:
        text = f"{s.service.name}: {s.get_status_display().lower()}"
        events.append(Event(s.referred_on, "Service referral", text, service_url(s.pk)))
    events += _linked_elsewhere(user, child, contacts, discussions, missing, service_referrals)
    for al in child.allocations.select_related("worker"):
        events.append(Event(al.started_on, "Allocation", f"{al.worker} ({al.get_role_display()})"))
    for e in child.episodes.all():
        events.append(Event(e.opened_on, "Episode opened", e.get_cse_role_display()))
        if e.closed_on:
            events.append(Event(e.closed_on, "Episode closed", e.closure_reason[:120]))
    events.sort(key=lambda e: e.day, reverse=True)
    return events


def _linked_elsewhere(user, child, contacts, discussions, missing, service_referrals):
    """Chronology events from other apps, each list filtered by the user's access: the intake
    submissions the child's contacts came from, the agendas the child (or one of their missing
    episodes) was put on, and the tasking actions that answer the child's records."""
    events: list[Event] = []
    tz = timezone.get_current_timezone()
    references = {c.intake_reference for c in contacts if c.intake_reference}
    if references:
        submission_url = _url_for_str("intake:detail")
        for sub in visible(user, Submission.objects.filter(reference__in=references)):
            events.append(
                Event(
                    sub.received_at.astimezone(tz).date(),
                    "Submission",
                    f"{sub.reference}: {sub.get_route_display()}, {sub.get_status_display()}",
                    submission_url(sub.reference),
                )
            )
    ct = ContentType.objects.get_for_models(
        Child, MissingEpisode, MaceDiscussion, ServiceReferral, AgendaItem
    )
    missing_ids = [str(m.pk) for m in missing]
    item_q = Q(source_type=ct[Child], source_id=str(child.pk))
    if missing_ids:
        item_q |= Q(source_type=ct[MissingEpisode], source_id__in=missing_ids)
    items = list(visible(user, AgendaItem.objects.filter(item_q).select_related("meeting__series")))
    meeting_url = _url_for("tasking:meeting-detail")
    for item in items:
        events.append(
            Event(
                item.meeting.held_on,
                "On an agenda",
                f"{item.meeting}: {item.title}",
                meeting_url(item.meeting_id),
            )
        )
    origins = Q(origin_type=ct[Child], origin_id=str(child.pk))
    for model, records in (
        (MissingEpisode, missing),
        (MaceDiscussion, discussions),
        (ServiceReferral, service_referrals),
        (AgendaItem, items),
    ):
        if records:
            origins |= Q(origin_type=ct[model], origin_id__in=[str(r.pk) for r in records])
    action_url = _url_for("tasking:action-detail")
    for action in visible(user, Action.objects.filter(origins).select_related("owning_agency")):
        events.append(
            Event(
                action.created_at.astimezone(tz).date(),
                "Action",
                f"{action.title} ({action.owning_agency}, due {action.due_on:%-d %b %Y}): "
                f"{action.get_status_display().lower()}",
                action_url(action.pk),
            )
        )
    return events


def chronology_rows(events: list[Event]) -> str:
    """The chronology's table rows as escaped HTML: built here rather than in a template loop
    because a long chronology (hundreds of events) is the slowest part of the page."""
    return format_html_join(
        "\n",
        '<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>',
        (
            (
                f"{e.day.day} {e.day:%b %Y}",
                format_html('<a class="govuk-link" href="{}">{}</a>', e.href, e.kind)
                if e.href
                else e.kind,
                e.text,
            )
            for e in events
        ),
    )


def _no_url(pk: int) -> str:
    return ""


def _url_for_str(name: str):
    """As _url_for, for a URL whose argument is a string (a submission's reference)."""
    marker = "ZZMARKERZZ"
    pattern = reverse(name, args=[marker]).replace(marker, "{}")
    return pattern.format


def _url_for(name: str):
    """A fast URL maker for one detail page: reverse once, then fill in each record's id."""
    marker = 987654321
    pattern = reverse(name, args=[marker]).replace(str(marker), "{}")
    return pattern.format


@requires(Cap.VIEW_CHILDREN)
def break_glass(request, pk: int):
    """Open a restricted record: a reason, for a limited time, audited, owners alerted."""
    child = get_visible_or_404(request.user, Child.objects.all(), pk=pk)
    if child_access_level(request.user, child) == "full":
        return redirect("children:child-detail", pk=pk)
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass(
                request, child, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, "You have access to this record for one hour.")
            return redirect("children:child-detail", pk=pk)
    return render(request, "children/child_restricted.html", {"child": child, "form": form})


# --- Episodes, allocation, sharing -------------------------------------------------------------


@requires(Cap.MANAGE_CHILDREN)
def episode_open(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.EpisodeOpenForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    return _child_form(
        request,
        child,
        form,
        title="Open an episode",
        button="Open episode",
        save=lambda d: services.open_episode(request, child, **d),
        done="The episode has been opened.",
    )


@requires(Cap.MANAGE_CHILDREN)
def episode_close(request, pk: int):
    episode = get_visible_or_404(request.user, Episode.objects.select_related("child"), pk=pk)
    form = forms.EpisodeCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    return _child_form(
        request,
        episode.child,
        form,
        title="Close the episode and record the exit interview",
        button="Close episode",
        save=lambda d: services.close_episode(request, episode, **d),
        done="The episode has been closed.",
    )


@requires(Cap.MANAGE_CHILDREN)
def allocate(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.AllocationForm(request.POST or None, initial={"started_on": timezone.localdate()})
    return _child_form(
        request,
        child,
        form,
        title="Allocate a worker",
        button="Allocate",
        save=lambda d: services.allocate_worker(request, child, **d),
        done="The worker has been allocated.",
    )


@requires(Cap.MANAGE_CHILDREN)
def share(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.ShareForm(request.POST or None, initial={"shared_on": timezone.localdate()})
    return _child_form(
        request,
        child,
        form,
        title="Share with a partner agency",
        button="Share",
        save=lambda d: services.share_with_agency(request, child, **d),
        done="The record has been shared.",
        hint="The agency will see the child's name, age, current level and allocated workers. "
        "Nothing else is shared.",
    )


# --- Contacts and referrals --------------------------------------------------------------------


@requires(Cap.MANAGE_CHILDREN)
def contact_create(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.ContactForm(
        request.POST or None,
        initial={"received_on": timezone.localdate(), "about_cse": True, "route": "direct"},
    )
    return _child_form(
        request,
        child,
        form,
        title="Record a contact",
        button="Save contact",
        save=lambda d: services.record_contact(request, child, today=timezone.localdate(), **d),
        done="The contact has been recorded.",
    )


@requires(Cap.MANAGE_CHILDREN)
def contact_decide(request, pk: int):
    contact = get_visible_or_404(request.user, Contact.objects.select_related("child"), pk=pk)
    form = forms.ContactDecisionForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate(), "version": contact.version},
    )
    return _child_form(
        request,
        contact.child,
        form,
        title="Decide what happens to the contact",
        button="Save decision",
        save=lambda d: services.decide_contact(
            request,
            Contact.objects.get(pk=pk),
            decision=d["decision"],
            threshold=d["threshold"],
            decided_on=d["decided_on"],
            expected_version=d["version"] or 0,
        ),
        done="The decision has been recorded.",
        hint=f"Contact received {contact.received_on:%d %B %Y} from {contact.source}: "
        f"{contact.summary}",
    )


@requires(Cap.MANAGE_CHILDREN)
def referral_assessment(request, pk: int):
    referral = get_visible_or_404(request.user, Referral.objects.select_related("child"), pk=pk)
    form = forms.AssessmentCompleteForm(
        request.POST or None,
        initial={"completed_on": timezone.localdate(), "version": referral.version},
    )
    return _child_form(
        request,
        referral.child,
        form,
        title="Record the completed assessment",
        button="Save",
        save=lambda d: services.complete_assessment(
            request,
            Referral.objects.get(pk=pk),
            completed_on=d["completed_on"],
            outcome=d["outcome"],
            expected_version=d["version"] or 0,
        ),
        done="The assessment has been recorded as complete.",
    )


# --- MACE ------------------------------------------------------------------------------------


@requires(Cap.MANAGE_CHILDREN)
def mace_create(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    meeting = _mace_meeting_for(request, child)
    form = forms.MaceDiscussionForm(
        request.POST or None,
        initial={"held_on": meeting.held_on if meeting else timezone.localdate()},
        members=meeting.series.members.filter(is_active=True).order_by("full_name", "username")
        if meeting
        else None,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            discussion = services.record_mace_discussion(
                request,
                child,
                meeting=meeting,
                attendees=d.get("attendees") or (),
                guests=d.get("guests", ""),
                held_on=d["held_on"],
                chair=d["chair"],
                opinions=d["opinions"],
                agreed_level=d["agreed_level"],
                review_on=d["review_on"]
                or services.default_review_date(d["agreed_level"], d["held_on"]),
                summary=d["summary"],
                now=timezone.now(),
            )
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, "The MACE discussion has been recorded. Now choose the outcomes."
            )
            return redirect("children:mace-detail", pk=discussion.pk)
    else:
        record_read(request, child)
    return render(
        request,
        "children/mace_form.html",
        {"child": child, "form": form, "rows": _mace_rows(form), "meeting": meeting},
    )


def _mace_meetings_of(user, child) -> list:
    """The MACE meetings (newest first, at most three) with this child on the agenda, that the
    user may see: where a discussion can be recorded with its attendees."""
    from django.contrib.contenttypes.models import ContentType

    from lantern.tasking.models import Meeting, MeetingType

    meetings = visible(user, Meeting.objects.select_related("series")).filter(
        series__meeting_type=MeetingType.MACE,
        items__source_type=ContentType.objects.get_for_model(Child),
        items__source_id=str(child.pk),
    )
    return list(meetings.distinct().order_by("-held_on")[:3])


def _mace_meeting_for(request, child):
    """The MACE meeting named by ?meeting=, if the user may see it and the child is on its
    agenda; a meeting that is not (or a bad value) is a 404, never a guess."""
    raw = request.GET.get("meeting")
    if not raw:
        return None
    from django.contrib.contenttypes.models import ContentType

    from lantern.tasking.models import Meeting, MeetingType

    if not raw.isdigit():
        raise Http404
    return get_visible_or_404(
        request.user,
        Meeting.objects.select_related("series").filter(
            series__meeting_type=MeetingType.MACE,
            items__source_type=ContentType.objects.get_for_model(Child),
            items__source_id=str(child.pk),
        ),
        pk=int(raw),
    )


@signed_in
def mace_detail(request, pk: int):
    discussion = get_visible_or_404(
        request.user, MaceDiscussion.objects.select_related("child", "chair"), pk=pk
    )
    suggested = services.suggested_outcomes(discussion.agreed_level)
    form = forms.MaceOutcomesForm(request.POST or None, initial={"outcomes": suggested})
    if request.method == "POST":
        if not _has(request.user, Cap.MANAGE_CHILDREN):
            raise PermissionDenied
        if form.is_valid():
            try:
                discussion = services.apply_mace_outcomes(
                    request,
                    discussion,
                    outcomes=form.cleaned_data["outcomes"],
                    specialist=form.cleaned_data["specialist"],
                    now=timezone.now(),
                )
            except LanternError as error:
                _add_error(form, error)
            else:
                messages.success(request, "The outcomes have been recorded.")
                for note in discussion.skipped_actions:
                    messages.warning(request, note)
                return redirect("children:child-detail", pk=discussion.child_id)
    else:
        record_read(request, discussion)
    return render(
        request,
        "children/mace_detail.html",
        {
            "discussion": discussion,
            "child": discussion.child,
            "opinions": discussion.opinions.all(),
            "suggested": suggested,
            "form": form,
            "can_manage": _has(request.user, Cap.MANAGE_CHILDREN),
            "allocations": discussion.child.allocations.filter(mace_discussion=discussion),
            "actions": visible(request.user, services.mace_actions(discussion)),
            "service_referrals": ServiceReferral.objects.filter(
                mace_discussion=discussion
            ).select_related("service"),
        },
    )


def caseload(user, params, today) -> QuerySet:
    """The caseload list's children for these filters (also the home panel's counts, so a
    count is always the length of the list it links to). Filters apply to the children the
    reader may see in full; a restricted record outside their circle is in every result."""
    children = visible(user, Child.objects.all())
    query = params.get("q", "").strip()[:100]
    status = params.get("status", "open")
    level = params.get("level", "")
    condition = Q()
    if query:
        condition &= (
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(known_as__icontains=query)
            | Q(reference__iexact=query)
        )
    if status == "open":
        condition &= services.has_open_episode_q()
    elif status == "closed":
        condition &= ~services.has_open_episode_q()
    elif status == "approaching_18":
        condition &= services.approaching_eighteen_q(today)
    if level in RiskLevel.values:
        condition &= Q(current_level=level)
    if params.get("allocated") == "me":
        condition &= Q(
            pk__in=Allocation.objects.filter(worker=user, ended_on__isnull=True).values("child_id")
        )
    return filter_children_in_full(user, children, condition)


@requires(Cap.VIEW_CHILDREN)
def mace_due(request):
    """Children whose MACE review is due in the next fortnight, or overdue in the last month."""
    today = timezone.localdate()
    children = [{"child": c, "hidden": False} for c in mace_reviews_due(request.user, today)]
    record_list(request, Child, len(children), page="mace reviews due")
    return render(request, "children/mace_due.html", {"children": children, "today": today})


def mace_reviews_due(user, today) -> list[Child]:
    """The MACE reviews due list, and its count on the home page: due in the next fortnight or
    overdue in the last four weeks, without restricted records outside the reader's circle
    (being listed would tell that a review is due; their allocated workers bring them)."""
    children = services.mace_agenda_candidates(
        today - timedelta(days=28),
        today + timedelta(days=14),
    )
    shown = set(
        visible(user, Child.objects.all())
        .exclude(existence_only_q(user))
        .values_list("pk", flat=True)
    )
    return [c for c in children if c.pk in shown]


# --- Missing episodes --------------------------------------------------------------------------


@requires(Cap.MANAGE_CHILDREN)
def missing_create(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.MissingEpisodeForm(request.POST or None, initial={"cse_related": True})
    return _child_form(
        request,
        child,
        form,
        title="Record a missing episode",
        button="Save missing episode",
        save=lambda d: services.record_missing_episode(request, child, now=timezone.now(), **d),
        done="The missing episode has been recorded.",
    )


@signed_in
def missing_detail(request, pk: int):
    episode = get_visible_or_404(
        request.user, MissingEpisode.objects.select_related("child"), pk=pk
    )
    record_read(request, episode)
    return render(
        request,
        "children/missing_detail.html",
        {
            "episode": episode,
            "child": episode.child,
            "interview": getattr(episode, "return_interview", None),
            "can_manage": _has(request.user, Cap.MANAGE_CHILDREN),
            "alerts": episode.alerts.all(),
        },
    )


@requires(Cap.MANAGE_CHILDREN)
def missing_found(request, pk: int):
    episode = get_visible_or_404(
        request.user, MissingEpisode.objects.select_related("child"), pk=pk
    )
    form = forms.FoundForm(request.POST or None, initial={"version": episode.version})
    return _child_form(
        request,
        episode.child,
        form,
        title="Record that the child has been found",
        button="Save",
        save=lambda d: services.record_found(
            request,
            MissingEpisode.objects.get(pk=pk),
            found_at=d["found_at"],
            where_found=d["where_found"],
            now=timezone.now(),
            expected_version=d["version"] or 0,
        ),
        done="The child has been recorded as found.",
        hint=f"Reported missing {timezone.localtime(episode.reported_at):%d %B %Y %H:%M}.",
        next_url=reverse("children:missing-detail", args=[pk]),
    )


@requires(Cap.MANAGE_CHILDREN)
def return_interview(request, pk: int):
    episode = get_visible_or_404(
        request.user, MissingEpisode.objects.select_related("child"), pk=pk
    )
    form = forms.ReturnInterviewForm(request.POST or None)
    due = episode.interview_due_by
    return _child_form(
        request,
        episode.child,
        form,
        title="Record the return home interview",
        button="Save",
        save=lambda d: services.record_return_interview(request, episode, now=timezone.now(), **d),
        done="The return home interview has been recorded.",
        hint=(
            f"Offer it by {timezone.localtime(due):%d %B %Y %H:%M} (72 hours after return)."
            if due
            else "The child has not been recorded as found yet."
        ),
        next_url=reverse("children:missing-detail", args=[pk]),
    )


# --- Services ----------------------------------------------------------------------------------


@signed_in
def service_list(request):
    services_ = visible(request.user, Service.objects.filter(is_active=True))
    return render(request, "children/service_list.html", {"services": services_})


@requires(Cap.MANAGE_CHILDREN)
def service_referral_create(request, pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=pk)
    form = forms.ServiceReferralForm(
        request.POST or None, initial={"referred_on": timezone.localdate()}
    )
    return _child_form(
        request,
        child,
        form,
        title="Refer to a service",
        button="Refer",
        save=lambda d: services.refer_to_service(request, child, **d),
        done="The referral has been recorded.",
    )


@requires(Cap.MANAGE_CHILDREN)
def service_referral_update(request, pk: int):
    referral = get_visible_or_404(
        request.user, ServiceReferral.objects.select_related("child", "service"), pk=pk
    )
    form = forms.ServiceReferralUpdateForm(
        request.POST or None,
        initial={"status": referral.status, "notes": referral.notes, "version": referral.version},
    )
    return _child_form(
        request,
        referral.child,
        form,
        title=f"Referral to {referral.service.name}",
        button="Save",
        save=lambda d: services.update_service_referral(
            request,
            ServiceReferral.objects.get(pk=pk),
            status=d["status"],
            notes=d["notes"],
            expected_version=d["version"] or 0,
        ),
        done="The referral has been updated.",
        hint=f"Referred on {referral.referred_on:%d %B %Y}.",
    )


@requires(Cap.VIEW_CHILDREN)
def alert_list(request):
    days = request.GET.get("days", "")
    alerts = (
        recent_alerts(request.user, timezone.now(), int(days))
        if days.isdigit() and 0 < int(days) <= 366
        else visible(request.user, Alert.objects.all())
    ).select_related("child")[:100]
    record_list(request, Alert, len(alerts))
    return render(request, "children/alert_list.html", {"alerts": alerts})


# --- Helpers -----------------------------------------------------------------------------------


def _child_form(request, child, form, *, title, button, save, done, hint="", next_url=""):
    """One question page about a child: on a valid POST call `save(cleaned_data)`; a refusal
    is shown by its field, and the user's input is kept."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, done)
            return redirect(next_url or reverse("children:child-detail", args=[child.pk]))
    else:
        record_read(request, child)
    return render(
        request,
        "children/child_sub_form.html",
        {"child": child, "form": form, "title": title, "button": button, "hint": hint},
    )


def _add_error(form, error: LanternError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def _has(user, capability: str) -> bool:
    return has_capability(user, capability)


def _mace_rows(form) -> list[tuple]:
    return [
        (row, form[f"attendee_{row}"], form[f"agency_{row}"], form[f"level_{row}"])
        for row in range(1, forms.MACE_ATTENDEE_ROWS + 1)
    ]


def _caseload_rows(children: list[Child], today: date, opened: set[int]) -> list[dict]:
    """The caseload page's rows, with open episodes and workers fetched in two queries."""
    ids = [c.pk for c in children]
    open_episodes = {
        e.child_id: e for e in Episode.objects.filter(child_id__in=ids, closed_on__isnull=True)
    }
    workers: dict[int, list[str]] = {}
    for a in Allocation.objects.filter(child_id__in=ids, ended_on__isnull=True).select_related(
        "worker"
    ):
        workers.setdefault(a.child_id, []).append(str(a.worker))
    rows = []
    for child in children:
        episode = open_episodes.get(child.pk)
        birthday = child.eighteenth_birthday()
        rows.append(
            {
                "child": child,
                "age": child.age_on(today),
                "episode": episode,
                "workers": workers.get(child.pk, []),
                "hidden": child.restricted and child.pk not in opened,
                "approaching_18": bool(episode)
                and today <= birthday <= today + timedelta(days=183),
            }
        )
    return rows


MY_CASELOAD = {"allocated": "me", "status": "all"}  # the home panel's "Caseload" link
RECENT_ALERT_DAYS = 7


def recent_alerts(user, now, days: int) -> QuerySet:
    """Alerts this user may see raised in the last `days` days: the list and its home count."""
    return visible(user, Alert.objects.filter(raised_at__gte=now - timedelta(days=days)))


def home_panel(request) -> dict:
    """What a CSE team member sees first: their children, interviews due, reviews due, alerts."""
    today = timezone.localdate()
    now = timezone.now()
    # The list's own count ("full_count"): restricted records outside one's circle are not
    # counted there either.
    mine = caseload(request.user, MY_CASELOAD, today).exclude(existence_only_q(request.user))
    mine = mine.count()
    interviews_due = MissingEpisode.objects.filter(
        found_at__isnull=False,
        found_at__gte=now - timedelta(hours=services.RETURN_INTERVIEW_HOURS),
        return_interview__isnull=True,
    ).count()
    reviews_due = len(mace_reviews_due(request.user, today))  # the same query as its list
    alerts = recent_alerts(request.user, now, RECENT_ALERT_DAYS).count()
    return {
        "my_children": mine,
        "interviews_due": interviews_due,
        "reviews_due": reviews_due,
        "recent_alerts": alerts,
    }
