from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lantern.audit"
    label = "audit"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.audit.periodic import audit_checkpoint
        from lantern.core.navigation import ADMINISTRATION, NavItem, register
        from lantern.core.periodic import PeriodicJob
        from lantern.core.periodic import register as register_job

        register(
            NavItem("Audit trail", "audit:search", Cap.VIEW_AUDIT, order=90, group=ADMINISTRATION)
        )
        # Last, so the checkpoint covers what the other jobs wrote.
        register_job(PeriodicJob("audit-checkpoint", audit_checkpoint, order=1000))
