from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "lantern.entities"
    label = "entities"
    verbose_name = "Cross-referencing"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core import home, navigation, periodic
        from lantern.demo import registry
        from lantern.entities import demo, record_links, services

        navigation.register(
            navigation.NavItem(
                "Cross-referencing",
                "entities:search",
                Cap.VIEW_ENTITIES,
                order=26,
                group=navigation.INTELLIGENCE,
            )
        )
        registry.register(registry.Generator("entities", 40, demo.generate))
        home.register_needs(
            home.NeedsMe("entities.suggestions", Cap.RESOLVE_ENTITIES, _needs_me, 30)
        )
        record_links.connect()
        periodic.register(
            periodic.PeriodicJob(
                "Resolve waiting mentions",
                lambda now: f"{services.resolve_pending(now)} waiting mentions resolved",
            )
        )


def _needs_me(request) -> list[dict]:
    from lantern.entities.views import needs_me

    return needs_me(request)
