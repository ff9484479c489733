from django.apps import AppConfig


class TaskingConfig(AppConfig):
    name = "lantern.tasking"
    label = "tasking"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core import home, navigation, periodic
        from lantern.demo import registry
        from lantern.tasking import agenda  # noqa: F401 - registers tasking's own sources
        from lantern.tasking.demo import generate
        from lantern.tasking.escalation import run_tick

        navigation.register(
            navigation.NavItem(
                "Meetings", "tasking:index", Cap.VIEW_TASKING, 40, group=navigation.TASKING
            )
        )
        navigation.register(
            navigation.NavItem(
                "Actions", "tasking:my-actions", Cap.TAKE_ACTIONS, 41, group=navigation.TASKING
            )
        )
        navigation.register(
            navigation.NavItem(
                "Operations",
                "tasking:operation-list",
                Cap.VIEW_OPERATIONS,
                43,
                group=navigation.TASKING,
            )
        )
        periodic.register(periodic.PeriodicJob("tasking escalations and reminders", run_tick))
        from lantern.tasking.export_jobs import build_queued_exports

        periodic.register(periodic.PeriodicJob("tasking exports", build_queued_exports, 200))
        registry.register(registry.Generator("tasking", 60, generate))
        home.register_needs(home.NeedsMe("tasking.my_actions", Cap.TAKE_ACTIONS, _needs_me, 40))
        # Tasking comes after intake: it puts strands on agendas and writes to their trace
        # through intake's trace service (lantern.tasking.intake_links).
        from lantern.tasking.intake_links import register_intake_links

        register_intake_links()
        from lantern.tasking.performance_measures import register_tasking_measures

        register_tasking_measures()


def _needs_me(request) -> list[dict]:
    from lantern.tasking.views import needs_me

    return needs_me(request)
