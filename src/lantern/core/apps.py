from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from lantern.accounts.access import Cap
        from lantern.core.database import apply_timeouts, serving_web_request
        from lantern.core.navigation import ADMINISTRATION, NavItem, register

        register(NavItem("Home", "core:home", None, order=0))
        connection_created.connect(apply_timeouts, dispatch_uid="lantern-db-timeouts")
        request_started.connect(serving_web_request, dispatch_uid="lantern-web-timeouts")
        register(
            NavItem("System health", "core:health", Cap.VIEW_HEALTH, order=95, group=ADMINISTRATION)
        )
