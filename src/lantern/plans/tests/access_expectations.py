"""Who may open each delivery plan page. Plan viewers: performance officer, partnership manager,
board and scrutiny members; only the partnership manager changes the plan. A lead officer's
own access to their actions is tested in test_access.py (the matrix's users lead nothing)."""

from datetime import date

from lantern.accounts.roles import Role
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Expect

VIEWERS = {
    Role.PERFORMANCE_OFFICER,
    Role.PARTNERSHIP_MANAGER,
    Role.BOARD_MEMBER,
    Role.SCRUTINY_MEMBER,
}
MANAGERS = {Role.PARTNERSHIP_MANAGER}


def plan(world):
    """One small plan for the matrix: a strategy with an objective, an action and a version."""
    if not hasattr(world, "plan"):
        from types import SimpleNamespace

        from lantern.plans import services, versions

        actor = "access matrix"
        strategy = services.create_strategy(
            actor, name="Matrix plan 2025-28", start_year=2025, end_year=2028
        )
        priority = strategy.priorities.first()
        objective = services.save_objective(
            actor, strategy, priority=priority, ref="1.1", title="An objective"
        )
        lead = services.save_lead_officer(actor, strategy, name="Matrix Lead")
        recommendation = services.save_recommendation(
            actor, strategy, source="Matrix review", reference="recommendation 1", text=""
        )
        action = services.create_action(
            actor, objective, text="An action", lead=lead, due=date(2026, 3, 1)
        )
        version = versions.publish_version(actor, strategy, comment="First")
        world.plan = SimpleNamespace(
            strategy=strategy,
            priority=priority,
            objective=objective,
            lead=lead,
            recommendation=recommendation,
            action=action,
            version=version,
        )
    return world.plan


def strategy(w):
    return {"pk": plan(w).strategy.pk}


EXPECTATIONS = {
    "plans:strategy-list": Expect(VIEWERS),
    "plans:strategy-create": Expect(MANAGERS),
    "plans:my-actions": Expect(ANYONE_SIGNED_IN),
    "plans:strategy-detail": Expect(VIEWERS, kwargs=strategy),
    "plans:strategy-edit": Expect(MANAGERS, kwargs=strategy),
    "plans:plan-page": Expect(VIEWERS, kwargs=strategy),
    "plans:plan-pdf": Expect(VIEWERS, kwargs=strategy),
    "plans:plan-export": Expect(VIEWERS, kwargs=lambda w: {**strategy(w), "fmt": "csv"}),
    "plans:plan-import": Expect(MANAGERS, kwargs=strategy),
    "plans:priority-create": Expect(MANAGERS, kwargs=strategy),
    "plans:priority-edit": Expect(MANAGERS, kwargs=lambda w: {"pk": plan(w).priority.pk}),
    "plans:objective-create": Expect(MANAGERS, kwargs=strategy),
    "plans:objective-edit": Expect(MANAGERS, kwargs=lambda w: {"pk": plan(w).objective.pk}),
    "plans:action-create": Expect(MANAGERS, kwargs=strategy),
    "plans:action-detail": Expect(VIEWERS, kwargs=lambda w: {"pk": plan(w).action.pk}),
    "plans:action-edit": Expect(MANAGERS, kwargs=lambda w: {"pk": plan(w).action.pk}),
    "plans:action-withdraw": Expect(MANAGERS, kwargs=lambda w: {"pk": plan(w).action.pk}),
    "plans:lead-officer-list": Expect(MANAGERS, kwargs=strategy),
    "plans:lead-officer-edit": Expect(MANAGERS, kwargs=lambda w: {"pk": plan(w).lead.pk}),
    "plans:recommendation-list": Expect(VIEWERS, kwargs=strategy),
    "plans:recommendation-create": Expect(MANAGERS, kwargs=strategy),
    "plans:recommendation-edit": Expect(
        MANAGERS, kwargs=lambda w: {"pk": plan(w).recommendation.pk}
    ),
    "plans:version-list": Expect(VIEWERS, kwargs=strategy),
    "plans:version-publish": Expect(MANAGERS, kwargs=strategy),
    "plans:version-compare": Expect(VIEWERS, kwargs=strategy),
    "plans:version-detail": Expect(VIEWERS, kwargs=lambda w: {"pk": plan(w).version.pk}),
    "plans:public-list": Expect(PUBLIC),
    "plans:public-plan": Expect(PUBLIC, kwargs=strategy, note="a published version only"),
}
