import importlib

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tested in accounts); tests hash thousands of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Rows that data migrations create (risk tools, the service catalogue, disruption tactics and
# escalation routes). A transactional test (every browser test) ends by emptying the tables,
# which would leave later transactional tests without them, so they are put back when missing.
_DATA_MIGRATIONS = [
    ("lantern.risk.migrations.0002_seed_tools", "create_tools", "risk", "RiskTool"),
    ("lantern.children.migrations.0002_seed_services", "create_services", "children", "Service"),
    ("lantern.tasking.migrations.0002_default_tactics_and_routes", "add", "tasking", "Tactic"),
]


@pytest.fixture(autouse=True)
def _data_migration_rows(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if transactional:
        from django.apps import apps

        request.getfixturevalue("transactional_db")
        for module, function, app_label, model in _DATA_MIGRATIONS:
            if not apps.get_model(app_label, model).objects.exists():
                getattr(importlib.import_module(module), function)(apps, None)
    yield
