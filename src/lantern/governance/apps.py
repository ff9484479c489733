from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Information governance: retention review, two-person disposal and subject access.

    Below every app that holds personal data: each of them describes its own record types in a
    `governance.py` module (found here as Django's admin finds `admin.py`), so this app imports
    none of them."""

    name = "lantern.governance"
    label = "governance"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from lantern.accounts.access import Cap
        from lantern.audit.registry import register_record_type
        from lantern.core.navigation import ADMINISTRATION, NavItem, register

        autodiscover_modules("governance")
        register_record_type("governance.review_queue", "The retention review queue")
        register(
            NavItem("Retention", "governance:queue", Cap.REVIEW_RETENTION, 92, group=ADMINISTRATION)
        )
        register(
            NavItem(
                "Subject access",
                "governance:subject-start",
                Cap.SUBJECT_ACCESS,
                93,
                pages=("governance:subject", "governance:subject-pdf"),
                group=ADMINISTRATION,
            )
        )
