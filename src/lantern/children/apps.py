from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "lantern.children"
    label = "children"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.children import demo, services, views
        from lantern.core import navigation
        from lantern.core.home import HomePanel
        from lantern.core.home import register as register_panel
        from lantern.core.navigation import NavItem, register
        from lantern.core.periodic import PeriodicJob
        from lantern.core.periodic import register as register_job
        from lantern.demo.registry import Generator
        from lantern.demo.registry import register as register_generator

        register(
            NavItem(
                "Children",
                "children:child-list",
                Cap.VIEW_CHILDREN,
                order=44,
                group=navigation.CHILDREN,
            )
        )
        register_generator(Generator("children", 60, demo.generate))
        register_job(
            PeriodicJob(
                "children: overdue return interviews", services.alert_overdue_return_interviews
            )
        )
        register_panel(
            HomePanel("children", "children/home_panel.html", Cap.VIEW_CHILDREN, views.home_panel)
        )
        from lantern.children.performance_measures import register_children_measures

        register_children_measures()
        from lantern.children.agenda_sources import register_children_agenda_sources

        register_children_agenda_sources()
