from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lantern.accounts"
    label = "accounts"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core.navigation import NavItem, register

        register(NavItem("Agencies", "accounts:agency-list", Cap.MANAGE_AGENCIES, order=80))
        register(NavItem("Users", "accounts:user-list", Cap.MANAGE_USERS, order=81))
