from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "lantern.risk"
    label = "risk"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core import navigation
        from lantern.core.navigation import NavItem, register
        from lantern.risk.agenda_sources import register_risk_agenda_sources

        register(
            NavItem(
                "Nominals",
                "risk:nominal-list",
                Cap.ASSESS_SUSPECTS,
                order=45,
                group=navigation.CHILDREN,
            )
        )
        register(
            NavItem(
                "Risk tools",
                "risk:tool-list",
                Cap.MANAGE_RISK_TOOLS,
                order=46,
                group=navigation.CHILDREN,
            )
        )
        register_risk_agenda_sources()
        from lantern.core.home import HomePanel
        from lantern.core.home import register as register_panel
        from lantern.risk import views

        # Shown only to someone with overrides to approve (the template is empty otherwise).
        register_panel(HomePanel("risk-approvals", "risk/home_panel.html", None, views.home_panel))
