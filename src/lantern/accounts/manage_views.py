"""Administration pages: agencies, their teams, and users with their roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from lantern.accounts import role_grants, services
from lantern.accounts.access import Cap, get_visible_or_404, requires, visible
from lantern.accounts.forms import (
    AgencyForm,
    ArchiveForm,
    ResetSecondFactorForm,
    TeamForm,
    UserForm,
)
from lantern.accounts.models import Agency, Invitation, RoleGrant, Team, User
from lantern.accounts.roles import Role
from lantern.audit.services import record_list, record_read
from lantern.core.editing import save_with_version
from lantern.core.errors import LanternError

# --- Agencies and teams ---------------------------------------------------------------------


@requires(Cap.MANAGE_AGENCIES)
def agency_list(request):
    agencies = visible(request.user, Agency.objects.all()).annotate(
        active_users=Count("users", filter=Q(users__is_active=True)),
        team_count=Count("teams", distinct=True),
    )
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@requires(Cap.MANAGE_AGENCIES)
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = services.create_agency(
            request, name=data["name"], kind=data["kind"], short_name=data["short_name"]
        )
        messages.success(request, f"{agency.name} has been added.")
        return redirect("accounts:agency-detail", pk=agency.pk)
    return render(request, "accounts/agency_form.html", {"form": form, "creating": True})


@requires(Cap.MANAGE_AGENCIES)
def agency_detail(request, pk: int):
    """An agency's details (editable), its teams and its archive control."""
    agency = get_visible_or_404(request.user, Agency.objects.all(), pk=pk)
    form = AgencyForm(request.POST or None, instance=agency, initial={"version": agency.version})
    team_form = TeamForm(prefix="team")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_with_version(
            form,
            lambda version: services.update_agency(
                request,
                Agency.objects.get(pk=pk),
                expected_version=version,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
            ),
        )
        if saved:
            messages.success(request, "The agency's details have been saved.")
            return redirect("accounts:agency-detail", pk=pk)
    return render(
        request,
        "accounts/agency_detail.html",
        {
            "agency": agency,
            "form": form,
            "team_form": team_form,
            "teams": agency.teams.annotate(member_count=Count("members")),
            "archive_form": ArchiveForm(prefix="archive"),
        },
    )


@requires(Cap.MANAGE_AGENCIES)
def agency_archive(request, pk: int):
    agency = get_visible_or_404(request.user, Agency.objects.all(), pk=pk)
    form = ArchiveForm(request.POST or None, prefix="archive")
    if request.method == "POST" and form.is_valid():
        try:
            services.archive_agency(request, agency, reason=form.cleaned_data["reason"])
        except LanternError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"{agency.name} has been archived.")
            return redirect("accounts:agency-list")
    return render(request, "accounts/agency_archive.html", {"agency": agency, "form": form})


@requires(Cap.MANAGE_AGENCIES)
def team_create(request, pk: int):
    agency = get_visible_or_404(request.user, Agency.objects.all(), pk=pk)
    form = TeamForm(request.POST or None, prefix="team")
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        if agency.teams.filter(name__iexact=name).exists():
            form.add_error("name", "This agency already has a team with that name")
        else:
            services.create_team(request, agency=agency, name=name)
            messages.success(request, f"The team {name} has been added.")
            return redirect("accounts:agency-detail", pk=agency.pk)
    return render(request, "accounts/team_form.html", {"agency": agency, "form": form})


@requires(Cap.MANAGE_AGENCIES)
def team_detail(request, pk: int):
    team = get_visible_or_404(request.user, Team.objects.select_related("agency"), pk=pk)
    form = TeamForm(request.POST or None, instance=team, initial={"version": team.version})
    if request.method == "POST" and form.is_valid():
        saved = save_with_version(
            form,
            lambda version: services.update_team(
                request,
                Team.objects.get(pk=pk),
                expected_version=version,
                name=form.cleaned_data["name"],
            ),
        )
        if saved:
            messages.success(request, "The team has been saved.")
            return redirect("accounts:agency-detail", pk=team.agency_id)
    return render(
        request, "accounts/team_form.html", {"agency": team.agency, "team": team, "form": form}
    )


# --- Users ----------------------------------------------------------------------------------


@requires(Cap.MANAGE_USERS)
def user_list(request):
    """Everyone who can sign in, filterable by name, agency, role and status."""
    users = visible(request.user, User.objects.select_related("agency", "team")).prefetch_related(
        "role_assignments"
    )
    query = request.GET.get("q", "").strip()[:100]
    agency = request.GET.get("agency", "")
    role = request.GET.get("role", "")
    status = request.GET.get("status", "active")
    if query:
        users = users.filter(
            Q(full_name__icontains=query) | Q(username__icontains=query) | Q(email__icontains=query)
        )
    if agency.isdigit():
        users = users.filter(agency_id=int(agency))
    if role in Role.values:
        users = users.filter(role_assignments__role=role)
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    page = Paginator(users.order_by("full_name", "pk"), 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    record_list(request, User, len(page.object_list), filters=dict(request.GET.items()))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page_obj": page,
            "q": query,
            "agency": agency,
            "role": role,
            "status": status,
            "agencies": Agency.objects.filter(is_active=True),
            "roles": Role.choices,
            "querystring": querystring.urlencode(),
        },
    )


@requires(Cap.MANAGE_USERS)
def user_create(request):
    form = UserForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                roles=data["roles"],
                agency=data["agency"],
                team=data["team"],
                manager=data["manager"],
                job_title=data["job_title"],
                phone=data["phone"],
            )
            invitation = services.invite_user(request, user, link_for=_invitation_link(request))
        except LanternError as error:
            _add_error(form, error)
        else:
            messages.success(request, _invited_message(user, invitation))
            _say_what_waits(request, user)
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@requires(Cap.MANAGE_USERS)
def user_detail(request, pk: int):
    user = get_visible_or_404(request.user, User.objects.select_related("agency", "team"), pk=pk)
    form = UserForm(request.POST or None, instance=user, initial={"version": user.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = UserForm.Meta.fields
        saved = save_with_version(
            form,
            lambda version: services.update_user(
                request,
                User.objects.get(pk=pk),
                expected_version=version,
                roles=data["roles"],
                **{name: data[name] for name in fields},
            ),
        )
        if saved:
            messages.success(request, "The user's details have been saved.")
            _say_what_waits(request, User.objects.get(pk=pk))
            return redirect("accounts:user-detail", pk=pk)
    elif request.method == "GET":
        record_read(request, user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "form": form,
            "has_device": user_has_device(user, confirmed=True),
            "reset_form": ResetSecondFactorForm(prefix="reset"),
            "invitation": Invitation.objects.filter(user=user).first(),
            "now": timezone.now(),
        },
    )


@require_POST
@requires(Cap.MANAGE_USERS)
def user_invite(request, pk: int):
    """Send a new invitation link (withdrawing the old one) to someone who has not joined yet."""
    user = get_visible_or_404(request.user, User.objects.all(), pk=pk)
    if user.has_usable_password():
        messages.error(request, f"{user.full_name} has already chosen a password.")
        return redirect("accounts:user-detail", pk=pk)
    try:
        invitation = services.invite_user(request, user, link_for=_invitation_link(request))
    except LanternError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _invited_message(user, invitation))
    return redirect("accounts:user-detail", pk=pk)


@requires(Cap.MANAGE_USERS)
def user_reset_second_factor(request, pk: int):
    user = get_visible_or_404(request.user, User.objects.all(), pk=pk)
    form = ResetSecondFactorForm(request.POST or None, prefix="reset")
    if request.method == "POST" and form.is_valid():
        services.reset_second_factor(request, user, reason=form.cleaned_data["reason"])
        messages.success(
            request, f"{user.full_name} will set up a new authenticator app at their next sign-in."
        )
        return redirect("accounts:user-detail", pk=pk)
    return render(request, "accounts/user_reset.html", {"subject": user, "form": form})


@requires(Cap.MANAGE_USERS)
def role_grant_list(request):
    """Roles that see full intelligence or restricted records, waiting for a second
    administrator."""
    grants = list(role_grants.pending_grants())
    record_list(request, RoleGrant, len(grants))
    return render(request, "accounts/role_grant_list.html", {"grants": grants})


@requires(Cap.MANAGE_USERS)
def role_grant_decide(request, pk: int):
    """Approve or decline one waiting role (POST); the administrator who asked may not."""
    grant = get_object_or_404(role_grants.pending_grants(), pk=pk)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                role_grants.approve(request, grant)
                messages.success(request, f"{grant} approved: it now takes effect.")
            elif decision == "decline":
                role_grants.decline(request, grant)
                messages.success(request, f"{grant} declined.")
            else:
                messages.error(request, "Choose whether to approve or decline the role")
        except LanternError as error:
            messages.error(request, str(error))
    return redirect("accounts:role-grant-list")


def _add_error(form, error: LanternError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def _say_what_waits(request, user: User) -> None:
    waiting = [str(g.get_role_display()) for g in role_grants.pending_grants().filter(user=user)]
    if waiting:
        messages.info(
            request,
            f"{', '.join(waiting)} waits for another administrator's approval before it takes "
            "effect.",
        )


def _invitation_link(request):
    def link_for(token: str) -> str:
        return request.build_absolute_uri(reverse("accounts:invitation", args=[token]))

    return link_for


def _invited_message(user: User, invitation: Invitation) -> str:
    expires = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y at %H:%M")
    return (
        f"An invitation has been sent to {user.email}. {user.full_name} chooses a password "
        f"from the link, which works once until {expires}, then sets up an authenticator app."
    )
