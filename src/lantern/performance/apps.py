from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lantern.performance"
    label = "performance"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.audit.registry import register_record_type
        from lantern.core import home, navigation
        from lantern.demo.registry import Generator
        from lantern.demo.registry import register as register_demo
        from lantern.performance import demo
        from lantern.performance.measures import register_foundation_measures
        from lantern.performance.providers import register_providers

        register_foundation_measures()
        register_record_type("performance.datasummary", "Data summary for a period")
        register_record_type("performance.cabinetreport", "Quarterly report to Cabinet")
        register_record_type("performance.annualreport", "Annual report")
        register_providers()
        register_demo(Generator("performance", 90, demo.generate))
        home.register(
            home.HomePanel(
                "performance.figures_waiting",
                "performance/home_panel.html",
                Cap.ENTER_FIGURES,
                _figures_waiting,
                order=60,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Performance",
                "performance:index",
                Cap.VIEW_REPORTS,
                order=60,
                group=navigation.FIGURES,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Figures",
                "performance:figures",
                Cap.ENTER_FIGURES,
                order=61,
                group=navigation.FIGURES,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Briefing",
                "performance:briefing",
                Cap.VIEW_RESTRICTED_REPORTS,
                order=62,
                group=navigation.FIGURES,
            )
        )


def _figures_waiting(request) -> dict:
    """The periods the user's agency has been asked for figures and has not yet entered."""
    from lantern.performance.models import FiguresRequest

    if not request.user.agency_id:
        return {"waiting": []}
    periods = FiguresRequest.objects.filter(
        agency_id=request.user.agency_id, submitted_at__isnull=True
    ).values_list("period", flat=True)
    return {"waiting": list(periods)}
