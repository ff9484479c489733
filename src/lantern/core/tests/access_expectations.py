from lantern.accounts.roles import Role
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, Expect

EXPECTATIONS = {
    "core:home": Expect(ANYONE_SIGNED_IN),
    "core:health": Expect({Role.ADMINISTRATOR}),
}
