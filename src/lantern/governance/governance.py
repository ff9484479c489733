"""The kinds of person governance itself knows: a reporter is a user account (accounts is
below governance); children, nominals and survivors are registered by their own apps."""

from __future__ import annotations

from lantern.accounts.models import User
from lantern.governance import registry


def _find_reporter(officer, pk: int):
    return User.objects.filter(pk=pk).first()


registry.register_subject_kind(
    registry.SubjectKind(
        code="reporter",
        name="Reporter (a user account)",
        find=_find_reporter,
        describe=lambda user: f"user {user.get_username()}",
    )
)


def _account_items(kind: str, user) -> list[registry.Item]:
    rows = [
        ("Username", user.get_username(), False),
        ("Full name", getattr(user, "full_name", ""), False),
        ("Email", user.email, False),
        ("Agency", str(user.agency) if user.agency_id else "", False),
        ("Joined", f"{user.date_joined:%d %B %Y}", False),
    ]
    return [registry.Item("Account", rows, user)]


registry.register_subject_source(
    registry.SubjectSource("accounts", frozenset({"reporter"}), _account_items)
)
