"""Agencies, teams and users: who works in the partnership and what roles they hold."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from lantern.accounts.roles import POLICE_ROLES, SECOND_FACTOR_REQUIRED, Role


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    LICENSING = "licensing", "Licensing"
    HOUSING = "housing", "Housing"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    YOUTH_SERVICE = "youth_service", "Youth service"
    VOLUNTARY = "voluntary", "Voluntary organisation"
    COUNCIL = "council", "Council (members and corporate)"
    OTHER = "other", "Other"


class Agency(models.Model):
    """A partner organisation. Agencies are archived, never deleted: records refer to them."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    is_active = models.BooleanField(default=True)
    archived_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind == AgencyKind.POLICE


class Team(models.Model):
    """A team inside an agency (for example the CSE team, or the intelligence unit)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class LanternUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Usernames are matched without regard to case, so "A.Khan" and "a.khan" are one person.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in. Users are deactivated, never deleted."""

    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    manager = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="reports", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    objects = LanternUserManager()

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.is_active or self.pk is None:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.role_codes & SECOND_FACTOR_REQUIRED)

    @property
    def must_set_up_second_factor(self) -> bool:
        """Their role needs one, or they joined by invitation: staff enrol at first sign-in."""
        return self.needs_second_factor or self.invitations.filter(used_at__isnull=False).exists()

    @property
    def is_police(self) -> bool:
        return bool(self.role_codes & POLICE_ROLES) and bool(self.agency and self.agency.is_police)

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.role_codes)]


class RoleAssignment(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class RoleGrant(models.Model):
    """A role that sees full intelligence or restricted records, asked for by one
    administrator: it takes effect only when another administrator approves it
    (accounts.role_grants)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)
    status = models.CharField(
        max_length=20, choices=RoleGrantStatus.choices, default=RoleGrantStatus.PENDING
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending"),
                name="role_grant_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} for {self.user}"


class Invitation(models.Model):
    """A link that lets a new staff member choose their password: works once, then expires.

    Only a hash of the link's secret is kept, so the table alone cannot be used to sign up.
    Sending a new invitation withdraws the person's earlier unused ones.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations_sent", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"
