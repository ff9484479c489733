from lantern.accounts.roles import Role
from lantern.core.tests.matrix import PUBLIC, Expect

ADMIN = {Role.ADMINISTRATOR}

EXPECTATIONS = {
    "accounts:sign-in": Expect(PUBLIC),
    "accounts:verify": Expect(PUBLIC, note="signed-in users are sent on; others to sign in"),
    "accounts:enrol": Expect(PUBLIC, note="as above"),
    "accounts:sign-out": Expect(PUBLIC, method="post"),
    "accounts:agency-list": Expect(ADMIN),
    "accounts:agency-create": Expect(ADMIN),
    "accounts:agency-detail": Expect(ADMIN, kwargs=lambda w: {"pk": w.agency.pk}),
    "accounts:agency-archive": Expect(ADMIN, kwargs=lambda w: {"pk": w.agency.pk}),
    "accounts:team-create": Expect(ADMIN, kwargs=lambda w: {"pk": w.agency.pk}),
    "accounts:team-detail": Expect(ADMIN, kwargs=lambda w: {"pk": w.team.pk}),
    "accounts:user-list": Expect(ADMIN),
    "accounts:user-create": Expect(ADMIN),
    "accounts:user-detail": Expect(ADMIN, kwargs=lambda w: {"pk": w.other_user.pk}),
    "accounts:user-reset-2fa": Expect(ADMIN, kwargs=lambda w: {"pk": w.other_user.pk}),
}
