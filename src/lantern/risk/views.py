"""Pages for risk tools, assessments, professional judgement overrides and nominals."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.access import (
    Cap,
    authorise,
    can,
    get_full_child_or_404,
    get_visible_or_404,
    has_capability,
    requires,
    signed_in,
    visible,
)
from lantern.audit.services import record_list, record_read
from lantern.children.models import Child
from lantern.core.editing import save_with_version
from lantern.core.errors import LanternError
from lantern.risk import engine, services
from lantern.risk.chart import risk_chart
from lantern.risk.forms import (
    AssessmentForm,
    BandsForm,
    DecisionForm,
    GroupForm,
    GuidanceForm,
    IndicatorForm,
    NominalForm,
    OverrideForm,
)
from lantern.risk.models import (
    Indicator,
    IndicatorGroup,
    Nominal,
    RiskAssessment,
    RiskTool,
    RiskToolVersion,
    ToolSubject,
    VersionStatus,
)

TOOL_READERS = (Cap.VIEW_CHILDREN, Cap.ASSESS_SUSPECTS, Cap.MANAGE_RISK_TOOLS)


@requires(*TOOL_READERS)
def tool_list(request):
    tools = visible(request.user, RiskTool.objects.prefetch_related("versions"))
    return render(
        request,
        "risk/tool_list.html",
        {"tools": tools, "can_author": has_capability(request.user, Cap.MANAGE_RISK_TOOLS)},
    )


@requires(*TOOL_READERS)
def version_detail(request, pk: int):
    version = get_visible_or_404(
        request.user, RiskToolVersion.objects.select_related("tool"), pk=pk
    )
    editable = version.status == VersionStatus.DRAFT and can(request.user, "change", version)
    return render(
        request,
        "risk/version_detail.html",
        {
            "version": version,
            "groups": version.groups.prefetch_related("indicators"),
            "bands": version.scoring_bands.all(),
            "editable": editable,
            "can_author": can(request.user, "change", version),
            "has_draft": version.tool.versions.filter(status=VersionStatus.DRAFT).exists(),
            "problems": engine.banding_problems(version.bands()) if editable else [],
        },
    )


# --- Authoring tool versions (administrators) ---------------------------------------------------


class _Redirect(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def authoring(view):
    """Pages that change a draft tool version: administrators only; a published version
    redirects to its page with a message, since it cannot change."""

    @requires(Cap.MANAGE_RISK_TOOLS)
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Redirect as redirect_to:
            return redirect(redirect_to.url)

    return wrapper


@requires(Cap.MANAGE_RISK_TOOLS)
def new_draft(request, pk: int):
    """Start a new draft version of a tool, copied from its current version (POST)."""
    tool = get_visible_or_404(request.user, RiskTool.objects.all(), pk=pk)
    if request.method != "POST":
        return redirect("risk:tool-list")
    try:
        draft = services.new_draft_version(request, tool)
    except LanternError as error:
        messages.error(request, str(error))
        return redirect("risk:tool-list")
    messages.success(request, f"Version {draft.number} has been started as a draft.")
    return redirect("risk:version-detail", pk=draft.pk)


@authoring
def version_guidance(request, pk: int):
    version = _draft_or_404(request, pk)
    form = GuidanceForm(request.POST or None, initial={"guidance": version.guidance})
    if request.method == "POST" and form.is_valid():
        return _author(
            request,
            form,
            version,
            lambda: services.update_version_guidance(
                request, version, guidance=form.cleaned_data["guidance"]
            ),
            "The guidance has been saved.",
            "Guidance",
        )
    return _author_page(request, form, version, "Guidance")


@authoring
def group_add(request, pk: int):
    version = _draft_or_404(request, pk)
    form = GroupForm(request.POST or None, initial={"order": version.groups.count() + 1})
    if request.method == "POST" and form.is_valid():
        return _author(
            request,
            form,
            version,
            lambda: services.save_group(request, version, **form.cleaned_data),
            "The group has been added.",
            "Add an indicator group",
        )
    return _author_page(request, form, version, "Add an indicator group")


@authoring
def group_edit(request, pk: int):
    group = get_object_or_404(IndicatorGroup.objects.select_related("version__tool"), pk=pk)
    version = _draft_or_404(request, group.version_id)
    initial = {"name": group.name, "guidance": group.guidance, "order": group.order}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _author(
            request,
            form,
            version,
            lambda: services.save_group(request, version, group=group, **form.cleaned_data),
            "The group has been saved.",
            "Change the group",
        )
    return _author_page(request, form, version, f"Change the group \u201c{group.name}\u201d")


@authoring
def indicator_add(request, pk: int):
    group = get_object_or_404(IndicatorGroup.objects.select_related("version__tool"), pk=pk)
    version = _draft_or_404(request, group.version_id)
    form = IndicatorForm(
        request.POST or None, initial={"weight": 1, "order": group.indicators.count() + 1}
    )
    if request.method == "POST" and form.is_valid():
        return _author(
            request,
            form,
            version,
            lambda: services.save_indicator(request, group, **form.cleaned_data),
            "The indicator has been added.",
            "Add an indicator",
        )
    return _author_page(request, form, version, f"Add an indicator to \u201c{group.name}\u201d")


@authoring
def indicator_edit(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("group__version"), pk=pk)
    version = _draft_or_404(request, indicator.group.version_id)
    initial = {
        "text": indicator.text,
        "guidance": indicator.guidance,
        "weight": indicator.weight,
        "order": indicator.order,
    }
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _author(
            request,
            form,
            version,
            lambda: services.save_indicator(
                request, indicator.group, indicator=indicator, **form.cleaned_data
            ),
            "The indicator has been saved.",
            "Change an indicator",
        )
    return _author_page(request, form, version, "Change an indicator")


@authoring
def bands_edit(request, pk: int):
    version = _draft_or_404(request, pk)
    form = BandsForm(
        request.POST or None, initial=BandsForm.initial_for(version.scoring_bands.all())
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_bands(request, version, form.cleaned_data["bands"])
        except LanternError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The scoring bands have been saved.")
            return redirect("risk:version-detail", pk=version.pk)
    return render(request, "risk/bands_form.html", {"form": form, "version": version})


@authoring
def publish(request, pk: int):
    """Confirm, then publish a draft: it becomes active and the version before is retired."""
    version = _draft_or_404(request, pk)
    current = version.tool.active_version()
    if request.method == "POST":
        try:
            services.publish_version(request, RiskToolVersion.objects.get(pk=pk))
        except LanternError as error:
            messages.error(request, str(error))
            return redirect("risk:version-detail", pk=pk)
        messages.success(
            request,
            f"Version {version.number} is published"
            + (f"; version {current.number} is retired." if current else "."),
        )
        return redirect("risk:version-detail", pk=pk)
    return render(request, "risk/publish.html", {"version": version, "current": current})


def _draft_or_404(request, pk: int) -> RiskToolVersion:
    """A version the user may author; a published one is refused (it is immutable)."""
    version = get_visible_or_404(
        request.user, RiskToolVersion.objects.select_related("tool"), pk=pk
    )
    authorise(request.user, "change", version)
    if version.status != VersionStatus.DRAFT:
        messages.error(
            request, f"{version} is published and cannot be changed: start a new draft version."
        )
        raise _Redirect(reverse("risk:version-detail", args=[version.pk]))
    return version


def _author(request, form, version, save, done: str, title: str = "Check your changes"):
    try:
        save()
    except LanternError as error:
        _add_error(form, error)
        return _author_page(request, form, version, title)
    messages.success(request, done)
    return redirect("risk:version-detail", pk=version.pk)


def _author_page(request, form, version, title: str):
    return render(
        request, "risk/authoring_form.html", {"form": form, "version": version, "title": title}
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
    # An indicator with no recorded answer (an assessment from before answers were asked
    # for: risk migration 0005) is not known, never absent.
    answers = {t.indicator_id: t for t in assessment.answers.all()}
    groups = [
        {
            "group": group,
            "rows": [
                (
                    i,
                    answers[i.pk].get_answer_display() if i.pk in answers else "Not known",
                    answers[i.pk].evidence if i.pk in answers else "",
                )
                for i in group.indicators.all()
            ],
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
            "can_override": (
                not assessment.override_level or assessment.override_status == "declined"
            )
            and can(request.user, "change", assessment),
            "can_decide": can(request.user, "approve", assessment),
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
            messages.success(
                request,
                "The professional judgement override has been recorded and sent to "
                f"{form.cleaned_data['approver']} for approval.",
            )
            return redirect("risk:assessment-detail", pk=pk)
    else:
        record_read(request, assessment)
    return render(request, "risk/override_form.html", {"assessment": assessment, "form": form})


@signed_in
def override_decision(request, pk: int):
    """The approver named on a pending override approves or declines it, with a note."""
    assessment = get_visible_or_404(
        request.user,
        RiskAssessment.objects.select_related(
            "version__tool", "child", "nominal", "assessed_by", "override_approved_by"
        ),
        pk=pk,
    )
    if not can(request.user, "approve", assessment):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_override(
                request,
                RiskAssessment.objects.get(pk=pk),
                approve=approve,
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                "The override is approved: it is now the level that counts."
                if approve
                else "The override is declined: the computed level stands.",
            )
            return redirect("risk:assessment-detail", pk=pk)
    else:
        record_read(request, assessment)
    return render(request, "risk/override_decision.html", {"assessment": assessment, "form": form})


def home_panel(request) -> dict:
    """Overrides waiting for this user's approval (shown only when there are some)."""
    if not request.user.is_authenticated:
        return {"overrides": []}
    return {"overrides": list(services.overrides_waiting_for(request.user)[:20])}


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
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            nominal = services.create_nominal(request, now=timezone.now(), **data)
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"{nominal.name} has been added.")
            return redirect("risk:nominal-detail", pk=nominal.pk)
    return render(request, "risk/nominal_form.html", {"form": form})


@requires(Cap.ASSESS_SUSPECTS)
def nominal_edit(request, pk: int):
    nominal = get_visible_or_404(request.user, Nominal.objects.all(), pk=pk)
    initial = {
        "name": nominal.name,
        "alias": nominal.alias,
        "date_of_birth": nominal.date_of_birth,
        "gender": nominal.gender,
        "ethnicity": nominal.ethnicity,
        "version": nominal.version,
    }
    form = NominalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_with_version(
            form,
            lambda version: services.update_nominal(
                request,
                nominal,
                expected_version=version,
                name=data["name"],
                alias=data["alias"],
                date_of_birth=data["date_of_birth"],
                gender=data["gender"],
                ethnicity=data["ethnicity"],
                now=timezone.now(),
            ),
        )
        if saved:
            messages.success(request, "The nominal's details have been saved.")
            return redirect("risk:nominal-detail", pk=pk)
    else:
        record_read(request, nominal)
    return render(request, "risk/nominal_form.html", {"form": form, "nominal": nominal})


@requires(Cap.ASSESS_SUSPECTS)
def nominal_detail(request, pk: int):
    nominal = get_visible_or_404(request.user, Nominal.objects.all(), pk=pk)
    record_read(request, nominal)
    assessments = list(nominal.assessments.select_related("version__tool", "assessed_by"))
    points = [(a.assessed_on, a.version.tool.name, a.level) for a in reversed(assessments)]
    return render(
        request,
        "risk/nominal_detail.html",
        {
            "nominal": nominal,
            "assessments": assessments,
            "chart": risk_chart(points),
            "entities": _as_seen(request.user, services.linked_entities(nominal)),
        },
    )


def _as_seen(user, linked: list) -> list:
    """The linked people as the reader may see them: only details from sources they may open."""
    from lantern.entities.seen import seen_by

    shown = seen_by(user, [entity for entity, _ in linked])
    return [(shown[entity.pk], mention) for entity, mention in linked]


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
                absent=form.cleaned_data["absent"],
                not_known=form.cleaned_data["not_known"],
                notes=form.cleaned_data["notes"],
                now=timezone.now(),
            )
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                f"The assessment has been saved: score {assessment.score}, "
                f"{assessment.get_level_display().lower()}"
                + (
                    f" ({assessment.not_known_count} indicators not known)."
                    if assessment.not_known_count
                    else "."
                ),
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
