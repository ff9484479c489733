"""The access matrix: what every role may open, declared per app, checked for every URL.

Each app lists its URL names in `<app>/tests/access_expectations.py` as EXPECTATIONS. The
matrix test fails for a URL with no expectation, so a new view cannot ship without a rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"
ANYONE_SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class Expect:
    """Who may open a URL: PUBLIC, ANYONE_SIGNED_IN, or a set of roles."""

    allowed: Any
    kwargs: Callable[[Any], dict] = field(default=lambda world: {})
    method: str = "get"
    signs_out: bool = False  # the page ends the session, so a redirect to sign in is success
    note: str = ""
    ok_status: int = 200  # another status that still means "let in" (/healthz: 503 unhealthy)


def all_expectations() -> dict[str, Expect]:
    expectations: dict[str, Expect] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("lantern."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_expectations")
        except ModuleNotFoundError:
            continue
        expectations.update(module.EXPECTATIONS)
    return expectations


def all_url_names() -> dict[str, Callable]:
    """Every named URL pattern in the project, with its view."""
    found: dict[str, Callable] = {}

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{ns}" if namespace and ns else ns or namespace,
                )
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = pattern.callback

    walk(get_resolver().url_patterns, None)
    return found
