"""Who may open each risk page: children's assessments for the CSE team, nominals for the
police only, the tools for both and for administrators, who alone author tool versions."""

from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.tests.matrix import Expect

CSE_TEAM = {Role.CSE_SOCIAL_WORKER, Role.MACE_CHAIR}
POLICE = {Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR}
ADMIN = {Role.ADMINISTRATOR}


def child(world):
    return {"child_pk": f.make_child(by=world.other_user).pk}


def child_and_version(world):
    return {**child(world), "version_pk": f.active_version("cse-screening").pk}


def assessment(world):
    return {"pk": f.make_assessment(f.make_child(by=world.other_user)).pk}


def nominal(world):
    return {"pk": f.make_nominal(world.other_user).pk}


def version(world):
    return {"pk": f.active_version("cse-risk-assessment").pk}


def tool(world):
    return {"pk": f.active_version("cse-screening").tool_id}


def draft(world):
    return {"pk": f.make_draft("cse-risk-assessment").pk}


def draft_group(world):
    return {"pk": f.make_draft("cse-risk-assessment").groups.first().pk}


def draft_indicator(world):
    group = f.make_draft("cse-risk-assessment").groups.first()
    return {"pk": group.indicators.first().pk}


def pending_override(world):
    return {"pk": f.make_pending_override(f.make_child(by=world.other_user)).pk}


EXPECTATIONS = {
    "risk:tool-list": Expect(CSE_TEAM | POLICE | ADMIN),
    "risk:version-detail": Expect(CSE_TEAM | POLICE | ADMIN, kwargs=version),
    "risk:new-draft": Expect(ADMIN, kwargs=tool, note="GET goes back to the tool list"),
    "risk:version-guidance": Expect(ADMIN, kwargs=draft),
    "risk:group-add": Expect(ADMIN, kwargs=draft),
    "risk:group-edit": Expect(ADMIN, kwargs=draft_group),
    "risk:indicator-add": Expect(ADMIN, kwargs=draft_group),
    "risk:indicator-edit": Expect(ADMIN, kwargs=draft_indicator),
    "risk:bands-edit": Expect(ADMIN, kwargs=draft),
    "risk:publish": Expect(ADMIN, kwargs=draft, note="GET asks to confirm"),
    "risk:override-decision": Expect(
        set(), kwargs=pending_override, note="only the approver named on the override"
    ),
    "risk:nominal-edit": Expect(POLICE, kwargs=nominal),
    "risk:choose-tool": Expect(CSE_TEAM, kwargs=child),
    "risk:assess-child": Expect(CSE_TEAM, kwargs=child_and_version),
    "risk:assessment-detail": Expect(CSE_TEAM, kwargs=assessment),
    "risk:override": Expect(CSE_TEAM, kwargs=assessment),
    "risk:nominal-list": Expect(POLICE),
    "risk:nominal-create": Expect(POLICE),
    "risk:nominal-detail": Expect(POLICE, kwargs=nominal),
    "risk:assess-nominal": Expect(POLICE, kwargs=nominal),
}
