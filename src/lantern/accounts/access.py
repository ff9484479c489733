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
    VIEW_HEALTH = "core.view_health"  # periodic jobs: last run, last failure
    # Information governance: every type's retention queue, subject access exports
    REVIEW_RETENTION = "governance.review_retention"
    SUBJECT_ACCESS = "governance.subject_access"
    # Single point of entry
    SUBMIT_CONCERN = "intake.submit"
    WORK_INTAKE = "intake.work"
    SUPERVISE_INTAKE = "intake.supervise"
    VIEW_SHARED_SUBMISSIONS = "intake.view_shared"
    # The members' protocol: who answers a reporter's query at each stage
    ANSWER_QUERIES_UNIT = "intake.answer_queries_unit"  # stage 1: the intelligence unit
    ANSWER_QUERIES_ESCALATED = "intake.answer_queries_escalated"  # stage 2
    ANSWER_QUERIES_INDEPENDENT = "intake.answer_queries_independent"  # stage 3
    VIEW_MEMBER_ASSURANCE = "intake.view_member_assurance"  # aggregate figures for members
    EDIT_MEMBER_GUIDANCE = "intake.edit_member_guidance"  # the "what to do if" page
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
    MANAGE_RISK_TOOLS = "risk.manage_tools"
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
    R.COUNCILLOR: frozenset({Cap.SUBMIT_CONCERN, Cap.VIEW_MEMBER_ASSURANCE}),
    R.MEMBER_OF_PUBLIC: frozenset({Cap.SUBMIT_CONCERN}),
    R.POLICE_INTELLIGENCE: frozenset(
        {
            Cap.SUBMIT_CONCERN,
            Cap.WORK_INTAKE,
            Cap.ANSWER_QUERIES_UNIT,
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
            Cap.ANSWER_QUERIES_UNIT,
            Cap.ANSWER_QUERIES_ESCALATED,
            Cap.VIEW_MEMBER_ASSURANCE,
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
        {
            Cap.VIEW_REPORTS,
            Cap.MANAGE_PERFORMANCE,
            Cap.ENTER_FIGURES,
            Cap.VIEW_PLAN,
            Cap.VIEW_MEMBER_ASSURANCE,
        }
    ),
    R.PARTNERSHIP_MANAGER: frozenset(
        {
            Cap.VIEW_PLAN,
            Cap.MANAGE_PLAN,
            Cap.VIEW_REPORTS,
            Cap.SUBMIT_CONCERN,
            Cap.ANSWER_QUERIES_ESCALATED,
            Cap.VIEW_MEMBER_ASSURANCE,
            Cap.EDIT_MEMBER_GUIDANCE,
        }
    ),
    # The partnership's independent chair and the scrutiny chair answer at stage 3.
    R.BOARD_MEMBER: frozenset(
        {Cap.VIEW_PLAN, Cap.VIEW_REPORTS, Cap.ANSWER_QUERIES_INDEPENDENT, Cap.VIEW_MEMBER_ASSURANCE}
    ),
    R.SCRUTINY_MEMBER: frozenset(
        {Cap.VIEW_PLAN, Cap.VIEW_REPORTS, Cap.ANSWER_QUERIES_INDEPENDENT, Cap.VIEW_MEMBER_ASSURANCE}
    ),
    R.ADMINISTRATOR: frozenset(
        {
            Cap.MANAGE_AGENCIES,
            Cap.MANAGE_USERS,
            Cap.VIEW_AUDIT,
            Cap.VIEW_HEALTH,
            Cap.MANAGE_RISK_TOOLS,
            Cap.REVIEW_RETENTION,
            Cap.SUBJECT_ACCESS,
        }
    ),
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


class SubmissionRule(Rule):
    """Police intelligence see every submission in full. A reporter sees their own (status
    only); partners see the partner-safe summary of what was shared with their agency; CSE
    social workers see safeguarding referrals about a specific child, and those decided for a
    social care referral, in full."""

    def visible_q(self, user):
        if has_capability(user, Cap.WORK_INTAKE):
            return None
        if not user.is_authenticated:
            return Q(pk__in=[])
        q = Q(submitted_by=user)
        if has_capability(user, Cap.VIEW_SHARED_SUBMISSIONS) and user.agency_id:
            from lantern.intake.models import Submission

            shared = Submission.shared_with.through.objects.filter(agency_id=user.agency_id)
            q |= Q(pk__in=shared.values("submission_id"))
        if has_capability(user, Cap.MANAGE_CHILDREN):
            q |= Q(route="specific_child") | Q(decision="social_care")
        return q

    def can(self, user, action, obj):
        if action == "export":
            return has_capability(user, Cap.SUPERVISE_INTAKE)
        if action == "work":
            return has_capability(user, Cap.WORK_INTAKE)
        if action == "view_full":
            if has_capability(user, Cap.WORK_INTAKE):
                return True
            return has_capability(user, Cap.MANAGE_CHILDREN) and (
                obj.route == "specific_child" or obj.decision == "social_care"
            )
        if action == "view_summary":
            return self.can(user, "view_full", obj) or (
                has_capability(user, Cap.VIEW_SHARED_SUBMISSIONS)
                and user.agency_id is not None
                and obj.shared_with.filter(pk=user.agency_id).exists()
            )
        if action == "view":
            return obj.submitted_by_id == user.pk or self.can(user, "view_summary", obj)
        return False


# The members' protocol: the capability that answers a query at each stage.
QUERY_STAGE_CAPS = {
    1: Cap.ANSWER_QUERIES_UNIT,
    2: Cap.ANSWER_QUERIES_ESCALATED,
    3: Cap.ANSWER_QUERIES_INDEPENDENT,
}


class MemberQueryRule(Rule):
    """A reporter sees their own queries; whoever answers at a stage sees the queries at that
    stage; the intelligence unit sees every query (they answer first and follow the rest)."""

    def visible_q(self, user):
        if not user.is_authenticated:
            return Q(pk__in=[])
        if has_capability(user, Cap.ANSWER_QUERIES_UNIT):
            return None
        stages = [s for s, cap in QUERY_STAGE_CAPS.items() if has_capability(user, cap)]
        q = Q(raised_by=user)
        if stages:
            q |= Q(stage__in=stages)
        return q

    def can(self, user, action, obj):
        if action == "answer":
            return has_capability(user, QUERY_STAGE_CAPS.get(obj.stage, ""))
        if action in {"escalate", "close"}:
            return obj.raised_by_id == user.pk
        if action == "view":
            return (
                obj.raised_by_id == user.pk
                or has_capability(user, Cap.ANSWER_QUERIES_UNIT)
                or has_capability(user, QUERY_STAGE_CAPS.get(obj.stage, ""))
            )
        return False


class GuidancePageRule(Rule):
    """Pages for members (such as "what to do if"): read by anyone signed in, edited by the
    partnership manager."""

    def visible_q(self, user):
        return None if user.is_authenticated else Q(pk__in=[])

    def can(self, user, action, obj):
        if action == "view":
            return True
        return has_capability(user, Cap.EDIT_MEMBER_GUIDANCE)


# --- end intake rules ---

# --- plans rules (delivery plan) ---


class PlanRecordRule(Rule):
    """Strategies, priorities, objectives, lead officers, recommendations and versions: seen by
    those who view the plan (aggregate business data), changed by the partnership manager."""

    def visible_q(self, user):
        return None if has_capability(user, Cap.VIEW_PLAN) else Q(pk__in=[])

    def can(self, user, action, obj):
        if action == "view":
            return has_capability(user, Cap.VIEW_PLAN)
        return has_capability(user, Cap.MANAGE_PLAN)


class DeliveryActionRule(Rule):
    """Plan viewers see every action; a lead officer who is a user sees the actions they lead
    and may add evidence and change their BRAG rating ("update_progress"). Only the
    partnership manager changes an action's wording, lead, due month or objective."""

    def visible_q(self, user):
        if has_capability(user, Cap.VIEW_PLAN):
            return None
        return Q(lead__user=user)

    def can(self, user, action, obj):
        leads_it = obj.lead_id is not None and obj.lead.user_id == user.pk
        if action == "view":
            return has_capability(user, Cap.VIEW_PLAN) or leads_it
        if action == "update_progress":
            return has_capability(user, Cap.MANAGE_PLAN) or leads_it
        return has_capability(user, Cap.MANAGE_PLAN)


# --- end plans rules ---

# --- performance rules ---


class FiguresRequestRule(Rule):
    """The performance officer sees every request; a partner sees its own agency's."""

    def visible_q(self, user):
        if has_capability(user, Cap.MANAGE_PERFORMANCE):
            return None
        if has_capability(user, Cap.ENTER_FIGURES) and user.agency_id:
            return Q(agency_id=user.agency_id)
        return Q(pk__in=[])

    def can(self, user, action, obj):
        if has_capability(user, Cap.MANAGE_PERFORMANCE):
            return True
        return (
            action in {"view", "enter"}
            and has_capability(user, Cap.ENTER_FIGURES)
            and obj.agency_id == user.agency_id
        )


PERFORMANCE_READERS = (
    Cap.MANAGE_PERFORMANCE,
    Cap.VIEW_REPORTS,
    Cap.ENTER_FIGURES,
    Cap.VIEW_RESTRICTED_REPORTS,
)


class MeasureRule(Rule):
    """The catalogue holds no personal data: anyone working with figures may read it."""

    def visible_q(self, user):
        readers = (*PERFORMANCE_READERS, Cap.MANAGE_USERS)
        return None if any(has_capability(user, c) for c in readers) else Q(pk__in=[])

    def can(self, user, action, obj):
        if action == "view":
            return self.visible_q(user) is None
        return has_capability(user, Cap.MANAGE_PERFORMANCE)


class PublishedReportRule(Rule):
    """Published reports are for the board, scrutiny and the people who run the framework."""

    def visible_q(self, user):
        readers = (Cap.MANAGE_PERFORMANCE, Cap.VIEW_REPORTS)
        return None if any(has_capability(user, c) for c in readers) else Q(pk__in=[])

    def can(self, user, action, obj):
        return action == "view" and self.visible_q(user) is None


# --- end performance rules ---

# --- entities rules (cross-referencing) ---


def _visible_sources_q(user) -> Q:
    """Mentions whose source record the user may see, by each source type's own rule."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from lantern.entities.models import Mention

    q = Q(pk__in=[])
    # The record types that have mentions: one index probe per type, not a scan of mentions.
    used = Mention.objects.filter(content_type=OuterRef("pk"))
    for content_type in ContentType.objects.filter(Exists(used)):
        model = content_type.model_class()
        if model is None:
            continue
        source_q = rule_for(model).visible_q(user)
        if source_q is None:  # every record of this type: no need to look them up
            q |= Q(content_type=content_type)
            continue
        ids = model._default_manager.filter(source_q)
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
    see that mentions it, so an entity known only from hidden records does not exist for them.
    Seeing an entity is not seeing all its details: `entity_details_seen` decides those."""

    def visible_q(self, user):
        if has_capability(user, Cap.RESOLVE_ENTITIES):
            return None
        if not has_capability(user, Cap.VIEW_ENTITIES):
            return Q(pk__in=[])
        from lantern.entities.models import Mention

        mentioned = Mention.objects.filter(_visible_sources_q(user)).values("entity_id")
        return Q(pk__in=mentioned)

    def can(self, user, action, obj):
        if action in ("resolve", "merge", "split", "change"):
            return has_capability(user, Cap.RESOLVE_ENTITIES)
        q = self.visible_q(user)
        return q is None or type(obj)._default_manager.filter(q, pk=obj.pk).exists()


def entity_details_seen(user: Any, entities: Any) -> dict[int, frozenset[str]]:
    """For each entity, the details `user` may see: those whose source they may open.

    A detail a record's mention gave is seen by whoever may see that record (MentionRule);
    one an analyst set by a correction, by police when the correction was marked police only
    and by anyone who may see the entity when it was marked shared; one with no recorded
    source (made before sources were kept, or outside the services) by analysts only. The
    caller has already found the entities visible (EntityRule): this decides their details,
    in two queries whatever the number of entities."""
    from lantern.entities.models import DETAIL_FIELDS, Mention

    entities = list(entities)
    if not has_capability(user, Cap.VIEW_ENTITIES):
        return {entity.pk: frozenset() for entity in entities}
    wanted = {
        source["mention"]
        for entity in entities
        for source in (entity.sources or {}).values()
        if source.get("mention")
    }
    opened: set[int] = set()
    if wanted:
        found = Mention.objects.filter(MentionRule().visible_q(user), pk__in=wanted)
        opened = set(found.values_list("pk", flat=True))
    return {
        entity.pk: frozenset(
            name
            for name in DETAIL_FIELDS
            if _detail_source_open(user, (entity.sources or {}).get(name), opened)
        )
        for entity in entities
    }


def _detail_source_open(user: Any, source: dict | None, opened_mentions: set[int]) -> bool:
    if not source:
        return has_capability(user, Cap.RESOLVE_ENTITIES)
    if source.get("mention"):
        return source["mention"] in opened_mentions
    if source.get("correction"):
        if source.get("handling") == "shared":
            return True
        return bool(getattr(user, "is_police", False))
    return False


def entity_correction_seen(user: Any, event: Any, *, old_values: bool = False) -> bool:
    """May `user` read what this correction of an entity set (its new values in the history)?
    As for the details it set: police only unless it was marked shared. The values it
    replaced (`old_values`) may have come from a police-only correction or any record, so
    they are for police only."""
    handling = "police" if old_values else (event.handling or "police")
    source = {"correction": event.pk, "handling": handling}
    return has_capability(user, Cap.VIEW_ENTITIES) and _detail_source_open(user, source, set())


def entity_details_in_figures(entity: Any) -> frozenset[str]:
    """The details of an entity that may be counted in figures the partnership reads (the
    problem profile): those a record gave, or a correction marked shared; never a police-only
    correction, nor a detail with no recorded source."""
    from lantern.entities.models import DETAIL_FIELDS

    sources = entity.sources or {}
    return frozenset(
        name
        for name in DETAIL_FIELDS
        if sources.get(name)
        and (sources[name].get("mention") or sources[name].get("handling") == "shared")
    )


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


def _tasking_model(name: str):
    from django.apps import apps

    return apps.get_model("tasking", name)


def _sees_all_tasking(user) -> bool:
    """Police and meeting chairs see every meeting, item, action and plan."""
    return user.is_authenticated and (user.is_police or has_capability(user, Cap.CHAIR_TASKING))


def _member_series_ids(user):
    series = _tasking_model("MeetingSeries").objects.filter(
        Q(member_agencies=user.agency_id) | Q(members=user.pk)
    )
    return series.values("pk")


class MeetingSeriesRule(Rule):
    """Meetings are shared with their member agencies and people; police and chairs see all.
    A chair (or a deputy with the chair capability in the chair's agency) runs the meeting."""

    series_path = "pk"

    def visible_q(self, user):
        if not has_capability(user, Cap.VIEW_TASKING):
            return Q(pk__in=[])
        if _sees_all_tasking(user):
            return None
        return Q(**{f"{self.series_path}__in": _member_series_ids(user)})

    def series_of(self, obj):
        return obj

    def can(self, user, action, obj):
        series = self.series_of(obj)
        if action == "view":
            return has_capability(user, Cap.VIEW_TASKING) and (
                _sees_all_tasking(user)
                or series.member_agencies.filter(pk=user.agency_id).exists()
                or series.members.filter(pk=user.pk).exists()
            )
        if action in {"chair", "change"}:
            return has_capability(user, Cap.CHAIR_TASKING) and (
                series.chair_id == user.pk
                or (user.agency_id is not None and series.chair.agency_id == user.agency_id)
            )
        return False


class MeetingRule(MeetingSeriesRule):
    series_path = "series"

    def series_of(self, obj):
        return obj.series


class AgendaItemRule(MeetingSeriesRule):
    """Items: as their meeting. The full text needs police or the chair, and, when the item came
    from another record, the right to view that record (its own app's rule)."""

    series_path = "meeting__series"

    def visible_q(self, user):
        # Handling code C: police read it, a chair sees that it exists (its reference), a
        # member agency outside its conditions does not see it at all.
        q = super().visible_q(user)
        if q is None or not user.is_authenticated or has_capability(user, Cap.CHAIR_TASKING):
            return q
        cleared = _tasking_model("AgendaItem").cleared_agencies.through.objects.filter(
            agency_id=user.agency_id
        )
        return q & (~Q(handling_code="C") | Q(pk__in=cleared.values("agendaitem_id")))

    def series_of(self, obj):
        return obj.meeting.series

    def can(self, user, action, obj):
        if action == "read":
            return self.can(user, "view", obj) and reads_conditioned_item(user, obj)
        if action != "view_full":
            return super().can(user, action, obj)
        if not (user.is_police or super().can(user, "chair", obj)):
            return False
        source = obj.source if obj.source_type_id else None
        return source is None or can(user, "view", source)


def reads_conditioned_item(user: Any, item: Model) -> bool:
    """May this user read an agenda item's text? Under handling code C only police and people
    of the agencies its conditions name may; everyone may read a code P item."""
    if item.handling_code != "C":
        return True
    return user.is_authenticated and (
        user.is_police
        or (user.agency_id is not None and item.cleared_agencies.filter(pk=user.agency_id).exists())
    )


def reads_conditioned_action(user: Any, action: Model) -> bool:
    """A code C action is read by police and its owning agency (inside the conditions)."""
    if action.handling_code != "C":
        return True
    return user.is_authenticated and (
        user.is_police or action.owner_id == user.pk or action.owning_agency_id == user.agency_id
    )


class ActionRule(Rule):
    """Actions are shared with the owning agency (and the owner); police and chairs see all.
    The owning agency's people, police and chairs update and complete them."""

    def visible_q(self, user):
        if not (has_capability(user, Cap.VIEW_TASKING) or has_capability(user, Cap.TAKE_ACTIONS)):
            return Q(pk__in=[])
        if _sees_all_tasking(user):
            return None
        return Q(owning_agency=user.agency_id) | Q(owner=user.pk)

    def can(self, user, action, obj):
        mine = obj.owner_id == user.pk or (
            user.agency_id is not None and obj.owning_agency_id == user.agency_id
        )
        if action == "view":
            allowed = has_capability(user, Cap.VIEW_TASKING) or has_capability(
                user, Cap.TAKE_ACTIONS
            )
            return allowed and (mine or _sees_all_tasking(user))
        if action == "update":
            return (mine and has_capability(user, Cap.TAKE_ACTIONS)) or (
                _sees_all_tasking(user) and reads_conditioned_action(user, obj)
            )
        if action == "read":
            return self.can(user, "view", obj) and reads_conditioned_action(user, obj)
        return False


class DisruptionPlanRule(Rule):
    """Plans: police and chairs see all; a partner sees a plan with an action for their agency.
    Police officers who assess suspects manage them."""

    def visible_q(self, user):
        if not has_capability(user, Cap.VIEW_TASKING):
            return Q(pk__in=[])
        if _sees_all_tasking(user):
            return None
        uses = _tasking_model("PlanTactic").objects.filter(action__owning_agency=user.agency_id)
        return Q(pk__in=uses.values("plan_id"))

    def can(self, user, action, obj):
        if action == "view":
            q = self.visible_q(user)
            return q is None or type(obj).objects.filter(q, pk=obj.pk).exists()
        return action == "change" and has_capability(user, Cap.ASSESS_SUSPECTS)


class TacticRule(Rule):
    """The tactic catalogue: read by everyone in tasking, edited by chairs."""

    def visible_q(self, user):
        return None if has_capability(user, Cap.VIEW_TASKING) else Q(pk__in=[])

    def can(self, user, action, obj):
        if action == "view":
            return has_capability(user, Cap.VIEW_TASKING)
        return has_capability(user, Cap.CHAIR_TASKING)


class OperationRule(Rule):
    """The operations register exists only for police roles."""

    def visible_q(self, user):
        return None if has_capability(user, Cap.VIEW_OPERATIONS) else Q(pk__in=[])

    def can(self, user, action, obj):
        return has_capability(user, Cap.VIEW_OPERATIONS)


class ChargeRule(OperationRule):
    """Charges are police records, seen and recorded by police roles only."""


class NotificationRule(Rule):
    """A person's notifications are theirs alone."""

    def visible_q(self, user):
        return Q(recipient=user.pk)

    def can(self, user, action, obj):
        return obj.recipient_id == user.pk


# --- end tasking rules ---

# --- children and risk rules ---


def _children_user_can_see(user: Any) -> Q | None:
    """Children this user may see at all: the CSE team all, allocated workers theirs, partners
    the ones shared with their agency (a share without an end date, or ending today or later),
    and members of a meeting with the child on its agenda (for that meeting's scope)."""
    if has_capability(user, Cap.VIEW_CHILDREN):
        return None
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from lantern.children.models import Allocation, ChildShare

    today = timezone.localdate()
    allocated = Allocation.objects.filter(child=OuterRef("pk"), worker=user, ended_on__isnull=True)
    shared = ChildShare.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        child=OuterRef("pk"),
        agency_id=user.agency_id,
    )
    on_agenda = Q(pk__in=children_on_agendas(meetings_opening_children_to(user, today)))
    return Q(Exists(allocated)) | Q(Exists(shared)) | (on_agenda & Q(restricted=False))


def meeting_access_days() -> int:
    """How many days after a meeting its members still see the children on its agenda."""
    from django.conf import settings

    return settings.LANTERN_MEETING_CHILD_ACCESS_DAYS


def meetings_opening_children_to(user: Any, today: Any) -> QuerySet:
    """Meetings whose agenda opens children's records to this user, for that meeting's scope:
    meetings of a series the user is a named member (attendee) or the chair of, not cancelled,
    still to come or held within `meeting_access_days()` before `today`. Membership through
    an agency alone is not enough: the agency's people are not all at the table."""
    from datetime import timedelta

    meeting_model = _tasking_model("Meeting")
    if not getattr(user, "is_authenticated", False) or not has_capability(user, Cap.VIEW_TASKING):
        return meeting_model.objects.none()
    series = _tasking_model("MeetingSeries").objects.filter(Q(members=user.pk) | Q(chair=user.pk))
    return meeting_model.objects.filter(
        series__in=series.values("pk"),
        held_on__gte=today - timedelta(days=meeting_access_days()),
    ).exclude(status="cancelled")


def children_on_agendas(meetings: QuerySet) -> QuerySet:
    """Ids (a subquery) of the children on these meetings' agendas: an item for the child
    itself (a MACE review) or for one of their missing episodes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import BigIntegerField
    from django.db.models.functions import Cast

    from lantern.children.models import Child, MissingEpisode

    items = _tasking_model("AgendaItem").objects.filter(meeting__in=meetings.values("pk"))

    def source_ids(model):
        return (
            items.filter(source_type=ContentType.objects.get_for_model(model))
            .annotate(source_pk=Cast("source_id", BigIntegerField()))
            .values("source_pk")
        )

    episodes = MissingEpisode.objects.filter(pk__in=source_ids(MissingEpisode))
    return Child.objects.filter(
        Q(pk__in=source_ids(Child)) | Q(pk__in=episodes.values("child_id"))
    ).values("pk")


def child_access_level(user: Any, child: Model) -> str:
    """How much of a child's record this user may see: "full", "restricted" (only that the
    record exists, until they break glass), "shared" (a partner agency's summary), "meeting"
    (only what the meetings with the child on their agenda discuss) or ""."""
    if not can(user, "view", child):
        return ""
    if child.pk in children_opened_to(user):
        return "full"
    if has_capability(user, Cap.VIEW_CHILDREN):
        return "restricted" if child.restricted else "full"
    from django.utils import timezone

    from lantern.children.models import ChildShare

    today = timezone.localdate()
    shared = ChildShare.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), child=child, agency_id=user.agency_id
    )
    return "shared" if shared.exists() else "meeting"


def children_opened_to(user: Any) -> set[int]:
    """Ids of children this user may see in full whatever their restriction: allocated to
    them, or opened by an unexpired break glass."""
    from django.utils import timezone

    from lantern.children.models import Allocation, BreakGlass

    if not getattr(user, "is_authenticated", False):
        return set()
    allocated = Allocation.objects.filter(worker=user, ended_on__isnull=True)
    opened = BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
    return set(allocated.values_list("child_id", flat=True)) | set(
        opened.values_list("child_id", flat=True)
    )


def existence_only_q(user: Any) -> Q:
    """Children (a filter on Child) that show this user only that they exist: restricted
    records outside their circle (not allocated to them, no unexpired break glass)."""
    return Q(restricted=True) & ~Q(pk__in=children_opened_to(user))


def filter_children_in_full(user: Any, children: QuerySet, condition: Q) -> QuerySet:
    """A list's filter applied only to the children this user may see in full. Records that
    show only that they exist stay in every result, whatever the filter asks (a risk level,
    an age, a name), so whether they are listed never tells their details."""
    hidden = existence_only_q(user)
    return children.filter(hidden | (~hidden & condition))


def order_children_in_full(user: Any, children: QuerySet, *fields: str) -> QuerySet:
    """Children ordered by `fields`, with the records that show only that they exist after
    all the others, in reference order: their place in the list tells nothing of them."""
    from django.db.models import Case, F, Value, When

    hidden = existence_only_q(user)
    sort_keys = {
        f"_sort_{i}": Case(When(hidden, then=Value(None)), default=F(field.lstrip("-")))
        for i, field in enumerate(fields)
    }
    ordered = children.annotate(
        _existence_only=Case(When(hidden, then=Value(1)), default=Value(0)),
        **sort_keys,
    )
    keys = [
        f"-_sort_{i}" if field.startswith("-") else f"_sort_{i}" for i, field in enumerate(fields)
    ]
    return ordered.order_by("_existence_only", *keys, "reference", "pk")


def get_full_child_or_404(user: Any, queryset: QuerySet, **lookup: Any) -> Model:
    """A child whose full record the user may see and work on; a restricted child outside
    the user's circle is a 404 here (its page offers break glass instead)."""
    child = get_visible_or_404(user, queryset, **lookup)
    if child_access_level(user, child) != "full":
        raise Http404
    return child


class ChildRule(Rule):
    """The CSE team sees every child; allocated workers their children; partner agencies only
    the children shared with them, and only the shared summary. The CSE team changes them."""

    def visible_q(self, user):
        return _children_user_can_see(user)

    def can(self, user, action, obj):
        if action == "view":
            q = _children_user_can_see(user)
            return q is None or type(obj).objects.filter(q, pk=obj.pk).exists()
        return has_capability(user, Cap.MANAGE_CHILDREN)


class ChildPartRule(Rule):
    """Records that belong to a child (contacts, missing episodes, MACE discussions...): seen
    by the CSE team (a restricted child's only by allocated workers or after breaking glass)
    and by allocated workers; changed by the CSE team."""

    def __init__(self, path: str = "child") -> None:
        self.path = path

    def visible_q(self, user):
        if not getattr(user, "is_authenticated", False):
            return Q(pk__in=[])
        from django.utils import timezone

        from lantern.children.models import Allocation, BreakGlass

        mine = Allocation.objects.filter(worker=user, ended_on__isnull=True).values("child_id")
        if has_capability(user, Cap.VIEW_CHILDREN):
            opened = BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
            return (
                Q(**{f"{self.path}__restricted": False})
                | Q(**{f"{self.path}__in": mine})
                | Q(**{f"{self.path}__in": opened.values("child_id")})
            )
        return Q(**{f"{self.path}__in": mine})

    def can(self, user, action, obj):
        q = self.visible_q(user)
        visible_to_user = type(obj).objects.filter(q, pk=obj.pk).exists()
        if action == "view":
            return visible_to_user
        return visible_to_user and has_capability(user, Cap.MANAGE_CHILDREN)


class ServiceRule(Rule):
    """The catalogue of services is open to every signed-in user; the CSE team keeps it."""

    def visible_q(self, user):
        return None

    def can(self, user, action, obj):
        return action == "view" or has_capability(user, Cap.MANAGE_CHILDREN)


class RiskToolRule(Rule):
    """Risk tools and their versions: readable by those who assess children or suspects and by
    administrators, who author new versions ("change"): only a draft version can be changed."""

    def visible_q(self, user):
        if any(
            has_capability(user, cap)
            for cap in (Cap.VIEW_CHILDREN, Cap.ASSESS_SUSPECTS, Cap.MANAGE_RISK_TOOLS)
        ):
            return None
        return Q(pk__in=[])

    def can(self, user, action, obj):
        if action == "view":
            return self.visible_q(user) is None
        return action == "change" and has_capability(user, Cap.MANAGE_RISK_TOOLS)


class NominalRule(Rule):
    """Nominals (suspects) and their assessments are police only."""

    def visible_q(self, user):
        if has_capability(user, Cap.ASSESS_SUSPECTS) and getattr(user, "is_police", False):
            return None
        return Q(pk__in=[])

    def can(self, user, action, obj):
        return self.visible_q(user) is None


class RiskAssessmentRule(Rule):
    """A child's assessment is seen as the child's record is; a nominal's by the police."""

    def visible_q(self, user):
        children = ChildPartRule().visible_q(user)
        nominals = NominalRule().visible_q(user)
        if children is None and nominals is None:
            return None
        child_q = Q(child__isnull=False) if children is None else children
        nominal_q = Q(nominal__isnull=False) if nominals is None else nominals
        return child_q | nominal_q

    def can(self, user, action, obj):
        if action == "approve":
            # Only the approver the assessor named decides on a pending override.
            return (
                obj.override_status == "pending"
                and obj.override_approved_by_id == user.pk
                and self.can(user, "view", obj)
            )
        if obj.child_id is not None:
            return ChildPartRule().can(user, action, obj)
        return NominalRule().can(user, action, obj)


# --- end children and risk rules ---


RULES: dict[str, Rule] = {
    "accounts.agency": AdministeredRule(),
    "accounts.team": AdministeredRule(),
    "accounts.user": UserRule(),
    "audit.auditentry": AuditRule(),
    "intake.submission": SubmissionRule(),
    "intake.memberquery": MemberQueryRule(),
    "intake.guidancepage": GuidancePageRule(),
    # intake rules register here
    "plans.strategy": PlanRecordRule(),
    "plans.priority": PlanRecordRule(),
    "plans.objective": PlanRecordRule(),
    "plans.leadofficer": PlanRecordRule(),
    "plans.recommendation": PlanRecordRule(),
    "plans.planversion": PlanRecordRule(),
    "plans.deliveryaction": DeliveryActionRule(),
    # plans rules register here
    "performance.figuresrequest": FiguresRequestRule(),
    "performance.measure": MeasureRule(),
    "performance.publishedreport": PublishedReportRule(),
    # performance rules register here
    "entities.entity": EntityRule(),
    "entities.mention": MentionRule(),
    "entities.note": EntityNoteRule(),
    "entities.suggestedmatch": EntityResolutionRule(),
    "entities.rejectedmatch": EntityResolutionRule(),
    "entities.modelversion": EntityResolutionRule(),
    "entities.entityevent": EntityResolutionRule(),
    # entities rules register here
    "tasking.meetingseries": MeetingSeriesRule(),
    "tasking.meeting": MeetingRule(),
    "tasking.agendaitem": AgendaItemRule(),
    "tasking.action": ActionRule(),
    "tasking.disruptionplan": DisruptionPlanRule(),
    "tasking.tactic": TacticRule(),
    "tasking.operation": OperationRule(),
    "tasking.charge": ChargeRule(),
    "tasking.notification": NotificationRule(),
    # tasking rules register here
    "children.child": ChildRule(),
    "children.episode": ChildPartRule(),
    "children.allocation": ChildPartRule(),
    "children.childshare": ChildPartRule(),
    "children.contact": ChildPartRule(),
    "children.referral": ChildPartRule(),
    "children.macediscussion": ChildPartRule(),
    "children.missingepisode": ChildPartRule(),
    "children.returninterview": ChildPartRule("episode__child"),
    "children.servicereferral": ChildPartRule(),
    "children.alert": ChildPartRule(),
    "children.service": ServiceRule(),
    "risk.risktool": RiskToolRule(),
    "risk.risktoolversion": RiskToolRule(),
    "risk.nominal": NominalRule(),
    "risk.riskassessment": RiskAssessmentRule(),
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
