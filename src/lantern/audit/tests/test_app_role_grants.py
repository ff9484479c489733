"""The operator guide's grants give the application role INSERT and SELECT only on the audit
trail's tables (PostgreSQL): run as given, then UPDATE, DELETE and TRUNCATE are refused by the
grants themselves (TRUNCATE is not covered by the trigger), and INSERT and SELECT work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="grants are PostgreSQL's",
    ),
]

GUIDE = Path(settings.PROJECT_DIR) / "docs" / "operator-guide.md"
ROLE = "lantern_app_grants_test"


def guide_grants() -> str:
    block = re.search(r"```sql\n(CREATE ROLE lantern_app.*?)```", GUIDE.read_text(), re.S)
    assert block, "the operator guide gives no grants for lantern_app"
    sql = block.group(1).replace("lantern_app", ROLE).replace("'...'", "'test-only'")
    return sql.replace("DATABASE lantern ", f'DATABASE "{connection.settings_dict["NAME"]}" ')


def _as_app(sql: str) -> str:
    """Run one statement as the application role; "ok" or the error's first line."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {ROLE}")
            cursor.execute(sql)
            return "ok"
    except DatabaseError as error:
        return str(error).splitlines()[0]


def test_the_application_role_may_only_insert_and_select_on_the_trail():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        for statement in guide_grants().split(";"):
            statement = re.sub(r"--[^\n]*", "", statement).strip()
            if statement:
                cursor.execute(statement)
    try:
        assert _as_app("SELECT count(*) FROM audit_auditentry") == "ok"
        assert (
            _as_app(
                "INSERT INTO audit_auditentry (at, actor_label, action, object_type, object_id, "
                "object_repr, reason, path, details, prev_hash, entry_hash, key_id, mac) VALUES "
                "(now(), 'grants test', 'read', '', '', '', '', '', '{}', '', '', 'k', 'm')"
            )
            == "ok"
        )
        for table in ("audit_auditentry", "audit_auditlink", "audit_auditcheckpoint"):
            assert "permission denied" in _as_app(f"UPDATE {table} SET key_id = key_id"), table  # noqa: S608
            assert "permission denied" in _as_app(f"DELETE FROM {table}"), table  # noqa: S608
            assert "permission denied" in _as_app(f"TRUNCATE {table} CASCADE"), table
        assert _as_app("DELETE FROM audit_auditpending WHERE false") == "ok"
        assert _as_app("UPDATE core_jobrun SET holder = holder WHERE false") == "ok"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {ROLE}")
            cursor.execute(f"DROP ROLE {ROLE}")
