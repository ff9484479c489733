from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "lantern.intake"
    label = "intake"

    def ready(self) -> None:
        from lantern.accounts.access import Cap
        from lantern.core import home, navigation, periodic
        from lantern.demo import registry
        from lantern.intake import demo, drafts, panels, protocol, services, views

        home.register_public_start(views.public_start)
        navigation.register(
            navigation.NavItem(
                "Report a concern",
                "intake:start",
                Cap.SUBMIT_CONCERN,
                20,
                pages=("intake:report", "intake:check", "intake:done", "intake:status"),
                exact=True,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Intake queue",
                "intake:queue",
                Cap.WORK_INTAKE,
                21,
                group=navigation.INTELLIGENCE,
                pages=tuple(
                    f"intake:{name}"
                    for name in ("detail", "trace", "assign", "grade", "decide", "conclude")
                ),
            )
        )
        navigation.register(
            navigation.NavItem(
                "Social care queue",
                "intake:social-care-queue",
                Cap.MANAGE_CHILDREN,
                22,
                group=navigation.CHILDREN,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Shared with us",
                "intake:shared",
                Cap.VIEW_SHARED_SUBMISSIONS,
                23,
                group=navigation.INTELLIGENCE,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Trace matrix",
                "intake:trace-matrix",
                Cap.SUPERVISE_INTAKE,
                24,
                group=navigation.INTELLIGENCE,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Significant",
                "intake:significant",
                Cap.SUPERVISE_INTAKE,
                25,
                group=navigation.INTELLIGENCE,
            )
        )
        navigation.register(
            navigation.NavItem(
                "Members' assurance",
                "intake:assurance",
                Cap.VIEW_MEMBER_ASSURANCE,
                27,
                pages=("intake:guidance", "intake:guidance-edit"),
                group=navigation.FIGURES,
            )
        )
        # One item per answering group whose roles do not overlap (the partnership manager,
        # who answers at stage 2, reaches the list from the members' assurance page).
        # The unit answers queries among its intelligence pages; the independent chairs have
        # few pages, so theirs stands in the header itself.
        for cap, group in (
            (Cap.ANSWER_QUERIES_UNIT, navigation.INTELLIGENCE),
            (Cap.ANSWER_QUERIES_INDEPENDENT, ""),
        ):
            navigation.register(
                navigation.NavItem(
                    "Members' queries",
                    "intake:queries",
                    cap,
                    26,
                    pages=("intake:query",),
                    group=group,
                )
            )
        home.register(
            home.HomePanel(
                "intake-mine", "intake/panel_mine.html", Cap.SUBMIT_CONCERN, panels.mine, 20
            )
        )
        home.register(
            home.HomePanel(
                "intake-queue", "intake/panel_queue.html", Cap.WORK_INTAKE, panels.queue, 21
            )
        )
        periodic.register(periodic.PeriodicJob("intake-feedback", services.send_due_feedback, 50))
        periodic.register(
            periodic.PeriodicJob("intake-councillor-digest", services.send_councillor_digests, 51)
        )
        periodic.register(periodic.PeriodicJob("intake-drafts", drafts.delete_abandoned_drafts, 52))
        periodic.register(
            periodic.PeriodicJob("intake-member-queries", protocol.escalate_overdue_queries, 53)
        )
        registry.register(registry.Generator("intake", 30, demo.generate))
        from lantern.intake.performance_measures import register_intake_measures

        register_intake_measures()
