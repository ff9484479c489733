from lantern.accounts.roles import Role
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Expect

ADMIN = {Role.ADMINISTRATOR}
MATRIX_TOKEN = "matrix-invitation-token"  # noqa: S105 - test data


def _open_invitation(world) -> str:
    """An unused invitation for the world's other user; its link is public by design."""
    from datetime import timedelta

    from django.utils import timezone

    from lantern.accounts.models import Invitation
    from lantern.accounts.services import _token_hash

    Invitation.objects.get_or_create(
        token_hash=_token_hash(MATRIX_TOKEN),
        defaults={"user": world.other_user, "expires_at": timezone.now() + timedelta(hours=1)},
    )
    return MATRIX_TOKEN


def _pending_grant(world) -> dict:
    from lantern.accounts import role_grants
    from lantern.core.testing import make_user

    asker = make_user(Role.ADMINISTRATOR)
    return {"pk": role_grants.request_grant(asker, world.other_user, Role.MACE_CHAIR).pk}


EXPECTATIONS = {
    "accounts:sign-in": Expect(PUBLIC),
    "accounts:verify": Expect(ANYONE_SIGNED_IN, note="verified users are sent on"),
    "accounts:enrol": Expect(ANYONE_SIGNED_IN, note="users with an app are sent to verify"),
    "accounts:sign-out": Expect(PUBLIC, method="post", signs_out=True),
    "accounts:invitation": Expect(PUBLIC, kwargs=lambda w: {"token": _open_invitation(w)}),
    "accounts:agency-list": Expect(ADMIN),
    "accounts:agency-create": Expect(ADMIN),
    "accounts:agency-detail": Expect(ADMIN, kwargs=lambda w: {"pk": w.agency.pk}),
    "accounts:agency-archive": Expect(ADMIN, kwargs=lambda w: {"pk": w.agency.pk}),
    "accounts:team-create": Expect(ADMIN, kwargs=lambda w: {"pk": w.agency.pk}),
    "accounts:team-detail": Expect(ADMIN, kwargs=lambda w: {"pk": w.team.pk}),
    "accounts:user-list": Expect(ADMIN),
    "accounts:user-create": Expect(ADMIN),
    "accounts:user-detail": Expect(ADMIN, kwargs=lambda w: {"pk": w.other_user.pk}),
    "accounts:role-grant-list": Expect(ADMIN),
    "accounts:role-grant-decide": Expect(
        ADMIN, kwargs=_pending_grant, note="GET sends back to the list; POST decides"
    ),
    "accounts:user-invite": Expect(ADMIN, method="post", kwargs=lambda w: {"pk": w.other_user.pk}),
    "accounts:user-reset-2fa": Expect(ADMIN, kwargs=lambda w: {"pk": w.other_user.pk}),
}
