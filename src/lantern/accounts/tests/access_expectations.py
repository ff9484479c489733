from lantern.accounts.roles import Role
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Expect

ADMIN = {Role.ADMINISTRATOR}

EXPECTATIONS = {
    "accounts:sign-in": Expect(PUBLIC),
    "accounts:verify": Expect(ANYONE_SIGNED_IN, note="verified users are sent on"),
    "accounts:enrol": Expect(ANYONE_SIGNED_IN, note="users with an app are sent to verify"),
    "accounts:sign-out": Expect(PUBLIC, method="post", signs_out=True),
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
