"""Pages for risk tools, assessments, professional judgement overrides and nominals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lantern.accounts.access import (
    Cap,
    can,
    get_full_child_or_404,
    get_visible_or_404,
    requires,
    signed_in,
    visible,
)
from lantern.audit.services import record_list, record_read
from lantern.children.models import Child
from lantern.core.errors import LanternError
from lantern.risk import services
from lantern.risk.chart import risk_chart
from lantern.risk.forms import AssessmentForm, NominalForm, OverrideForm
from lantern.risk.models import (
    Nominal,
    RiskAssessment,
    RiskTool,
    RiskToolVersion,
    ToolSubject,
    VersionStatus,
)


@requires(Cap.VIEW_CHILDREN, Cap.ASSESS_SUSPECTS)
def tool_list(request):
    tools = visible(request.user, RiskTool.objects.prefetch_related("versions"))
    return render(request, "risk/tool_list.html", {"tools": tools})


@requires(Cap.VIEW_CHILDREN, Cap.ASSESS_SUSPECTS)
def version_detail(request, pk: int):
    version = get_visible_or_404(
        request.user, RiskToolVersion.objects.select_related("tool"), pk=pk
    )
    return render(
        request,
        "risk/version_detail.html",
        {
            "version": version,
            "groups": version.groups.prefetch_related("indicators"),
            "bands": version.scoring_bands.all(),
        },
    )


@requires(Cap.MANAGE_CHILDREN)
def choose_tool(request, child_pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=child_pk)
    versions = RiskToolVersion.objects.filter(
        tool__subject=ToolSubject.CHILD, status=VersionStatus.ACTIVE
    ).select_related("tool")
    record_read(request, child)
    return render(request, "risk/choose_tool.html", {"child": child, "versions": versions})


@requires(Cap.MANAGE_CHILDREN)
def assess_child(request, child_pk: int, version_pk: int):
    child = get_full_child_or_404(request.user, Child.objects.all(), pk=child_pk)
    version = get_visible_or_404(
        request.user, RiskToolVersion.objects.select_related("tool"), pk=version_pk
    )
    return _assess(request, version, child=child)


@requires(Cap.ASSESS_SUSPECTS)
def assess_nominal(request, pk: int):
    nominal = get_visible_or_404(request.user, Nominal.objects.all(), pk=pk)
    version = (
        RiskToolVersion.objects.filter(tool__subject=ToolSubject.NOMINAL, status="active")
        .select_related("tool")
        .first()
    )
    if version is None:
        messages.error(request, "There is no active suspect risk tool.")
        return redirect("risk:nominal-detail", pk=pk)
    return _assess(request, version, nominal=nominal)


@signed_in
def assessment_detail(request, pk: int):
    """An assessment, always shown with the tool version it was made with."""
    assessment = get_visible_or_404(
        request.user,
        RiskAssessment.objects.select_related(
            "version__tool", "child", "nominal", "assessed_by", "override_approved_by"
        ),
        pk=pk,
    )
    record_read(request, assessment)
    ticked = {t.indicator_id: t.evidence for t in assessment.ticked.all()}
    groups = [
        {
            "group": group,
            "rows": [(i, i.pk in ticked, ticked.get(i.pk, "")) for i in group.indicators.all()],
        }
        for group in assessment.version.groups.prefetch_related("indicators")
    ]
    return render(
        request,
        "risk/assessment_detail.html",
        {
            "assessment": assessment,
            "groups": groups,
            "bands": assessment.version.scoring_bands.all(),
            "can_override": not assessment.override_level
            and can(request.user, "change", assessment),
        },
    )


@signed_in
def override(request, pk: int):
    assessment = get_visible_or_404(
        request.user, RiskAssessment.objects.select_related("version__tool", "child"), pk=pk
    )
    if not can(request.user, "change", assessment):
        raise PermissionDenied
    form = OverrideForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.override_level(
                request,
                RiskAssessment.objects.get(pk=pk),
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
                approver=form.cleaned_data["approver"],
                now=timezone.now(),
            )
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, "The professional judgement override has been recorded.")
            return redirect("risk:assessment-detail", pk=pk)
    else:
        record_read(request, assessment)
    return render(request, "risk/override_form.html", {"assessment": assessment, "form": form})


@requires(Cap.ASSESS_SUSPECTS)
def nominal_list(request):
    nominals = visible(request.user, Nominal.objects.all())[:500]
    record_list(request, Nominal, len(nominals))
    return render(request, "risk/nominal_list.html", {"nominals": nominals})


@requires(Cap.ASSESS_SUSPECTS)
def nominal_create(request):
    if not request.user.is_police:
        raise Http404
    form = NominalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nominal = services.create_nominal(request, now=timezone.now(), **form.cleaned_data)
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"{nominal.name} has been added.")
            return redirect("risk:nominal-detail", pk=nominal.pk)
    return render(request, "risk/nominal_form.html", {"form": form})


@requires(Cap.ASSESS_SUSPECTS)
def nominal_detail(request, pk: int):
    nominal = get_visible_or_404(request.user, Nominal.objects.all(), pk=pk)
    record_read(request, nominal)
    assessments = list(nominal.assessments.select_related("version__tool", "assessed_by"))
    points = [(a.assessed_on, a.version.tool.name, a.level) for a in reversed(assessments)]
    return render(
        request,
        "risk/nominal_detail.html",
        {"nominal": nominal, "assessments": assessments, "chart": risk_chart(points)},
    )


def _assess(request, version, *, child=None, nominal=None):
    form = AssessmentForm(
        request.POST or None, version=version, initial={"assessed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_assessment(
                request,
                version,
                child=child,
                nominal=nominal,
                assessed_on=form.cleaned_data["assessed_on"],
                ticked=form.cleaned_data["ticked"],
                notes=form.cleaned_data["notes"],
                now=timezone.now(),
            )
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                f"The assessment has been saved: score {assessment.score}, "
                f"{assessment.get_level_display().lower()}.",
            )
            return redirect("risk:assessment-detail", pk=assessment.pk)
    else:
        record_read(request, child or nominal)
    return render(
        request,
        "risk/assessment_form.html",
        {"form": form, "version": version, "subject": child or nominal, "child": child},
    )


def _add_error(form, error: LanternError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))
