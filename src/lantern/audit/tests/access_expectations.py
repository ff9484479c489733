from lantern.accounts.roles import Role
from lantern.core.tests.matrix import Expect

EXPECTATIONS = {
    "audit:search": Expect({Role.ADMINISTRATOR}),
    "audit:record": Expect(
        {Role.ADMINISTRATOR},
        kwargs=lambda w: {"object_type": "accounts.user", "object_id": str(w.other_user.pk)},
    ),
}
