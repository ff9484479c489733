"""What administrators do to agencies, teams and users. One transaction each, audited.

Nothing here deletes: agencies and teams are archived, users deactivated, so every record that
refers to them still makes sense. Edits carry the version the form was opened at; if someone
saved in between, `EditConflict` is raised and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import role_grants
from lantern.accounts.models import Agency, RoleAssignment, Team, User
from lantern.accounts.roles import POLICE_ROLES, SECOND_APPROVAL_REQUIRED, Role
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.versioning import save_if_unchanged


class AccountRefused(LanternError):
    """An account change that would leave the partnership in a bad state; `field` names the
    form field it is about, where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# `actor` is the request (so the audit entry has its path and address) or the acting user.


def create_agency(actor: Any, *, name: str, kind: str, short_name: str = "") -> Agency:
    """Add a partner agency."""
    with transaction.atomic():
        agency = Agency.objects.create(name=name, kind=kind, short_name=short_name)
        record_change(
            actor, agency, AuditAction.CREATE, changes={"name": ["", name], "kind": ["", kind]}
        )
    return agency


def update_agency(actor: Any, agency: Agency, *, expected_version: int, **values: Any) -> Agency:
    """Change an agency's details. Refuses (EditConflict) if it changed since the form opened."""
    return _update(actor, agency, expected_version, values)


def archive_agency(actor: Any, agency: Agency, *, reason: str) -> Agency:
    """Archive an agency with a reason. Refused while it still has active users."""
    if not reason.strip():
        raise AccountRefused("Enter why the agency is being archived")
    if agency.users.filter(is_active=True).exists():
        raise AccountRefused(
            "This agency still has active users. Deactivate or move them before archiving it"
        )
    with transaction.atomic():
        agency.is_active = False
        agency.archived_reason = reason.strip()
        save_if_unchanged(agency, agency.version, ["is_active", "archived_reason"])
        record_change(actor, agency, AuditAction.ARCHIVE, reason=reason.strip())
    return agency


def create_team(actor: Any, *, agency: Agency, name: str) -> Team:
    """Add a team to an agency."""
    with transaction.atomic():
        team = Team.objects.create(agency=agency, name=name)
        record_change(actor, team, AuditAction.CREATE, changes={"name": ["", name]})
    return team


def update_team(actor: Any, team: Team, *, expected_version: int, **values: Any) -> Team:
    """Rename a team or mark it inactive."""
    return _update(actor, team, expected_version, values)


def create_user(
    actor: Any,
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    roles: list[str],
    agency: Agency | None = None,
    team: Team | None = None,
    manager: User | None = None,
    job_title: str = "",
    phone: str = "",
) -> User:
    """Create a user with their roles. The password is hashed with Argon2. A role that sees
    full intelligence or restricted records waits for a second administrator (role_grants).
    Refuses a police role for someone outside a police agency."""
    _check_team_in_agency(team, agency)
    _check_police_roles(roles, agency)
    with transaction.atomic():
        user = User(
            username=username,
            full_name=full_name,
            email=email,
            agency=agency,
            team=team,
            manager=manager,
            job_title=job_title,
            phone=phone,
        )
        user.set_password(password)
        user.save()
        now_roles = [r for r in roles if r not in SECOND_APPROVAL_REQUIRED]
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in now_roles)
        for role in sorted(set(roles) & SECOND_APPROVAL_REQUIRED):
            role_grants.request_grant(actor, user, role)
        record_change(
            actor,
            user,
            AuditAction.CREATE,
            changes={
                "username": ["", username],
                "roles": ["", ", ".join(sorted(roles))],
                "agency": ["", str(agency or "")],
            },
        )
    return user


def update_user(
    actor: Any,
    user: User,
    *,
    expected_version: int,
    roles: list[str] | None = None,
    **values: Any,
) -> User:
    """Change a user's details and roles. A role added that sees full intelligence or restricted
    records waits for a second administrator (role_grants). Refuses an administrator removing
    their own admin role, and a police role for someone outside a police agency."""
    _check_team_in_agency(values.get("team", user.team), values.get("agency", user.agency))
    if roles is not None:
        _check_police_roles(roles, values.get("agency", user.agency))
    acting_pk = getattr(getattr(actor, "user", actor), "pk", None)
    if (
        roles is not None
        and acting_pk == user.pk
        and "administrator" in user.role_codes
        and "administrator" not in roles
    ):
        raise AccountRefused("You cannot remove your own administrator role")
    if values.get("is_active") is False and acting_pk == user.pk:
        raise AccountRefused("You cannot deactivate your own account")
    with transaction.atomic():
        changes = _apply(user, values)
        if roles is not None:
            old = sorted(user.role_codes)
            waiting = sorted(set(roles) - set(old) & SECOND_APPROVAL_REQUIRED)
            roles = [r for r in roles if r not in waiting]
            for role in waiting:
                role_grants.request_grant(actor, user, role)
            if sorted(roles) != old:
                user.role_assignments.exclude(role__in=roles).delete()
                existing = set(user.role_assignments.values_list("role", flat=True))
                RoleAssignment.objects.bulk_create(
                    RoleAssignment(user=user, role=r) for r in roles if r not in existing
                )
                changes["roles"] = [", ".join(old), ", ".join(sorted(roles))]
        save_if_unchanged(user, expected_version, list(values))
        user.__dict__.pop("role_codes", None)
        if changes:
            record_change(actor, user, AuditAction.UPDATE, changes=changes)
    return user


def reset_second_factor(actor: Any, user: User, *, reason: str) -> int:
    """Remove a user's authenticator so they enrol again at their next sign-in."""
    if not reason.strip():
        raise AccountRefused("Enter why the second factor is being reset")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        record_change(
            actor,
            user,
            AuditAction.UPDATE,
            reason=reason.strip(),
            changes={"second factor": ["enrolled" if removed else "none", "reset"]},
        )
    return removed


def _update(actor: Any, obj: Any, expected_version: int, values: dict) -> Any:
    with transaction.atomic():
        changes = _apply(obj, values)
        save_if_unchanged(obj, expected_version, list(values))
        if changes:
            record_change(actor, obj, AuditAction.UPDATE, changes=changes)
    return obj


def _apply(obj: Any, values: dict) -> dict[str, list[str]]:
    """Set the values on the object; return {field: [old, new]} for those that changed."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [
                str(old if old is not None else ""),
                str(new if new is not None else ""),
            ]
            setattr(obj, name, new)
    return changes


def _check_police_roles(roles: list[str], agency: Agency | None) -> None:
    police = sorted(set(roles) & POLICE_ROLES)
    if police and not (agency is not None and agency.is_police):
        names = " and ".join(Role(r).label.lower() for r in police)
        raise AccountRefused(
            f"A police role needs a police agency: choose a police agency for this person, or "
            f"remove the {names} role",
            "roles",
        )


def _check_team_in_agency(team: Team | None, agency: Agency | None) -> None:
    if team is not None and (agency is None or team.agency_id != agency.pk):
        raise AccountRefused("Choose a team that belongs to the user's agency")
