from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from io import StringIO

import pytest


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Argon2 is the production hasher (tested in accounts); tests hash thousands of passwords.

    Session-wide, so data that session- and module-scoped fixtures load (the demo's accounts)
    is hashed the same way as the tests check it.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


# Rows that data migrations create (risk tools, the service catalogue, disruption tactics and
# escalation routes). A transactional test (every browser test) ends by emptying the tables,
# which would leave later transactional tests without them, so they are put back when missing.
_DATA_MIGRATIONS = [
    ("lantern.risk.migrations.0002_seed_tools", "create_tools", "risk", "RiskTool"),
    ("lantern.children.migrations.0002_seed_services", "create_services", "children", "Service"),
    ("lantern.tasking.migrations.0002_default_tactics_and_routes", "add", "tasking", "Tactic"),
]


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(tmp_path):
    """Each test's database starts afresh, so its audit checkpoints (`lantern tick`) go to a
    folder of its own: a file shared between tests would describe another test's chain."""
    from django.test import override_settings

    with override_settings(LANTERN_AUDIT_CHECKPOINT_DIR=tmp_path / "audit-checkpoints"):
        yield


@pytest.fixture(autouse=True)
def _data_migration_rows(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        restore_data_migration_rows()
    yield


def restore_data_migration_rows() -> None:
    """Put back the data migrations' rows if an earlier transactional test emptied them."""
    from django.apps import apps

    for module, function, app_label, model in _DATA_MIGRATIONS:
        if not apps.get_model(app_label, model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


@dataclass(frozen=True)
class DemoBorough:
    """The borough demo as `lantern demo --no-serve` loaded it: its printed output and load time."""

    output: str
    seconds: float


@pytest.fixture(scope="session")
def demo_borough(django_db_setup, django_db_blocker) -> DemoBorough:
    """The fictional borough's demo, loaded once per test session and shared read-mostly.

    The load runs inside a transaction that stays open while the tests that ask for this fixture
    run (each in its own savepoint, rolled back as usual by the `db` fixture), and is rolled back
    at the end of the session. Those tests are run last (see `pytest_collection_modifyitems`), so
    every other test still starts from an empty database.
    """
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        restore_data_migration_rows()  # a transactional test may have emptied them (committed)
        outer = transaction.atomic()
        outer.__enter__()
        output = StringIO()
        started = time.perf_counter()
        call_command("demo", no_serve=True, stdout=output)
        demo = DemoBorough(output=output.getvalue(), seconds=time.perf_counter() - started)
    yield demo
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def pytest_collection_modifyitems(config, items):
    """Run the tests that share the loaded demo after every other test, in their usual order.

    The shared demo's transaction is open from its first test to the end of the session, so no
    test that expects an empty database, and no transactional (browser) test, may run after it.
    """
    for item in items:
        # make test runs browser tests once, by marker: one left unmarked would run twice.
        if "tests/browser/" in item.nodeid and not item.get_closest_marker("browser"):
            raise pytest.UsageError(f"{item.nodeid}: mark browser tests with pytest.mark.browser")
    shared = [item for item in items if "demo_borough" in getattr(item, "fixturenames", ())]
    for item in shared:
        marker = item.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("transaction")) or "live_server" in item.fixturenames:
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot share the demo's open transaction; "
                "load the demo in a fixture of its own"
            )
    if shared:
        rest = [item for item in items if "demo_borough" not in getattr(item, "fixturenames", ())]
        items[:] = rest + shared
