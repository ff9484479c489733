from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "lantern.plans"
    label = "plans"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core import home, navigation, periodic
        from lantern.demo import registry
        from lantern.plans import demo, services
        from lantern.plans.home import my_actions_panel, plans_panel

        navigation.register(
            navigation.NavItem(
                "Delivery plan",
                "plans:strategy-list",
                Cap.VIEW_PLAN,
                order=63,
                group=navigation.FIGURES,
            )
        )
        home.register(
            home.HomePanel(
                "plans-my-actions", "plans/home_panel.html", None, my_actions_panel, order=40
            )
        )
        home.register(
            home.HomePanel(
                "plans-overview", "plans/home_plans.html", Cap.VIEW_PLAN, plans_panel, 41
            )
        )
        periodic.register(
            periodic.PeriodicJob("plans: overdue action reminders", services.send_overdue_reminders)
        )
        registry.register(registry.Generator("delivery plan", 60, demo.generate))
