from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lantern.accounts"
    label = "accounts"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.accounts.panels import admin_panel
        from lantern.core.home import HomePanel
        from lantern.core.home import register as register_panel
        from lantern.core.navigation import ADMINISTRATION, NavItem, register

        register(
            NavItem(
                "Agencies",
                "accounts:agency-list",
                Cap.MANAGE_AGENCIES,
                order=80,
                group=ADMINISTRATION,
            )
        )
        register(
            NavItem("Users", "accounts:user-list", Cap.MANAGE_USERS, order=81, group=ADMINISTRATION)
        )
        register_panel(
            HomePanel(
                "accounts", "accounts/panel_admin.html", Cap.MANAGE_USERS, admin_panel, order=90
            )
        )
