"""What administrators do to agencies, teams and users. One transaction each, audited.

Nothing here deletes: agencies and teams are archived, users deactivated, so every record that
refers to them still makes sense. Edits carry the version the form was opened at; if someone
saved in between, `EditConflict` is raised and nothing is written.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import role_grants
from lantern.accounts.models import Agency, Invitation, RoleAssignment, Team, User
from lantern.accounts.roles import POLICE_ROLES, SECOND_APPROVAL_REQUIRED, Role
from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_change
from lantern.core.errors import LanternError
from lantern.core.versioning import save_if_unchanged


class AccountRefused(LanternError):
    """An account change that would leave the partnership in a bad state; `field` names the
    form field it is about, where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvitationRefused(LanternError):
    """An invitation link that cannot be used: unknown, already used, withdrawn or expired."""


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
    roles: list[str],
    agency: Agency | None = None,
    team: Team | None = None,
    manager: User | None = None,
    job_title: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Create a user with their roles. A role that sees full intelligence or restricted records
    waits for a second administrator (role_grants). Refuses a police role for someone outside a
    police agency.

    Staff are given no password here: send them an invitation (`invite_user`) to choose one. A
    password is accepted only from commands that load demo or test data; it is hashed (Argon2).
    """
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
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
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


def invite_user(actor: Any, user: User, *, link_for: Callable[[str], str]) -> Invitation:
    """Email the person a single-use link to choose their password, and withdraw older links.

    `link_for` turns the secret into the full address of the invitation page. The link expires
    after LANTERN_INVITATION_HOURS. Refused for an inactive user, or one with no email address.
    """
    if not user.is_active:
        raise AccountRefused("This account is deactivated. Reactivate it before inviting them")
    if not user.email:
        raise AccountRefused("Add the person's email address before sending an invitation")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    hours = settings.LANTERN_INVITATION_HOURS
    with transaction.atomic():
        withdrawn = Invitation.objects.filter(
            user=user, used_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        invitation = Invitation.objects.create(
            user=user,
            token_hash=_token_hash(token),
            created_by=_acting_user(actor),
            expires_at=now + timedelta(hours=hours),
        )
        record_change(
            actor,
            user,
            AuditAction.UPDATE,
            changes={"invitation": ["withdrawn" if withdrawn else "", f"sent, {hours} hours"]},
        )
        link = link_for(token)
        transaction.on_commit(
            lambda: send_mail(
                f"You have a {settings.LANTERN_BOROUGH_NAME} Lantern account",
                _invitation_text(user, link, invitation.expires_at),
                None,
                [user.email],
            )
        )
    return invitation


def usable_invitation(token: str, *, request: Any = None) -> Invitation:
    """The invitation this link's secret belongs to, if it can still be used.

    Refuses (InvitationRefused, with what to do) an unknown link, one already used or
    withdrawn, or one past its expiry. A refused link is recorded in the audit trail.
    """
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    )
    problem = _invitation_problem(invitation)
    if problem:
        record(
            actor=invitation.user if invitation else "",
            action=AuditAction.SIGN_IN_FAILED,
            object_type="accounts.invitation",
            object_id=str(invitation.pk) if invitation else "",
            object_repr=str(invitation or "unknown invitation link"),
            request=request,
            details={"invitation": problem},
        )
        raise InvitationRefused(
            {
                "unknown": "This link is not right. Check you copied the whole link from the "
                "email, or ask your administrator to send a new invitation",
                "used": "This invitation has already been used. Sign in with the password you "
                "chose, or ask your administrator to send a new invitation",
                "withdrawn": "A newer invitation has been sent to you. Use the link in the "
                "latest email, or ask your administrator to send a new one",
                "expired": "This invitation has expired. Ask your administrator to send a new one",
                "inactive": "This account is deactivated. Ask your administrator",
            }[problem]
        )
    return invitation


def accept_invitation(request: Any, token: str, *, password: str) -> User:
    """Set the invited person's password and use up the link. Refuses a link that cannot be used.

    The caller checks the password against the validators first. The person must then set up
    their authenticator app before they see anything (User.must_set_up_second_factor).
    """
    invitation = usable_invitation(token, request=request)  # a refusal's audit entry stays
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:  # someone used the same link a moment ago
            raise InvitationRefused("This invitation has already been used")
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        record_change(user, user, AuditAction.UPDATE, changes={"invitation": ["sent", "accepted"]})
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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _invitation_problem(invitation: Invitation | None) -> str:
    if invitation is None:
        return "unknown"
    if invitation.used_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.expires_at <= timezone.now():
        return "expired"
    if not invitation.user.is_active:
        return "inactive"
    return ""


def _acting_user(actor: Any) -> User | None:
    user = getattr(actor, "user", actor)
    return user if isinstance(user, User) else None


def _invitation_text(user: User, link: str, expires_at) -> str:
    expires = timezone.localtime(expires_at).strftime("%-d %B %Y at %H:%M")
    return (
        f"Hello {user.full_name},\n\n"
        f"An administrator has made you a Lantern account. Your username is {user.username}.\n\n"
        f"Choose your password here (the link works once, until {expires}):\n{link}\n\n"
        "You will then set up an authenticator app on your phone: you need a code from it "
        "each time you sign in.\n\n"
        "If you were not expecting this, tell your administrator and do not use the link.\n"
    )


def _check_team_in_agency(team: Team | None, agency: Agency | None) -> None:
    if team is not None and (agency is None or team.agency_id != agency.pk):
        raise AccountRefused("Choose a team that belongs to the user's agency")
