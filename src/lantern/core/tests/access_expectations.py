from lantern.accounts.roles import Role
from lantern.core.tests.matrix import PUBLIC, Expect

EXPECTATIONS = {
    "core:home": Expect(PUBLIC, note="the public start page, or the signed-in home"),
    "core:health": Expect({Role.ADMINISTRATOR}),
}
