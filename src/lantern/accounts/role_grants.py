"""Two administrators for a role that sees full intelligence or restricted records.

An administrator who gives such a role (roles.SECOND_APPROVAL_REQUIRED) makes a pending
RoleGrant; the role takes effect only when a different administrator approves it. Both steps
are audited in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.accounts.models import RoleAssignment, RoleGrant, RoleGrantStatus, User
from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError


class GrantRefused(LanternError):
    """A decision on a role grant that cannot be made."""


def request_grant(actor: Any, user: User, role: str) -> RoleGrant:
    """Ask for `role` for `user`, to wait for a second administrator. An identical pending
    request is returned as it is."""
    existing = RoleGrant.objects.filter(
        user=user, role=role, status=RoleGrantStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    grant = RoleGrant.objects.create(
        user=user, role=role, requested_by=_user(actor), requested_at=timezone.now()
    )
    record_change(
        actor,
        grant,
        AuditAction.CREATE,
        changes={"role": ["", Role(role).label], "user": ["", str(user)]},
        reason="role waiting for a second administrator's approval",
    )
    return grant


def approve(actor: Any, grant: RoleGrant) -> RoleGrant:
    """Give the role. Refuses the administrator who asked for it, the person it is for, and a
    grant already decided."""
    return _decide(actor, grant, RoleGrantStatus.APPROVED)


def decline(actor: Any, grant: RoleGrant) -> RoleGrant:
    """Refuse the role; the request stays on record. Same refusals as approve."""
    return _decide(actor, grant, RoleGrantStatus.DECLINED)


def pending_grants():
    return RoleGrant.objects.filter(status=RoleGrantStatus.PENDING).select_related(
        "user__agency", "requested_by"
    )


def _decide(actor: Any, grant: RoleGrant, status: str) -> RoleGrant:
    decider = _user(actor)
    if decider.pk in (grant.requested_by_id, grant.user_id):
        raise GrantRefused(
            "This role must be approved by another administrator, not the one who asked for it "
            "or the person it is for"
        )
    with transaction.atomic():
        locked = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.status != RoleGrantStatus.PENDING:
            raise GrantRefused("This role has already been approved or declined")
        grant.status = status
        grant.decided_by = decider
        grant.decided_at = timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        if status == RoleGrantStatus.APPROVED:
            RoleAssignment.objects.get_or_create(user=grant.user, role=grant.role)
        record_change(
            actor,
            grant,
            AuditAction.UPDATE,
            changes={"status": [RoleGrantStatus.PENDING, status]},
        )
        if status == RoleGrantStatus.APPROVED:
            record_change(
                actor,
                grant.user,
                AuditAction.UPDATE,
                changes={"roles": ["", f"added {Role(grant.role).label}"]},
                reason=f"approved; asked for by {grant.requested_by}",
            )
    return grant


def _user(actor: Any) -> User:
    return getattr(actor, "user", actor)
