from lantern.accounts.roles import Role
from lantern.core.tests.matrix import Expect

REVIEWERS = {
    Role.ADMINISTRATOR,
    Role.POLICE_INTELLIGENCE,
    Role.POLICE_SUPERVISOR,
    Role.CSE_SOCIAL_WORKER,
    Role.MACE_CHAIR,
}
OFFICER = {Role.ADMINISTRATOR}

EXPECTATIONS = {
    "governance:queue": Expect(REVIEWERS),
    "governance:review": Expect(REVIEWERS, method="post", note="an empty form: errors shown"),
    "governance:decide": Expect(
        REVIEWERS, method="post", kwargs=lambda world: {"pk": 999999}, note="no such request"
    ),
    "governance:subject-start": Expect(OFFICER),
    "governance:subject": Expect(
        OFFICER, kwargs=lambda world: {"kind": "reporter", "pk": world.other_user.pk}
    ),
    "governance:subject-pdf": Expect(
        OFFICER, kwargs=lambda world: {"kind": "reporter", "pk": world.other_user.pk}
    ),
}
