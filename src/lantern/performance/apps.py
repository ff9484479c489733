from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lantern.performance"
    label = "performance"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core import navigation
        from lantern.demo.registry import Generator
        from lantern.demo.registry import register as register_demo
        from lantern.performance import demo
        from lantern.performance.measures import register_foundation_measures

        register_foundation_measures()
        register_demo(Generator("performance", 90, demo.generate))
        navigation.register(
            navigation.NavItem("Performance", "performance:index", Cap.VIEW_REPORTS, order=60)
        )
        navigation.register(
            navigation.NavItem("Figures", "performance:figures", Cap.ENTER_FIGURES, order=61)
        )
        navigation.register(
            navigation.NavItem(
                "Briefing", "performance:briefing", Cap.VIEW_RESTRICTED_REPORTS, order=62
            )
        )
