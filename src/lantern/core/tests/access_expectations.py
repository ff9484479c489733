from lantern.accounts.roles import Role
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Expect

EXPECTATIONS = {
    "core:home": Expect(PUBLIC, note="the public start page, or the signed-in home"),
    "core:health": Expect({Role.ADMINISTRATOR}),
    "core:healthz": Expect(PUBLIC, ok_status=503, note="no personal data; 503 when unhealthy"),
    "core:guides": Expect(ANYONE_SIGNED_IN),
    "core:guide": Expect(ANYONE_SIGNED_IN, kwargs=lambda world: {"name": "signing-in"}),
}
