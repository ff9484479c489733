from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lantern.audit"
    label = "audit"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core.navigation import NavItem, register

        register(NavItem("Audit trail", "audit:search", Cap.VIEW_AUDIT, order=90))
