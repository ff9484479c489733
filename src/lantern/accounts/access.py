"""The one access policy: may this user do this, to this record?

Three kinds of question, all answered here and nowhere else:

- capability: may a user of these roles use this part of Lantern at all (`has_capability`)?
- object: may this user do this action to this record (`can`)? Decided from role, agency,
  allocation, meeting membership and the record's handling code by a rule per record type.
- list: which records of a type may this user see (`visible`)? The same rule as a queryset
  filter, so lists are filtered in the query, never after.

Views declare their rule with a decorator (`public`, `signed_in`, `requires`); the access matrix
test walks every URL and fails on a view without one. A record a user has no right to is a 404,
never a 403, so its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from lantern.accounts.roles import Role

# --- Capabilities ---------------------------------------------------------------------------


class Cap:
    """Named capabilities. A view or service asks for one of these, never for a role."""

    # Administration
    MANAGE_AGENCIES = "accounts.manage_agencies"
    MANAGE_USERS = "accounts.manage_users"
    VIEW_AUDIT = "audit.view"
    # Single point of entry
    SUBMIT_CONCERN = "intake.submit"
    WORK_INTAKE = "intake.work"
    SUPERVISE_INTAKE = "intake.supervise"
    VIEW_SHARED_SUBMISSIONS = "intake.view_shared"
    # Cross-referencing
    VIEW_ENTITIES = "entities.view"
    RESOLVE_ENTITIES = "entities.resolve"
    # Tasking
    VIEW_TASKING = "tasking.view"
    CHAIR_TASKING = "tasking.chair"
    TAKE_ACTIONS = "tasking.take_actions"
    VIEW_OPERATIONS = "tasking.view_operations"
    # Children and suspects
    VIEW_CHILDREN = "children.view"
    MANAGE_CHILDREN = "children.manage"
    CHAIR_MACE = "children.chair_mace"
    ASSESS_SUSPECTS = "risk.assess_suspects"
    # Delivery plan
    VIEW_PLAN = "plans.view"
    MANAGE_PLAN = "plans.manage"
    # Performance
    VIEW_REPORTS = "performance.view_reports"
    MANAGE_PERFORMANCE = "performance.manage"
    ENTER_FIGURES = "performance.enter_figures"
    VIEW_RESTRICTED_REPORTS = "performance.view_restricted"


R = Role
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    R.PARTNER_PRACTITIONER: frozenset(
        {
            Cap.SUBMIT_CONCERN,
            Cap.VIEW_SHARED_SUBMISSIONS,
            Cap.TAKE_ACTIONS,
            Cap.VIEW_TASKING,
            Cap.VIEW_ENTITIES,
            Cap.ENTER_FIGURES,
        }
    ),
    R.COUNCILLOR: frozenset({Cap.SUBMIT_CONCERN}),
    R.MEMBER_OF_PUBLIC: frozenset({Cap.SUBMIT_CONCERN}),
    R.POLICE_INTELLIGENCE: frozenset(
        {
            Cap.SUBMIT_CONCERN,
            Cap.WORK_INTAKE,
            Cap.VIEW_SHARED_SUBMISSIONS,
            Cap.VIEW_ENTITIES,
            Cap.RESOLVE_ENTITIES,
            Cap.VIEW_TASKING,
            Cap.TAKE_ACTIONS,
            Cap.VIEW_OPERATIONS,
            Cap.ASSESS_SUSPECTS,
            Cap.VIEW_RESTRICTED_REPORTS,
            Cap.ENTER_FIGURES,
        }
    ),
    R.POLICE_SUPERVISOR: frozenset(
        {
            Cap.SUBMIT_CONCERN,
            Cap.WORK_INTAKE,
            Cap.SUPERVISE_INTAKE,
            Cap.VIEW_SHARED_SUBMISSIONS,
            Cap.VIEW_ENTITIES,
            Cap.RESOLVE_ENTITIES,
            Cap.VIEW_TASKING,
            Cap.CHAIR_TASKING,
            Cap.TAKE_ACTIONS,
            Cap.VIEW_OPERATIONS,
            Cap.ASSESS_SUSPECTS,
            Cap.VIEW_RESTRICTED_REPORTS,
            Cap.VIEW_REPORTS,
            Cap.ENTER_FIGURES,
        }
    ),
    R.CSE_SOCIAL_WORKER: frozenset(
        {
            Cap.SUBMIT_CONCERN,
            Cap.VIEW_SHARED_SUBMISSIONS,
            Cap.VIEW_ENTITIES,
            Cap.VIEW_TASKING,
            Cap.TAKE_ACTIONS,
            Cap.VIEW_CHILDREN,
            Cap.MANAGE_CHILDREN,
            Cap.VIEW_RESTRICTED_REPORTS,
            Cap.ENTER_FIGURES,
        }
    ),
    R.MACE_CHAIR: frozenset(
        {
            Cap.SUBMIT_CONCERN,
            Cap.VIEW_SHARED_SUBMISSIONS,
            Cap.VIEW_ENTITIES,
            Cap.VIEW_TASKING,
            Cap.CHAIR_TASKING,
            Cap.TAKE_ACTIONS,
            Cap.VIEW_CHILDREN,
            Cap.MANAGE_CHILDREN,
            Cap.CHAIR_MACE,
            Cap.VIEW_RESTRICTED_REPORTS,
            Cap.VIEW_REPORTS,
        }
    ),
    R.PERFORMANCE_OFFICER: frozenset(
        {Cap.VIEW_REPORTS, Cap.MANAGE_PERFORMANCE, Cap.ENTER_FIGURES, Cap.VIEW_PLAN}
    ),
    R.PARTNERSHIP_MANAGER: frozenset(
        {Cap.VIEW_PLAN, Cap.MANAGE_PLAN, Cap.VIEW_REPORTS, Cap.SUBMIT_CONCERN}
    ),
    R.BOARD_MEMBER: frozenset({Cap.VIEW_PLAN, Cap.VIEW_REPORTS}),
    R.SCRUTINY_MEMBER: frozenset({Cap.VIEW_PLAN, Cap.VIEW_REPORTS}),
    R.ADMINISTRATOR: frozenset({Cap.MANAGE_AGENCIES, Cap.MANAGE_USERS, Cap.VIEW_AUDIT}),
}


def capabilities_of(user: Any) -> frozenset[str]:
    """Every capability the user's roles give them; none for anonymous or inactive users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    caps: set[str] = set()
    for role in user.role_codes:
        caps |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(caps)


def has_capability(user: Any, capability: str) -> bool:
    return capability in capabilities_of(user)


# --- View decorators ------------------------------------------------------------------------

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: Callable) -> Callable:
    """Anyone may open this page, signed in or not (sign-in, the public reporting form)."""
    view.lantern_access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: Callable) -> Callable:
    """Any signed-in user may open this page (their home page, their own profile)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.lantern_access = SIGNED_IN  # type: ignore[attr-defined]
    return wrapper


def requires(*capabilities: str) -> Callable[[Callable], Callable]:
    """Only users holding at least one of these capabilities may open this page."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_capability(request.user, cap) for cap in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.lantern_access = capabilities  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- Object and list rules ------------------------------------------------------------------
#
# One rule per record type, keyed by "app_label.ModelName". A rule gives a Q filter of the
# records the user may see (None means all of them) and a function for actions on one record.
# Later apps add their rules below, next to these, so the whole policy reads in one file.


class Rule:
    def visible_q(self, user: Any) -> Q | None:
        """Records of this type the user may see; None for all, Q(pk__in=[]) for none."""
        return Q(pk__in=[])

    def can(self, user: Any, action: str, obj: Model) -> bool:
        return False


class AdministeredRule(Rule):
    """Reference records only administrators manage: agencies, teams, users."""

    def visible_q(self, user):
        return None if has_capability(user, Cap.MANAGE_USERS) else Q(pk__in=[])

    def can(self, user, action, obj):
        return has_capability(user, Cap.MANAGE_USERS)


class UserRule(AdministeredRule):
    """Administrators manage users; anyone may view and change their own account."""

    def visible_q(self, user):
        if has_capability(user, Cap.MANAGE_USERS):
            return None
        return Q(pk=user.pk) if user.is_authenticated else Q(pk__in=[])

    def can(self, user, action, obj):
        if has_capability(user, Cap.MANAGE_USERS):
            return True
        return action in {"view", "change_own"} and obj.pk == user.pk


class AuditRule(Rule):
    """The audit trail is for administrators: appended to by everyone, read by them."""

    def visible_q(self, user):
        return None if has_capability(user, Cap.VIEW_AUDIT) else Q(pk__in=[])

    def can(self, user, action, obj):
        return action == "view" and has_capability(user, Cap.VIEW_AUDIT)


# --- intake rules (single point of entry) ---

# --- end intake rules ---

# --- plans rules (delivery plan) ---

# --- end plans rules ---

# --- performance rules ---

# --- end performance rules ---

# --- entities rules (cross-referencing) ---


def _visible_sources_q(user) -> Q:
    """Mentions whose source record the user may see, by each source type's own rule."""
    from django.contrib.contenttypes.models import ContentType

    from lantern.entities.models import Mention

    q = Q(pk__in=[])
    type_ids = Mention.objects.values_list("content_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
        model = content_type.model_class()
        if model is None:
            continue
        source_q = rule_for(model).visible_q(user)
        ids = model._default_manager.all()
        if source_q is not None:
            ids = ids.filter(source_q)
        q |= Q(content_type=content_type, object_id__in=ids.values("pk"))
    return q


class MentionRule(Rule):
    """A mention is seen by whoever may see its source record, and only with entity access."""

    def visible_q(self, user):
        if not has_capability(user, Cap.VIEW_ENTITIES):
            return Q(pk__in=[])
        return _visible_sources_q(user)

    def can(self, user, action, obj):
        if action == "resolve":
            return has_capability(user, Cap.RESOLVE_ENTITIES)
        if not has_capability(user, Cap.VIEW_ENTITIES) or obj.source is None:
            return False
        return can(user, "view", obj.source)


class EntityRule(Rule):
    """Analysts see every entity; other partners see an entity only through a record they may
    see that mentions it, so an entity known only from hidden records does not exist for them."""

    def visible_q(self, user):
        if has_capability(user, Cap.RESOLVE_ENTITIES):
            return None
        if not has_capability(user, Cap.VIEW_ENTITIES):
            return Q(pk__in=[])
        from lantern.entities.models import Mention

        mentioned = Mention.objects.filter(_visible_sources_q(user)).values("entity_id")
        return Q(pk__in=mentioned)

    def can(self, user, action, obj):
        if action in ("resolve", "merge", "split"):
            return has_capability(user, Cap.RESOLVE_ENTITIES)
        q = self.visible_q(user)
        return q is None or type(obj)._default_manager.filter(q, pk=obj.pk).exists()


class EntityResolutionRule(Rule):
    """Suggested matches and the model: analysts only."""

    def visible_q(self, user):
        return None if has_capability(user, Cap.RESOLVE_ENTITIES) else Q(pk__in=[])

    def can(self, user, action, obj):
        return has_capability(user, Cap.RESOLVE_ENTITIES)


class EntityNoteRule(Rule):
    """A note is seen by its author's agency and by analysts."""

    def visible_q(self, user):
        if has_capability(user, Cap.RESOLVE_ENTITIES):
            return None
        if not has_capability(user, Cap.VIEW_ENTITIES) or user.agency_id is None:
            return Q(pk__in=[])
        return Q(agency_id=user.agency_id)

    def can(self, user, action, obj):
        if has_capability(user, Cap.RESOLVE_ENTITIES):
            return True
        return (
            action == "view"
            and has_capability(user, Cap.VIEW_ENTITIES)
            and user.agency_id is not None
            and obj.agency_id == user.agency_id
        )


# --- end entities rules ---

# --- tasking rules ---

# --- end tasking rules ---

# --- children and risk rules ---

# --- end children and risk rules ---


RULES: dict[str, Rule] = {
    "accounts.agency": AdministeredRule(),
    "accounts.team": AdministeredRule(),
    "accounts.user": UserRule(),
    "audit.auditentry": AuditRule(),
    # intake rules register here
    # plans rules register here
    # performance rules register here
    "entities.entity": EntityRule(),
    "entities.mention": MentionRule(),
    "entities.note": EntityNoteRule(),
    "entities.suggestedmatch": EntityResolutionRule(),
    "entities.rejectedmatch": EntityResolutionRule(),
    "entities.modelversion": EntityResolutionRule(),
    "entities.entityevent": EntityResolutionRule(),
    # entities rules register here
    # tasking rules register here
    # children and risk rules register here
}


def rule_for(model: type[Model]) -> Rule:
    label = model._meta.label_lower
    try:
        return RULES[label]
    except KeyError:
        # A record type without a rule is visible to nobody: forgetting a rule fails closed.
        return Rule()


def visible(user: Any, queryset: QuerySet) -> QuerySet:
    """The records in `queryset` that `user` may see, filtered in the database."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    q = rule_for(queryset.model).visible_q(user)
    return queryset if q is None else queryset.filter(q)


def can(user: Any, action: str, obj: Model) -> bool:
    """May `user` do `action` ("view", "change", ...) to `obj`?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return rule_for(type(obj)).can(user, action, obj)


def get_visible_or_404(user: Any, queryset: QuerySet, **lookup: Any) -> Model:
    """One record the user may see, or 404 whether it is missing or hidden from them."""
    try:
        return visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def authorise(user: Any, action: str, obj: Model) -> None:
    """Refuse with 403 an action on a record the user can see but may not change."""
    if not can(user, action, obj):
        raise PermissionDenied
