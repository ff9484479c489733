"""Performance pages: thin views that parse, authorise, call a service or report, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from lantern.accounts.access import (
    PERFORMANCE_READERS,
    Cap,
    authorise,
    get_visible_or_404,
    has_capability,
    public,
    requires,
    visible,
)
from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_list, record_read
from lantern.core.errors import LanternError
from lantern.core.periods import Period, UnknownPeriod, month_of, quarter_of
from lantern.performance import exports, registry, reports, services, summary
from lantern.performance.forms import (
    CaseStudyForm,
    ChooseStoryForm,
    FiguresForm,
    FinanceLineForm,
    ForwardPlanForm,
    MeasureForm,
    MonthForm,
    ObjectiveUpdateForm,
    PeriodForm,
    QuarterForm,
    RequestFiguresForm,
    YearForm,
)
from lantern.performance.models import (
    PRIORITY_ORDER,
    CaseStudy,
    FiguresRequest,
    Kind,
    Measure,
    MeasureValue,
    ObjectiveUpdate,
    Priority,
    PublishedReport,
)

CATALOGUE_READERS = (*PERFORMANCE_READERS, Cap.MANAGE_USERS)
LIVE_SUMMARY = (Cap.MANAGE_PERFORMANCE, Cap.VIEW_RESTRICTED_REPORTS)
PUBLISHED = (Cap.MANAGE_PERFORMANCE, Cap.VIEW_REPORTS)
WRITERS = (Cap.MANAGE_PERFORMANCE, Cap.MANAGE_PLAN)


@requires(*PERFORMANCE_READERS)
def index(request):
    user = request.user
    can = {
        "manage": has_capability(user, Cap.MANAGE_PERFORMANCE),
        "reports": has_capability(user, Cap.VIEW_REPORTS),
        "figures": has_capability(user, Cap.ENTER_FIGURES),
        "restricted": has_capability(user, Cap.VIEW_RESTRICTED_REPORTS),
        "write": any(has_capability(user, c) for c in WRITERS),
    }
    return render(
        request,
        "performance/index.html",
        {
            "can": can,
            "latest": services.latest_published() if can["reports"] or can["manage"] else None,
        },
    )


# --- the catalogue ------------------------------------------------------------------------------


@requires(*CATALOGUE_READERS)
def catalogue(request):
    services.sync_catalogue()
    measures = list(visible(request.user, Measure.objects.select_related("owner")))
    measures.sort(key=lambda m: (PRIORITY_ORDER.get(m.priority, 99), m.section, m.order, m.name))
    return render(
        request,
        "performance/catalogue.html",
        {"measures": measures, "can_manage": has_capability(request.user, Cap.MANAGE_PERFORMANCE)},
    )


@requires(*CATALOGUE_READERS)
def measure_detail(request, code: str):
    measure = get_visible_or_404(request.user, Measure.objects.select_related("owner"), code=code)
    spec = registry.computed_measure(measure.code)
    periods = [quarter_of(timezone.localdate()).shift(-i) for i in range(1, 5)]
    drill = []
    if spec is not None and spec.drilldown is not None:
        drill = [(p, _slug(p)) for p in periods if spec.drilldown(request.user, p) is not None]
    values = MeasureValue.objects.filter(measure=measure).order_by("-period")[:12]
    record_read(request, measure, reason=f"figures for {len(values)} periods")
    return render(
        request,
        "performance/measure_detail.html",
        {
            "measure": measure,
            "spec": spec,
            "drill_periods": drill,
            "values": values,
            "components": measure.components.all(),
            "can_manage": has_capability(request.user, Cap.MANAGE_PERFORMANCE),
        },
    )


@requires(*CATALOGUE_READERS)
def measure_records(request, code: str, period: str):
    """The records behind a computed figure, for a user allowed to see them; 404 otherwise."""
    measure = get_visible_or_404(request.user, Measure.objects.all(), code=code)
    spec = registry.computed_measure(measure.code)
    try:
        when = Period.parse(period.replace("-", "/", 1) if "-Q" in period else period)
    except UnknownPeriod as error:
        raise Http404 from error
    records = None if spec is None or spec.drilldown is None else spec.drilldown(request.user, when)
    if records is None:
        raise Http404
    shown = list(records[:200])
    record_list(request, records.model, len(shown), measure=measure.code, period=str(when))
    return render(
        request,
        "performance/measure_records.html",
        {"measure": measure, "period": when, "records": shown, "total": records.count()},
    )


@requires(Cap.MANAGE_PERFORMANCE)
def measure_create(request):
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        measure.code = services.new_measure_code(measure)
        try:
            services.save_measure(
                request, measure, components=list(form.cleaned_data["components"])
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{measure.name} has been added to the catalogue.")
            return redirect("performance:measure-detail", code=measure.code)
    return render(request, "performance/measure_form.html", {"form": form, "creating": True})


@requires(Cap.MANAGE_PERFORMANCE)
def measure_edit(request, code: str):
    measure = get_visible_or_404(request.user, Measure.objects.all(), code=code)
    if measure.kind == Kind.COMPUTED:
        raise Http404
    form = MeasureForm(request.POST or None, instance=measure, initial={"version": measure.version})
    if request.method == "POST" and form.is_valid():
        if (form.cleaned_data.get("version") or 0) != Measure.objects.get(pk=measure.pk).version:
            form.add_error(None, _conflict())
        else:
            services.save_measure(
                request, form.save(commit=False), components=list(form.cleaned_data["components"])
            )
            messages.success(request, "The measure has been saved.")
            return redirect("performance:measure-detail", code=code)
    return render(request, "performance/measure_form.html", {"form": form, "measure": measure})


# --- partners' figures --------------------------------------------------------------------------


@requires(Cap.ENTER_FIGURES, Cap.MANAGE_PERFORMANCE)
def figures(request):
    requested = services.requests_for_user(request.user)
    return render(
        request,
        "performance/figures.html",
        {
            "requests": requested,
            "can_manage": has_capability(request.user, Cap.MANAGE_PERFORMANCE),
        },
    )


@requires(Cap.MANAGE_PERFORMANCE)
def figures_request(request):
    form = RequestFiguresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.request_figures(
                request.user,
                agency=data["agency"],
                period=data["period"],
                due_on=data["due_on"],
                now=timezone.now(),
            )
        except LanternError as error:
            form.add_error("agency", str(error))
        else:
            messages.success(
                request, f"{made.agency} has been asked for its figures for {made.period}."
            )
            return redirect("performance:figures")
    return render(request, "performance/figures_request.html", {"form": form})


@requires(Cap.ENTER_FIGURES, Cap.MANAGE_PERFORMANCE)
def figures_enter(request, pk: int):
    asked = get_visible_or_404(request.user, FiguresRequest.objects.select_related("agency"), pk=pk)
    authorise(request.user, "enter", asked)
    measures = list(services.manual_measures_for(asked.agency))
    stored = {
        v.measure_id: v
        for v in MeasureValue.objects.filter(
            measure__in=measures, period=asked.period
        ).select_related("measure")
    }
    form = FiguresForm(request.POST or None, measures=measures, initial_values=stored)
    if request.method == "POST" and form.is_valid():
        entries = [
            services.FigureEntry(
                m,
                form.cleaned_data[f"{m.code}-value"],
                form.cleaned_data[f"{m.code}-status"],
                form.cleaned_data[f"{m.code}-note"],
            )
            for m in measures
        ]
        try:
            changed = services.enter_figures(request.user, asked, entries, now=timezone.now())
        except services.FiguresInvalid as invalid:
            for field, message in invalid.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                f"{asked.agency}'s figures for {asked.period} have been saved ({changed} changed).",
            )
            return redirect("performance:figures")
    if request.method != "POST":
        record_read(request, asked, reason="figures to enter")
    return render(request, "performance/figures_enter.html", {"asked": asked, "form": form})


# --- the data summary ---------------------------------------------------------------------------


@requires(*LIVE_SUMMARY)
def data_summary(request):
    form, period = _period_from(request)
    built = None
    if period is not None:
        built = reports.for_audience(
            summary.build_summary(period), reports.audience_for(request.user)
        )
    return render(
        request,
        "performance/data_summary.html",
        {
            "form": form,
            "summary": built,
            "legend": summary.legend(built) if built else "",
            "formats": services.DOWNLOAD_FORMATS,
            "can_publish": has_capability(request.user, Cap.MANAGE_PERFORMANCE),
            "duplicates": summary.duplicate_rows(built) if built else [],
        },
    )


@requires(*LIVE_SUMMARY)
def data_summary_download(request):
    form, period = _period_from(request)
    fmt = request.GET.get("format", "csv")
    if period is None or fmt not in services.DOWNLOAD_FORMATS:
        raise Http404
    built = reports.for_audience(summary.build_summary(period), reports.audience_for(request.user))
    data = exports.render(built, fmt)
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="performance.datasummary",
        object_id=str(period),
        object_repr=f"Data summary {period} ({fmt})",
        request=request,
    )
    return _download(data, fmt, f"data-summary-{_slug(period)}.{fmt}")


@requires(Cap.MANAGE_PERFORMANCE)
def publish(request):
    """Publish a quarter: first show what is missing and ask to confirm, then publish. The
    confirmation accepts exactly the gaps shown; if they changed meanwhile, they are shown
    again."""
    form = PeriodForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        publishable = period.kind in services.PUBLISHABLE
        gaps = services.publication_gaps(period) if publishable else []
        fingerprint = services.gaps_fingerprint(gaps)
        confirmed = (
            request.POST.get("accept_gaps") == "yes"
            and request.POST.get("gaps_fingerprint") == fingerprint
        )
        if confirmed:
            try:
                report = services.publish_report(
                    request.user, period, now=timezone.now(), accept_gaps=True
                )
            except LanternError as error:
                form.add_error("period", str(error))
            else:
                messages.success(
                    request, f"The data summary for {report.period} has been published."
                )
                return redirect("performance:published-detail", pk=report.pk)
        elif publishable and period.is_over(timezone.now()):
            context.update(checking=True, period=period, gaps=gaps, gaps_fingerprint=fingerprint)
        else:
            try:
                services.publish_report(request.user, period, now=timezone.now())
            except LanternError as error:
                form.add_error("period", str(error))
    return render(request, "performance/publish.html", context)


@requires(*PUBLISHED)
def published_list(request):
    published = visible(request.user, PublishedReport.objects.select_related("published_by"))
    return render(request, "performance/published_list.html", {"reports": published})


@requires(*PUBLISHED)
def published_detail(request, pk: int):
    report = get_visible_or_404(request.user, PublishedReport.objects.all(), pk=pk)
    built = reports.for_audience(
        summary.from_content(report.content), reports.audience_for(request.user)
    )
    return render(
        request,
        "performance/published_detail.html",
        {
            "report": report,
            "summary": built,
            "legend": summary.legend(built),
            "files": report.files.order_by("format").only("format", "sha256"),
        },
    )


@requires(*PUBLISHED)
def published_download(request, pk: int, fmt: str):
    report = get_visible_or_404(request.user, PublishedReport.objects.all(), pk=pk)
    stored = get_object_or_404(report.files, format=fmt)
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report,
        object_repr=f"{report} ({fmt})",
        request=request,
    )
    return _download(
        bytes(stored.data), fmt, f"data-summary-{_slug(report.period)}-published-{report.pk}.{fmt}"
    )


# --- the public view: published, suppressed, no sign-in -------------------------------------------


@public
def public_reports(request):
    """Every period with a published data summary, its latest publication first."""
    latest: dict[str, PublishedReport] = {}
    for report in PublishedReport.objects.only("period", "published_at", "content_hash"):
        latest.setdefault(report.period, report)
    shown = sorted(latest.values(), key=lambda r: r.published_at, reverse=True)
    return render(
        request,
        "performance/public_list.html",
        {"reports": [(r, _slug(r.period)) for r in shown]},
    )


@public
def public_report(request, period: str):
    """The latest published data summary for a period, small numbers withheld; 404 when the
    period is unknown or nothing has been published for it.

    A published report never changes, so its public tables are rendered once and kept in the
    cache under the report and its content hash.
    """
    from django.core.cache import cache
    from django.template.loader import render_to_string

    report = _published_for(period)
    key = f"lantern:public-summary:{report.pk}:{report.content_hash}"
    tables = cache.get(key)
    if tables is None:
        built = summary.suppress_for_audience(summary.from_content(report.content))
        tables = render_to_string(
            "performance/_summary_table.html",
            {"summary": built, "legend": summary.legend(built)},
        )
        cache.set(key, tables, timeout=None)
    return render(
        request,
        "performance/public_report.html",
        {
            "report": report,
            "tables": tables,
            "slug": _slug(report.period),
            "formats": [f for f in services.FORMATS if f != "html"],
        },
    )


@public
def public_report_download(request, period: str, fmt: str):
    """A published file exactly as it was published (the files are suppressed already)."""
    report = _published_for(period)
    stored = get_object_or_404(report.files, format=fmt)
    return _download(
        bytes(stored.data), fmt, f"data-summary-{_slug(report.period)}-published-{report.pk}.{fmt}"
    )


def _published_for(slug: str) -> PublishedReport:
    try:
        period = services.parse_period(slug)
    except UnknownPeriod as error:
        raise Http404 from error
    report = services.latest_published(str(period))
    if report is None:
        raise Http404
    return report


# --- reports for people -------------------------------------------------------------------------


@requires(*PUBLISHED)
def dashboard(request):
    priority = request.GET.get("priority", Priority.PREVENT)
    if priority not in Priority.values:
        priority = Priority.PREVENT
    board = reports.dashboard(priority, reports.audience_for(request.user))
    tabs = sorted(Priority.choices, key=lambda c: PRIORITY_ORDER[c[0]])
    return render(
        request,
        "performance/dashboard.html",
        {**board, "priority": Priority(priority), "tabs": tabs},
    )


@requires(*PUBLISHED, Cap.MANAGE_PLAN)
def cabinet(request):
    form, period = _period_from(request, QuarterForm)
    return render(
        request,
        "performance/cabinet.html",
        {
            "form": form,
            "period": period,
            "objectives": reports.objective_updates(period) if period else None,
            "can_write": any(has_capability(request.user, c) for c in WRITERS),
        },
    )


@requires(*WRITERS)
def cabinet_update(request):
    form = ObjectiveUpdateForm(request.POST or None, initial=_update_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_objective_update(
                request.user,
                period=data["period"],
                objective=data["objective"],
                achievements=data["achievements"].strip(),
                next_steps=data["next_steps"].strip(),
                expected_version=data["version"],
                now=timezone.now(),
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The update has been saved.")
            return redirect(f"{_url('performance:cabinet')}?period={data['period']}")
    return render(request, "performance/cabinet_update.html", {"form": form})


def _update_initial(request) -> dict:
    """What the update form starts with: the update to change (?id=), or the quarter and
    objective to write about (?period=&objective=), taking over an existing update for them."""
    if request.method != "GET":
        return {}
    query = request.GET
    existing = None
    if query.get("id", "").isdigit():
        existing = ObjectiveUpdate.objects.filter(pk=int(query["id"])).first()
    elif query.get("objective", "").isdigit():
        existing = ObjectiveUpdate.objects.filter(
            period=query.get("period", ""), objective_id=int(query["objective"])
        ).first()
    if existing is None:
        return {"period": query.get("period", ""), "objective": query.get("objective", "")}
    return {
        "period": existing.period,
        "objective": existing.objective_id,
        "achievements": existing.achievements,
        "next_steps": existing.next_steps,
        "version": existing.version,
    }


@requires(*PUBLISHED)
def cabinet_download(request):
    form, period = _period_from(request, QuarterForm)
    fmt = request.GET.get("format", "docx")
    if period is None or fmt not in ("docx", "pdf"):
        raise Http404
    report = reports.cabinet_report(period, reports.audience_for(request.user))
    data = (
        exports.render_cabinet_docx(report) if fmt == "docx" else exports.render_cabinet_pdf(report)
    )
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="performance.cabinetreport",
        object_id=str(period),
        object_repr=f"Cabinet report {period} ({fmt})",
        request=request,
    )
    return _download(data, fmt, f"cabinet-report-{_slug(period)}.{fmt}")


@requires(Cap.VIEW_RESTRICTED_REPORTS)
def briefing(request):
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["month"] if form.is_valid() else None
    if not request.GET:
        month = month_of(timezone.localdate()).previous()
        form = MonthForm(initial={"month": str(month)})
    built = reports.briefing(month, request.user) if month else {}
    for part in built.get("parts", []):
        for model, count in part.get("audit", []):
            if count:  # a list of nothing shows no one's record
                record_list(request, model, count, report="tactical briefing", period=str(month))
    return render(request, "performance/briefing.html", {"form": form, **built})


PARTNER_BRIEFING = (Cap.VIEW_RESTRICTED_REPORTS, Cap.VIEW_REPORTS, Cap.MANAGE_PLAN)


@requires(*PARTNER_BRIEFING)
def partner_briefing(request):
    """The partner-safe tactical briefing: counts and themes, nobody named. No record is
    listed, so nothing is read from anyone's record and the audit trail records the export
    of the month's briefing only."""
    form = MonthForm(request.GET or None)
    month = form.cleaned_data["month"] if form.is_valid() else None
    if not request.GET:
        month = month_of(timezone.localdate()).previous()
        form = MonthForm(initial={"month": str(month)})
    built = reports.partner_briefing(month) if month else {}
    return render(
        request,
        "performance/briefing_partner.html",
        {
            "form": form,
            **built,
            "can_see_full": has_capability(request.user, Cap.VIEW_RESTRICTED_REPORTS),
        },
    )


@requires(Cap.VIEW_RESTRICTED_REPORTS, Cap.VIEW_REPORTS)
def problem_profile(request):
    form, period = _period_from(request)
    audience = reports.audience_for(request.user)
    return render(
        request,
        "performance/problem_profile.html",
        {"form": form, **(reports.problem_profile(period, audience) if period else {})},
    )


# --- helpers ------------------------------------------------------------------------------------


def _period_from(request, form_class=PeriodForm):
    """The period form from the query string; the last quarter that is over by default."""
    if "period" not in request.GET:
        default = quarter_of(timezone.localdate()).previous()
        return form_class(initial={"period": str(default)}), default
    form = form_class(request.GET)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)


def _download(data: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _slug(period) -> str:
    return str(period).replace("/", "-")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _conflict() -> str:
    from lantern.core.errors import EditConflict

    return str(EditConflict())


# --- the annual report, its finance and its stories ------------------------------------------


@requires(*PUBLISHED, Cap.MANAGE_PLAN)
def annual_report(request):
    from lantern.performance import annual

    form, year = _year_from(request)
    report = annual.annual_report(year, reports.audience_for(request.user)) if year else None
    return render(
        request,
        "performance/annual.html",
        {
            "form": form,
            "report": report,
            "legend": summary.legend(report["summary"]) if report else "",
            "can_write": any(has_capability(request.user, c) for c in WRITERS),
        },
    )


@requires(*PUBLISHED, Cap.MANAGE_PLAN)
def annual_download(request):
    from lantern.performance import annual

    form, year = _year_from(request)
    fmt = request.GET.get("format", "docx")
    if year is None or fmt not in ("docx", "pdf"):
        raise Http404
    report = annual.annual_report(year, reports.audience_for(request.user))
    data = (
        exports.render_annual_docx(report) if fmt == "docx" else exports.render_annual_pdf(report)
    )
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="performance.annualreport",
        object_id=str(year),
        object_repr=f"Annual report {year} ({fmt})",
        request=request,
    )
    return _download(data, fmt, f"annual-report-{_slug(year)}.{fmt}")


@requires(*WRITERS)
def finance(request):
    """A year's finance table, and a form to add a line to it."""
    from lantern.performance import annual

    _, year = _year_from(request)
    form = FinanceLineForm(request.POST or None, initial={"year": str(year) if year else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            line = annual.record_finance_line(
                request.user,
                year=data["year"],
                kind=data["kind"],
                partner=data["partner"],
                item=data["item"],
                actual=data["actual_value"],
                proposed=data["proposed_value"],
                note=data["note"],
                now=timezone.now(),
            )
        except annual.AnnualRefused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"{line.item} has been added to the finance for {line.year}.")
            return redirect(f"{_url('performance:finance')}?period={line.year}")
    shown = form.cleaned_data["year"] if form.is_bound and form.is_valid() else year
    return render(
        request,
        "performance/finance.html",
        {"form": form, "year": shown, "finance": annual.finance_table(shown) if shown else []},
    )


@requires(*WRITERS)
def case_studies(request):
    """The case studies and good-news stories, and a form to write one."""
    from lantern.performance import annual

    form = CaseStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = annual.save_case_study(request.user, now=timezone.now(), **data)
        except annual.AnnualRefused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, f"“{story.title}” has been saved. It waits for approval.")
            return redirect("performance:case-study", pk=story.pk)
    return render(
        request,
        "performance/case_studies.html",
        {"form": form, "stories": CaseStudy.objects.select_related("approved_by")},
    )


@requires(*WRITERS)
def case_study(request, pk: int):
    """One story: the name check, approval by the partnership manager, choosing it into a
    report."""
    from lantern.performance import annual

    story = get_object_or_404(CaseStudy, pk=pk)
    choose = ChooseStoryForm(request.POST if request.POST.get("action") == "choose" else None)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                if not has_capability(request.user, Cap.MANAGE_PLAN):
                    raise annual.AnnualRefused("Only the partnership manager approves stories")
                annual.approve_case_study(request.user, story, now=timezone.now())
                messages.success(request, "The story has been approved.")
                return redirect("performance:case-study", pk=story.pk)
            if choose.is_valid():
                annual.choose_case_study(request.user, story, choose.cleaned_data["period"])
                messages.success(
                    request, f"The story has been chosen into the report for {story.report_period}."
                )
                return redirect("performance:case-study", pk=story.pk)
        except annual.AnnualRefused as refused:
            error = str(refused)
    return render(
        request,
        "performance/case_study.html",
        {
            "story": story,
            "check": annual.check_story(story),
            "choose": choose,
            "error": error,
            "can_approve": has_capability(request.user, Cap.MANAGE_PLAN),
        },
    )


@requires(*PUBLISHED, Cap.MANAGE_PLAN)
def scrutiny_summary(request):
    """The one-page scrutiny summary for a quarter."""
    from lantern.performance import scrutiny

    form, quarter = _period_from(request, QuarterForm)
    page = scrutiny.one_page_summary(quarter, reports.audience_for(request.user)) if quarter else {}
    return render(request, "performance/scrutiny_summary.html", {"form": form, **page})


@requires(*PUBLISHED, Cap.MANAGE_PLAN)
def forward_plan(request):
    """The scrutiny forward plan; the partnership manager adds to it."""
    from lantern.performance import scrutiny

    can_edit = has_capability(request.user, Cap.MANAGE_PLAN)
    form = ForwardPlanForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                item = scrutiny.add_forward_plan_item(
                    request.user, now=timezone.now(), **form.cleaned_data
                )
            except scrutiny.ForwardPlanRefused as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, f"“{item.topic}” has been added to the forward plan.")
                return redirect("performance:forward-plan")
    return render(
        request,
        "performance/forward_plan.html",
        {"form": form, **scrutiny.forward_plan(timezone.localdate())},
    )


def _year_from(request):
    """The financial year form from the query string; the last year that is over by default."""
    if "period" not in request.GET:
        default = quarter_of(timezone.localdate()).financial_year().previous()
        return YearForm(initial={"period": str(default)}), default
    form = YearForm(request.GET)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)
