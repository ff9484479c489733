"""Who may open each children page. Children are for the CSE team (social workers and MACE
chairs); every other role gets a 404 or 403. The service catalogue is for everyone."""

from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, Expect

CSE_TEAM = {Role.CSE_SOCIAL_WORKER, Role.MACE_CHAIR}


def child(world):
    return {"pk": f.make_child(by=world.other_user).pk}


def episode(world):
    return {"pk": f.make_child(by=world.other_user).episodes.get().pk}


def contact(world):
    return {"pk": f.make_contact(f.make_child(by=world.other_user)).pk}


def referral(world):
    return {"pk": f.make_referral(f.make_child(by=world.other_user)).pk}


def mace(world):
    return {"pk": f.make_mace(f.make_child(by=world.other_user)).pk}


def missing(world):
    return {"pk": f.make_missing(f.make_child(by=world.other_user)).pk}


def service_referral(world):
    return {"pk": f.make_service_referral(f.make_child(by=world.other_user)).pk}


EXPECTATIONS = {
    "children:child-list": Expect(CSE_TEAM),
    "children:child-create": Expect(CSE_TEAM),
    "children:child-detail": Expect(CSE_TEAM, kwargs=child),
    "children:child-edit": Expect(CSE_TEAM, kwargs=child),
    "children:break-glass": Expect(
        CSE_TEAM, kwargs=child, note="a record open to them redirects to its page"
    ),
    "children:episode-open": Expect(CSE_TEAM, kwargs=child),
    "children:episode-close": Expect(CSE_TEAM, kwargs=episode),
    "children:allocate": Expect(CSE_TEAM, kwargs=child),
    "children:share": Expect(CSE_TEAM, kwargs=child),
    "children:contact-create": Expect(CSE_TEAM, kwargs=child),
    "children:contact-decide": Expect(CSE_TEAM, kwargs=contact),
    "children:referral-assessment": Expect(CSE_TEAM, kwargs=referral),
    "children:mace-create": Expect(CSE_TEAM, kwargs=child),
    "children:mace-detail": Expect(CSE_TEAM, kwargs=mace),
    "children:mace-due": Expect(CSE_TEAM),
    "children:missing-create": Expect(CSE_TEAM, kwargs=child),
    "children:missing-detail": Expect(CSE_TEAM, kwargs=missing),
    "children:missing-found": Expect(CSE_TEAM, kwargs=missing),
    "children:return-interview": Expect(CSE_TEAM, kwargs=missing),
    "children:service-referral-create": Expect(CSE_TEAM, kwargs=child),
    "children:service-referral-update": Expect(CSE_TEAM, kwargs=service_referral),
    "children:service-list": Expect(ANYONE_SIGNED_IN),
    "children:alert-list": Expect(CSE_TEAM),
}
