"""Delivery plan pages: thin views that parse, authorise, call a service and render."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from lantern.accounts.access import (
    Cap,
    authorise,
    can,
    get_visible_or_404,
    has_capability,
    public,
    requires,
    signed_in,
    visible,
)
from lantern.core.editing import save_with_version
from lantern.core.errors import LanternError
from lantern.plans import services, spreadsheets, versions
from lantern.plans.forms import (
    ActionForm,
    ImportForm,
    LeadOfficerForm,
    ObjectiveForm,
    PriorityForm,
    ProgressForm,
    PublishForm,
    RecommendationForm,
    StrategyForm,
    WithdrawForm,
)
from lantern.plans.models import (
    Brag,
    DeliveryAction,
    EvidenceEntry,
    LeadOfficer,
    Objective,
    PlanVersion,
    Priority,
    Recommendation,
    Strategy,
)
from lantern.plans.onepage import plan_on_a_page

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", spreadsheets.export_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        spreadsheets.export_xlsx,
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        spreadsheets.export_docx,
    ),
}


# --- Strategies ----------------------------------------------------------------------------------


@requires(Cap.VIEW_PLAN)
def strategy_list(request):
    strategies = visible(request.user, Strategy.objects.all()).annotate(
        action_count=Count(
            "objectives__actions", filter=Q(objectives__actions__withdrawn_at__isnull=True)
        )
    )
    return render(
        request,
        "plans/strategy_list.html",
        {"strategies": strategies, "can_manage": has_capability(request.user, Cap.MANAGE_PLAN)},
    )


@requires(Cap.MANAGE_PLAN)
def strategy_create(request):
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("version")
        try:
            strategy = services.create_strategy(request, **data)
        except LanternError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{strategy.name} has been created with six priorities.")
            return redirect("plans:strategy-detail", pk=strategy.pk)
    return render(request, "plans/strategy_form.html", {"form": form, "creating": True})


@requires(Cap.MANAGE_PLAN)
def strategy_edit(request, pk: int):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    initial = {f: getattr(strategy, f) for f in ("name", "start_year", "end_year", "governance")}
    form = StrategyForm(
        request.POST or None,
        initial={**initial, "vision": strategy.vision, "version": strategy.version},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        saved = save_with_version(
            form,
            lambda version: services.update_strategy(
                request, strategy, expected_version=version, **data
            ),
        )
        if saved:
            messages.success(request, "The strategy has been saved.")
            return redirect("plans:strategy-detail", pk=pk)
    return render(request, "plans/strategy_form.html", {"form": form, "strategy": strategy})


@requires(Cap.VIEW_PLAN)
def strategy_detail(request, pk: int):
    """The whole delivery plan: governance, then every priority's objectives and actions."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    today = timezone.localdate()
    brag = request.GET.get("brag", "all")
    overdue_only = request.GET.get("overdue") == "1"
    actions = visible(request.user, services.live_actions(strategy)).prefetch_related(
        Prefetch("evidence", queryset=EvidenceEntry.objects.order_by("-on", "-pk"))
    )
    if brag in Brag.values:
        actions = actions.filter(brag=brag)
    if overdue_only:
        actions = services.overdue_actions(actions, today)
    by_objective: dict[int, list] = {}
    for action in actions:
        action.overdue = action.is_overdue(today)
        action.latest_evidence = next(iter(action.evidence.all()), None)
        by_objective.setdefault(action.objective_id, []).append(action)
    priorities = []
    for number, priority in enumerate(strategy.priorities.prefetch_related("objectives"), 1):
        objectives = [
            {"objective": o, "actions": by_objective.get(o.pk, [])}
            for o in priority.objectives.all()
        ]
        priorities.append({"number": number, "priority": priority, "objectives": objectives})
    return render(
        request,
        "plans/strategy_detail.html",
        {
            "strategy": strategy,
            "priorities": priorities,
            "brag": brag,
            "overdue_only": overdue_only,
            "brag_choices": [(b.value, b.label) for b in Brag if b],
            "filtered": brag in Brag.values or overdue_only,
            "shown": sum(len(v) for v in by_objective.values()),
            "can_manage": has_capability(request.user, Cap.MANAGE_PLAN),
        },
    )


# --- Plan on a page, PDF and exports -------------------------------------------------------------


@requires(Cap.VIEW_PLAN)
def plan_page(request, pk: int):
    """The printable plan on a page: governance first, counts by BRAG, overdue, uncovered."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    summary = plan_on_a_page(strategy, timezone.localdate())
    return render(
        request,
        "plans/plan_page.html",
        {
            "page": summary,
            "strategy": strategy,
            "can_manage": has_capability(request.user, Cap.MANAGE_PLAN),
        },
    )


@requires(Cap.VIEW_PLAN)
def plan_pdf(request, pk: int):
    from weasyprint import HTML

    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    summary = plan_on_a_page(strategy, timezone.localdate())
    html = render_to_string("plans/plan_page_pdf.html", {"page": summary, "strategy": strategy})
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    spreadsheets.record_export(request.user, strategy, "pdf", request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(strategy.name)}-plan-on-a-page.pdf"'
    )
    return response


@requires(Cap.VIEW_PLAN)
def plan_export(request, pk: int, fmt: str):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    if fmt not in EXPORT_TYPES:
        raise Http404
    content_type, build = EXPORT_TYPES[fmt]
    content = build(strategy)
    spreadsheets.record_export(request.user, strategy, fmt, request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(strategy.name)}.{fmt}"'
    return response


@requires(Cap.MANAGE_PLAN)
def plan_import(request, pk: int):
    """Upload a CSV or XLSX plan: all or nothing, every problem shown by its row number."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = spreadsheets.import_plan(request, strategy, upload.read(), upload.name)
        except spreadsheets.ImportProblems as problems:
            for row, message in problems.problems:
                where = f"Row {row}: " if row else ""
                form.add_error("file", f"{where}{message}")
        else:
            messages.success(request, f"The plan has been imported. {result.summary}")
            return redirect("plans:strategy-detail", pk=pk)
    return render(request, "plans/import.html", {"form": form, "strategy": strategy})


# --- Priorities and objectives -------------------------------------------------------------------


@requires(Cap.MANAGE_PLAN)
def priority_create(request, pk: int):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = PriorityForm(request.POST or None, initial={"position": strategy.priorities.count() + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_priority(
                request,
                strategy,
                name=data["name"],
                description=data["description"],
                position=data["position"],
            )
        except LanternError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"The priority {data['name']} has been added.")
            return redirect("plans:strategy-detail", pk=pk)
    return render(request, "plans/priority_form.html", {"form": form, "strategy": strategy})


@requires(Cap.MANAGE_PLAN)
def priority_edit(request, pk: int):
    priority = get_visible_or_404(request.user, Priority.objects.select_related("strategy"), pk=pk)
    strategy = priority.strategy
    form = PriorityForm(
        request.POST or None,
        initial={
            "name": priority.name,
            "description": priority.description,
            "position": priority.position,
            "version": priority.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_with_version(
            form,
            lambda version: services.save_priority(
                request,
                strategy,
                priority=priority,
                expected_version=version,
                name=data["name"],
                description=data["description"],
                position=data["position"],
            ),
        )
        if saved:
            messages.success(request, "The priority has been saved.")
            return redirect("plans:strategy-detail", pk=strategy.pk)
    return render(
        request,
        "plans/priority_form.html",
        {"form": form, "strategy": strategy, "priority": priority},
    )


@requires(Cap.MANAGE_PLAN)
def objective_create(request, pk: int):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = ObjectiveForm(
        request.POST or None, strategy=strategy, initial={"priority": request.GET.get("priority")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = services.save_objective(
                request, strategy, priority=data["priority"], ref=data["ref"], title=data["title"]
            )
        except LanternError as error:
            form.add_error("ref", str(error))
        else:
            messages.success(request, f"Objective {objective.ref} has been added.")
            return redirect("plans:strategy-detail", pk=pk)
    return render(request, "plans/objective_form.html", {"form": form, "strategy": strategy})


@requires(Cap.MANAGE_PLAN)
def objective_edit(request, pk: int):
    objective = get_visible_or_404(
        request.user, Objective.objects.select_related("strategy"), pk=pk
    )
    strategy = objective.strategy
    form = ObjectiveForm(
        request.POST or None,
        strategy=strategy,
        initial={
            "priority": objective.priority_id,
            "ref": objective.ref,
            "title": objective.title,
            "version": objective.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_with_version(
            form,
            lambda version: services.save_objective(
                request,
                strategy,
                objective=objective,
                expected_version=version,
                priority=data["priority"],
                ref=data["ref"],
                title=data["title"],
            ),
        )
        if saved:
            messages.success(request, f"Objective {data['ref']} has been saved.")
            return redirect("plans:strategy-detail", pk=strategy.pk)
    return render(
        request,
        "plans/objective_form.html",
        {"form": form, "strategy": strategy, "objective": objective},
    )


# --- Actions -------------------------------------------------------------------------------------


@requires(Cap.MANAGE_PLAN)
def action_create(request, pk: int):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = ActionForm(
        request.POST or None, strategy=strategy, initial={"objective": request.GET.get("objective")}
    )
    if not strategy.objectives.exists():
        messages.info(request, "Add a strategic objective before adding actions.")
        return redirect("plans:objective-create", pk=pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                request,
                data["objective"],
                text=data["text"],
                lead=data["lead"],
                due=data["due"],
                recommendations=list(data.get("recommendations") or []),
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The action has been added.")
            return redirect("plans:action-detail", pk=action.pk)
    return render(request, "plans/action_form.html", {"form": form, "strategy": strategy})


@signed_in
def action_detail(request, pk: int):
    """One action: its details, evidence and BRAG history, and (for its lead officer or the
    partnership manager) the form to add evidence and change the rating."""
    action = get_visible_or_404(
        request.user,
        DeliveryAction.objects.select_related("objective__strategy", "objective__priority", "lead"),
        pk=pk,
    )
    may_update = can(request.user, "update_progress", action) and not action.withdrawn_at
    form = ProgressForm(
        request.POST or None, initial={"brag": action.brag or None, "version": action.version}
    )
    if request.method == "POST":
        if not may_update:
            authorise(request.user, "update_progress", action)
            raise Http404  # withdrawn
        if form.is_valid():
            data = form.cleaned_data
            saved = save_with_version(
                form,
                lambda version: services.record_progress(
                    request,
                    action,
                    expected_version=version,
                    brag=data["brag"],
                    evidence=data["evidence"],
                ),
            )
            if saved:
                messages.success(request, "Your update has been saved.")
                return redirect("plans:action-detail", pk=pk)
    strategy = action.objective.strategy
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "strategy": strategy,
            "form": form,
            "may_update": may_update,
            "can_manage": has_capability(request.user, Cap.MANAGE_PLAN),
            "can_view_plan": has_capability(request.user, Cap.VIEW_PLAN),
            "overdue": action.is_overdue(timezone.localdate()),
            "evidence": action.evidence.select_related("recorded_by"),
            "brag_changes": action.brag_changes.all(),
            "recommendations": action.recommendations.all(),
        },
    )


@requires(Cap.MANAGE_PLAN)
def action_edit(request, pk: int):
    action = get_visible_or_404(
        request.user, DeliveryAction.objects.select_related("objective__strategy"), pk=pk
    )
    strategy = action.objective.strategy
    form = ActionForm(
        request.POST or None,
        strategy=strategy,
        initial={
            "objective": action.objective_id,
            "text": action.text,
            "lead": action.lead_id,
            "due": action.due,
            "recommendations": list(action.recommendations.values_list("pk", flat=True)),
            "version": action.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_with_version(
            form,
            lambda version: services.update_action(
                request,
                action,
                expected_version=version,
                objective=data["objective"],
                text=data["text"],
                lead=data["lead"],
                due=data["due"],
                recommendations=list(data.get("recommendations") or []),
            ),
        )
        if saved:
            messages.success(request, "The action has been saved.")
            return redirect("plans:action-detail", pk=pk)
    return render(
        request, "plans/action_form.html", {"form": form, "strategy": strategy, "action": action}
    )


@requires(Cap.MANAGE_PLAN)
def action_withdraw(request, pk: int):
    action = get_visible_or_404(
        request.user, DeliveryAction.objects.select_related("objective__strategy"), pk=pk
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_action(request, action, reason=form.cleaned_data["reason"])
        except LanternError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "The action has been withdrawn. Its history is kept.")
            return redirect("plans:strategy-detail", pk=action.objective.strategy_id)
    return render(request, "plans/action_withdraw.html", {"form": form, "action": action})


@signed_in
def my_actions(request):
    """The delivery plan actions this user leads, overdue ones flagged."""
    today = timezone.localdate()
    actions = list(
        visible(request.user, DeliveryAction.objects.filter(lead__user=request.user))
        .filter(withdrawn_at__isnull=True)
        .select_related("objective__strategy", "lead")
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    return render(request, "plans/my_actions.html", {"actions": actions})


# --- Lead officers and recommendations -----------------------------------------------------------


@requires(Cap.MANAGE_PLAN)
def lead_officer_list(request, pk: int):
    """The plan's lead officers, and a form to add one."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = LeadOfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        try:
            lead = services.save_lead_officer(request, strategy, **data)
        except LanternError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{lead.name} has been added as a lead officer.")
            return redirect("plans:lead-officer-list", pk=pk)
    leads = visible(request.user, strategy.lead_officers.select_related("user")).annotate(
        action_count=Count("actions", filter=Q(actions__withdrawn_at__isnull=True))
    )
    return render(
        request,
        "plans/lead_officer_list.html",
        {"strategy": strategy, "leads": leads, "form": form},
    )


@requires(Cap.MANAGE_PLAN)
def lead_officer_edit(request, pk: int):
    lead = get_visible_or_404(request.user, LeadOfficer.objects.select_related("strategy"), pk=pk)
    fields = ("name", "job_title", "agency", "email")
    form = LeadOfficerForm(
        request.POST or None,
        initial={
            **{f: getattr(lead, f) for f in fields},
            "user": lead.user_id,
            "version": lead.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        saved = save_with_version(
            form,
            lambda version: services.save_lead_officer(
                request, lead.strategy, lead=lead, expected_version=version, **data
            ),
        )
        if saved:
            messages.success(request, "The lead officer has been saved.")
            return redirect("plans:lead-officer-list", pk=lead.strategy_id)
    return render(
        request,
        "plans/lead_officer_form.html",
        {"form": form, "lead": lead, "strategy": lead.strategy},
    )


@requires(Cap.VIEW_PLAN)
def recommendation_list(request, pk: int):
    """Recommendations and motion points the plan answers, with the actions answering each."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    recommendations = visible(request.user, strategy.recommendations.all()).prefetch_related(
        Prefetch(
            "actions",
            queryset=DeliveryAction.objects.filter(withdrawn_at__isnull=True).select_related(
                "objective"
            ),
        )
    )
    rows = list(recommendations)
    return render(
        request,
        "plans/recommendation_list.html",
        {
            "strategy": strategy,
            "recommendations": rows,
            "uncovered": sum(1 for r in rows if not r.actions.all()),
            "can_manage": has_capability(request.user, Cap.MANAGE_PLAN),
        },
    )


@requires(Cap.MANAGE_PLAN)
def recommendation_create(request, pk: int):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.save_recommendation(
                request,
                strategy,
                source=data["source"],
                reference=data["reference"],
                text=data["text"],
            )
        except LanternError as error:
            form.add_error("reference", str(error))
        else:
            messages.success(request, f"{recommendation} has been added to the list.")
            return redirect("plans:recommendation-list", pk=pk)
    return render(request, "plans/recommendation_form.html", {"form": form, "strategy": strategy})


@requires(Cap.MANAGE_PLAN)
def recommendation_edit(request, pk: int):
    recommendation = get_visible_or_404(
        request.user, Recommendation.objects.select_related("strategy"), pk=pk
    )
    strategy = recommendation.strategy
    form = RecommendationForm(
        request.POST or None,
        initial={
            "source": recommendation.source,
            "reference": recommendation.reference,
            "text": recommendation.text,
            "version": recommendation.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_with_version(
            form,
            lambda version: services.save_recommendation(
                request,
                strategy,
                recommendation=recommendation,
                expected_version=version,
                source=data["source"],
                reference=data["reference"],
                text=data["text"],
            ),
        )
        if saved:
            messages.success(request, "The recommendation has been saved.")
            return redirect("plans:recommendation-list", pk=strategy.pk)
    return render(
        request,
        "plans/recommendation_form.html",
        {"form": form, "strategy": strategy, "recommendation": recommendation},
    )


# --- Versions ------------------------------------------------------------------------------------


@requires(Cap.VIEW_PLAN)
def version_list(request, pk: int):
    """The version control table, and the form to compare two versions."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    plan_versions = visible(request.user, strategy.versions.all()).order_by("-major", "-minor")
    return render(
        request,
        "plans/version_list.html",
        {
            "strategy": strategy,
            "versions": plan_versions,
            "can_manage": has_capability(request.user, Cap.MANAGE_PLAN),
        },
    )


@requires(Cap.MANAGE_PLAN)
def version_publish(request, pk: int):
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = versions.publish_version(
                request.user,
                strategy,
                comment=form.cleaned_data["comment"],
                major=form.cleaned_data["major"],
            )
        except LanternError as error:
            form.add_error("comment", str(error))
        else:
            messages.success(request, f"Version {version.number} has been published.")
            return redirect("plans:version-list", pk=pk)
    last = strategy.versions.order_by("-major", "-minor").first()
    return render(
        request,
        "plans/version_publish.html",
        {"form": form, "strategy": strategy, "last": last},
    )


@requires(Cap.VIEW_PLAN)
def version_detail(request, pk: int):
    """A published version as it was frozen."""
    version = get_visible_or_404(
        request.user, PlanVersion.objects.select_related("strategy"), pk=pk
    )
    return render(
        request,
        "plans/version_detail.html",
        {"version": version, "strategy": version.strategy, "snapshot": version.snapshot},
    )


@requires(Cap.VIEW_PLAN)
def version_compare(request, pk: int):
    """What changed between two versions, or between a version and the plan as it stands."""
    strategy = get_visible_or_404(request.user, Strategy.objects.all(), pk=pk)
    plan_versions = list(visible(request.user, strategy.versions.all()).order_by("major", "minor"))
    by_id = {str(v.pk): v for v in plan_versions}
    older = by_id.get(request.GET.get("older", ""))
    newer_key = request.GET.get("newer", "current")
    newer = by_id.get(newer_key)
    error = ""
    comparison = None
    if older is not None:
        if newer_key != "current" and newer is None:
            error = "Choose the version to compare with"
        else:
            if newer is not None and (newer.major, newer.minor) < (older.major, older.minor):
                older, newer = newer, older
            comparison = versions.compare_versions(older, newer)
    elif "older" in request.GET:
        error = "Choose the earlier version"
    return render(
        request,
        "plans/version_compare.html",
        {
            "strategy": strategy,
            "versions": plan_versions,
            "older": older,
            "newer_key": newer_key,
            "comparison": comparison,
            "error": error,
        },
    )


# --- the public view ----------------------------------------------------------------------------


@public
def public_plan_list(request):
    """The delivery plans with a published version, for anyone."""
    from lantern.plans import public as published

    return render(request, "plans/public_list.html", {"plans": published.published_strategies()})


@public
def public_plan_page(request, pk: int):
    """The latest published version's plan on a page, for anyone; 404 with none published."""
    from lantern.plans import public as published

    strategy = Strategy.objects.filter(pk=pk).first()
    version = published.latest_version(strategy) if strategy else None
    if version is None:
        raise Http404
    return render(request, "plans/public_plan.html", {"page": published.public_plan(version)})
