"""Who may open each risk page: children's assessments for the CSE team, nominals for the
police only, the tools for both."""

from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.tests.matrix import Expect

CSE_TEAM = {Role.CSE_SOCIAL_WORKER, Role.MACE_CHAIR}
POLICE = {Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR}


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


EXPECTATIONS = {
    "risk:tool-list": Expect(CSE_TEAM | POLICE),
    "risk:version-detail": Expect(CSE_TEAM | POLICE, kwargs=version),
    "risk:choose-tool": Expect(CSE_TEAM, kwargs=child),
    "risk:assess-child": Expect(CSE_TEAM, kwargs=child_and_version),
    "risk:assessment-detail": Expect(CSE_TEAM, kwargs=assessment),
    "risk:override": Expect(CSE_TEAM, kwargs=assessment),
    "risk:nominal-list": Expect(POLICE),
    "risk:nominal-create": Expect(POLICE),
    "risk:nominal-detail": Expect(POLICE, kwargs=nominal),
    "risk:assess-nominal": Expect(POLICE, kwargs=nominal),
}
