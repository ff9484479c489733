"""Disruption plans, the tactic catalogue and the operations register."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import (
    Cap,
    can,
    get_visible_or_404,
    has_capability,
    requires,
    signed_in,
    visible,
)
from lantern.audit.services import record_list, record_read
from lantern.core.errors import LanternError
from lantern.tasking import charges, disruption
from lantern.tasking.forms import (
    ChargeForm,
    OperationForm,
    OperationLinkForm,
    OperationUpdateForm,
    PlanForm,
    PlanTacticForm,
    PlanUpdateForm,
    TacticForm,
)
from lantern.tasking.models import Charge, DisruptionPlan, Operation, Tactic
from lantern.tasking.views import _url, form_page

PAGE_SIZE = 50


def police_only(view):
    """Operations exist only for police roles: anyone else gets a 404, not a 403."""

    @signed_in
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_capability(request.user, Cap.VIEW_OPERATIONS):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.lantern_access = (Cap.VIEW_OPERATIONS,)
    return wrapper


# --- Disruption plans -----------------------------------------------------------------------


@requires(Cap.VIEW_TASKING)
def plan_list(request):
    plans = visible(request.user, DisruptionPlan.objects.select_related("lead"))
    status = request.GET.get("status", "")
    if status and status not in ("active", "under_review", "closed"):
        messages.error(request, "Status is active, under review or closed")
        status = ""
    if status:
        plans = plans.filter(status=status)
    page = Paginator(plans.order_by("review_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(request, DisruptionPlan, len(page.object_list), status=status)
    return render(
        request,
        "tasking/plan_list.html",
        {
            "page_obj": page,
            "status": status,
            "querystring": f"status={status}",
            "can_create": has_capability(request.user, Cap.ASSESS_SUSPECTS),
        },
    )


@requires(Cap.ASSESS_SUSPECTS)
def plan_create(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = disruption.create_plan(
                request, lead=request.user, now=timezone.now(), **form.cleaned_data
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The disruption plan has been opened. Add its tactics.")
            return redirect("tasking:plan-detail", pk=plan.pk)
    return form_page(
        request,
        form,
        "Open a disruption plan",
        "Open the plan",
        _url("tasking:plan-list"),
        "Back to disruption plans",
    )


@requires(Cap.VIEW_TASKING)
def plan_detail(request, pk: int):
    plan = get_visible_or_404(request.user, DisruptionPlan.objects.select_related("lead"), pk=pk)
    can_change = can(request.user, "change", plan)
    form = PlanUpdateForm(
        request.POST or None,
        initial={
            "status": plan.status,
            "review_on": plan.review_on,
            "outcome": plan.outcome,
            "version": plan.version,
        },
    )
    if request.method == "POST":
        if not can_change:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                disruption.update_plan(
                    request,
                    plan,
                    expected_version=data["version"] or 0,
                    status=data["status"],
                    review_on=data["review_on"],
                    outcome=data["outcome"],
                )
            except LanternError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The plan has been saved.")
                return redirect("tasking:plan-detail", pk=plan.pk)
    else:
        record_read(request, plan)
    tactics = plan.tactics.select_related(
        "tactic", "action", "action__owning_agency", "action__owner"
    )
    visible_actions = set(visible(request.user, plan_actions(plan)).values_list("pk", flat=True))
    return render(
        request,
        "tasking/plan_detail.html",
        {
            "plan": plan,
            "tactics": [t for t in tactics if t.action_id in visible_actions],
            "form": form,
            "can_change": can_change,
        },
    )


def plan_actions(plan):
    from lantern.tasking.models import Action

    return Action.objects.filter(plan_tactic__plan=plan)


@requires(Cap.ASSESS_SUSPECTS)
def plan_tactic_add(request, pk: int):
    plan = get_visible_or_404(request.user, DisruptionPlan.objects.all(), pk=pk)
    if not can(request.user, "change", plan):
        raise Http404
    now = timezone.now()
    form = PlanTacticForm(request.POST or None, today=timezone.localdate(now))
    if request.method == "POST" and form.is_valid():
        try:
            action = disruption.add_tactic(request, plan, now=now, **form.cleaned_data)
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action A{action.pk} given to {action.owning_agency}.")
            return redirect("tasking:plan-detail", pk=plan.pk)
    return form_page(
        request,
        form,
        "Add a tactic",
        "Add the tactic",
        _url("tasking:plan-detail", plan.pk),
        "Back to the plan",
        caption=str(plan),
        lead="The tactic becomes an action for the agency that holds the power.",
    )


# --- Tactic catalogue -----------------------------------------------------------------------


@requires(Cap.VIEW_TASKING)
def tactic_list(request):
    form = TacticForm(request.POST or None)
    can_edit = has_capability(request.user, Cap.CHAIR_TASKING)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                disruption.save_tactic(
                    request,
                    name=data["name"],
                    agency_kind=data["agency_kind"],
                    power=data["power"],
                    is_active=data["is_active"],
                )
            except LanternError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, f"{data['name']} has been added to the catalogue.")
                return redirect("tasking:tactic-list")
    return render(
        request,
        "tasking/tactic_list.html",
        {
            "tactics": visible(request.user, Tactic.objects.all()),
            "form": form,
            "can_edit": can_edit,
        },
    )


@requires(Cap.CHAIR_TASKING)
def tactic_edit(request, pk: int):
    tactic = get_visible_or_404(request.user, Tactic.objects.all(), pk=pk)
    form = TacticForm(
        request.POST or None,
        initial={
            "name": tactic.name,
            "agency_kind": tactic.agency_kind,
            "power": tactic.power,
            "is_active": tactic.is_active,
            "version": tactic.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disruption.save_tactic(
                request,
                tactic=tactic,
                expected_version=data["version"] or 0,
                name=data["name"],
                agency_kind=data["agency_kind"],
                power=data["power"],
                is_active=data["is_active"],
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The tactic has been saved.")
            return redirect("tasking:tactic-list")
    return form_page(
        request,
        form,
        "Change a tactic",
        "Save the tactic",
        _url("tasking:tactic-list"),
        "Back to tactics",
        caption=tactic.name,
    )


# --- Operations register (police only) ------------------------------------------------------


@police_only
def operation_list(request):
    operations = visible(request.user, Operation.objects.select_related("lead"))
    record_list(request, Operation, operations.count())
    return render(request, "tasking/operation_list.html", {"operations": operations})


@police_only
def operation_create(request):
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operation = disruption.create_operation(request, lead=request.user, **form.cleaned_data)
        except LanternError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{operation.name} has been added to the register.")
            return redirect("tasking:operation-detail", pk=operation.pk)
    return form_page(
        request,
        form,
        "Add an operation",
        "Add the operation",
        _url("tasking:operation-list"),
        "Back to operations",
        lead="Use the operation's name; keep details of live investigations out of the summary.",
    )


@police_only
def operation_detail(request, pk: int):
    operation = get_visible_or_404(request.user, Operation.objects.select_related("lead"), pk=pk)
    form = OperationUpdateForm(
        request.POST if "save-operation" in request.POST else None,
        initial={
            "status": operation.status,
            "summary": operation.summary,
            "version": operation.version,
        },
    )
    link_form = OperationLinkForm(
        request.POST if "add-link" in request.POST else None, prefix="link"
    )
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            try:
                disruption.update_operation(
                    request,
                    operation,
                    expected_version=form.cleaned_data["version"] or 0,
                    status=form.cleaned_data["status"],
                    summary=form.cleaned_data["summary"],
                )
            except LanternError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The operation has been saved.")
                return redirect("tasking:operation-detail", pk=operation.pk)
        if link_form.is_bound and link_form.is_valid():
            disruption.link_to_operation(request, operation, **link_form.cleaned_data)
            messages.success(request, "The link has been added.")
            return redirect("tasking:operation-detail", pk=operation.pk)
    else:
        record_read(request, operation)
    return render(
        request,
        "tasking/operation_detail.html",
        {
            "operation": operation,
            "links": operation.links.all(),
            "form": form,
            "link_form": link_form,
        },
    )


# --- Charges (police only) ------------------------------------------------------------------


@police_only
def charge_list(request):
    shown = visible(
        request.user, Charge.objects.select_related("nominal", "operation", "child", "recorded_by")
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(request, Charge, len(page.object_list), page=page.number)
    return render(request, "tasking/charge_list.html", {"page_obj": page, "querystring": ""})


@police_only
def charge_create(request):
    now = timezone.now()
    form = ChargeForm(request.POST or None, user=request.user, today=timezone.localdate(now))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            charge = charges.record_charge(
                request,
                nominal=data["nominal"],
                charged_on=data["charged_on"],
                offence=data["offence"],
                operation=data["operation"],
                child=form.child,
                now=now,
            )
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The charge of {charge.nominal} has been recorded.")
            return redirect("tasking:charge-list")
    return form_page(
        request,
        form,
        "Record a charge",
        "Record the charge",
        _url("tasking:charge-list"),
        "Back to charges",
        lead="Charges feed the problem profile's time from referral to charge.",
    )
