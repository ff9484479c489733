from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"

    def ready(self) -> None:
        from lantern.core.navigation import NavItem, register

        register(NavItem("Home", "core:home", None, order=0))
