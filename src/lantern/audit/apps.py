from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lantern.audit"
    label = "audit"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.audit.health import checkpoint_health, verify_after_restore
        from lantern.audit.periodic import audit_checkpoint
        from lantern.core.backup import register_after_restore
        from lantern.core.health import register_check
        from lantern.core.navigation import ADMINISTRATION, NavItem, register
        from lantern.core.periodic import PeriodicJob
        from lantern.core.periodic import register as register_job

        register(
            NavItem("Audit trail", "audit:search", Cap.VIEW_AUDIT, order=90, group=ADMINISTRATION)
        )
        # Last, so the checkpoint covers what the other jobs wrote.
        register_job(PeriodicJob("audit-checkpoint", audit_checkpoint, order=1000))
        register_check("audit-checkpoint", checkpoint_health)
        register_after_restore("audit-verify", verify_after_restore)
