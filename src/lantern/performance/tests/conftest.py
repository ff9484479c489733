"""A fixture to change the registered report providers for one test and put them back after."""

from __future__ import annotations

import pytest

from lantern.performance import registry


class _Providers:
    def __init__(self):
        self.saved: dict[str, registry.Provider | None] = {}

    def _save(self, key: str) -> None:
        self.saved.setdefault(key, registry.provider(key))

    def remove(self, key: str) -> None:
        self._save(key)
        registry.unregister_provider(key)

    def replace(self, provider: registry.Provider) -> None:
        self._save(provider.key)
        registry.register_provider(provider)

    def restore(self) -> None:
        for key, provider in self.saved.items():
            registry.unregister_provider(key)
            if provider is not None:
                registry.register_provider(provider)


@pytest.fixture
def providers():
    changed = _Providers()
    yield changed
    changed.restore()
