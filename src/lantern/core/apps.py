from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core.navigation import NavItem, register

        register(NavItem("Home", "core:home", None, order=0))
        register(NavItem("System health", "core:health", Cap.VIEW_HEALTH, order=95))
