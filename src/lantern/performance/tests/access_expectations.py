"""Who may open each performance page. Roles are derived from the capabilities each view
requires (accounts/access.py ROLE_CAPABILITIES), and listed in the comments for a reader."""

from datetime import UTC, datetime

from lantern.accounts.access import ROLE_CAPABILITIES, Cap
from lantern.accounts.roles import Role
from lantern.core.tests.matrix import PUBLIC, Expect

PUBLISHED_AT = datetime(2014, 10, 20, 9, 0, tzinfo=UTC)


def roles_with(*caps: str) -> set[str]:
    return {role for role, held in ROLE_CAPABILITIES.items() if held & set(caps)}


READERS = roles_with(
    Cap.MANAGE_PERFORMANCE, Cap.VIEW_REPORTS, Cap.ENTER_FIGURES, Cap.VIEW_RESTRICTED_REPORTS
)  # everyone but councillors, the public and administrators
CATALOGUE = READERS | {Role.ADMINISTRATOR}
MANAGERS = {Role.PERFORMANCE_OFFICER}
FIGURES = roles_with(Cap.ENTER_FIGURES, Cap.MANAGE_PERFORMANCE)
LIVE = roles_with(Cap.MANAGE_PERFORMANCE, Cap.VIEW_RESTRICTED_REPORTS)
PUBLISHED = roles_with(Cap.MANAGE_PERFORMANCE, Cap.VIEW_REPORTS)
CABINET = PUBLISHED | roles_with(Cap.MANAGE_PLAN)
WRITERS = {Role.PERFORMANCE_OFFICER, Role.PARTNERSHIP_MANAGER}
RESTRICTED = roles_with(Cap.VIEW_RESTRICTED_REPORTS)
PROFILE = roles_with(Cap.VIEW_RESTRICTED_REPORTS, Cap.VIEW_REPORTS)


def _entered_measure(world):
    from lantern.performance.models import Measure

    measure, _ = Measure.objects.get_or_create(
        code="prevent-matrix-measure",
        defaults={
            "name": "Matrix measure",
            "priority": "prevent",
            "section": "Training",
            "owner": world.agency,
        },
    )
    return measure


def _computed_code(world):
    from lantern.performance.services import sync_catalogue

    sync_catalogue()
    return "leadership-agencies-active"


def _request(world):
    from lantern.core.testing import make_user
    from lantern.performance.models import FiguresRequest

    _entered_measure(world)
    officer = make_user(Role.PERFORMANCE_OFFICER)
    made, _ = FiguresRequest.objects.get_or_create(
        agency=world.agency,
        period="2014/15-Q2",
        defaults={"requested_by": officer, "requested_at": PUBLISHED_AT},
    )
    return made.pk


def _report(world):
    from lantern.core.testing import make_user
    from lantern.performance.models import PublishedFile, PublishedReport

    report = PublishedReport.objects.first()
    if report is None:
        report = PublishedReport.objects.create(
            period="2014/15-Q2",
            content={"period": "2014/15-Q2", "columns": ["2014/15-Q2"], "rows": []},
            content_hash="0" * 64,
            published_by=make_user(Role.PERFORMANCE_OFFICER),
            published_at=PUBLISHED_AT,
        )
        PublishedFile.objects.create(report=report, format="csv", data=b"x", sha256="0" * 64)
    return report.pk


def _story(world) -> int:
    from lantern.core.testing import make_user
    from lantern.performance.models import CaseStudy

    story = CaseStudy.objects.first() or CaseStudy.objects.create(
        title="Matrix story",
        text="A young person returned home.",
        written_by=make_user(Role.PERFORMANCE_OFFICER),
        written_at=PUBLISHED_AT,
    )
    return story.pk


def _published_slug(world) -> str:
    from lantern.performance.models import PublishedReport

    _report(world)
    return PublishedReport.objects.first().period.replace("/", "-")


EXPECTATIONS = {
    "performance:index": Expect(READERS),
    "performance:catalogue": Expect(CATALOGUE),
    "performance:measure-create": Expect(MANAGERS),
    "performance:measure-detail": Expect(CATALOGUE, kwargs=lambda w: {"code": _computed_code(w)}),
    "performance:measure-edit": Expect(
        MANAGERS, kwargs=lambda w: {"code": _entered_measure(w).code}
    ),
    "performance:measure-records": Expect(
        {Role.ADMINISTRATOR},
        kwargs=lambda w: {"code": _computed_code(w), "period": "2014-15-Q2"},
        note="only administrators may see the agencies behind the figure",
    ),
    "performance:figures": Expect(FIGURES),
    "performance:figures-request": Expect(MANAGERS),
    "performance:figures-enter": Expect(
        MANAGERS,
        kwargs=lambda w: {"pk": _request(w)},
        note="partners of other agencies get 404; the agency's own partners are tested apart",
    ),
    "performance:data-summary": Expect(LIVE),
    "performance:data-summary-download": Expect(LIVE),
    "performance:publish": Expect(MANAGERS),
    "performance:published-list": Expect(PUBLISHED),
    "performance:published-detail": Expect(PUBLISHED, kwargs=lambda w: {"pk": _report(w)}),
    "performance:published-download": Expect(
        PUBLISHED, kwargs=lambda w: {"pk": _report(w), "fmt": "csv"}
    ),
    "performance:public-list": Expect(PUBLIC),
    "performance:public-report": Expect(
        PUBLIC, kwargs=lambda w: {"period": _published_slug(w)}, note="published periods only"
    ),
    "performance:public-report-download": Expect(
        PUBLIC, kwargs=lambda w: {"period": _published_slug(w), "fmt": "csv"}
    ),
    "performance:dashboard": Expect(PUBLISHED),
    "performance:cabinet": Expect(CABINET),
    "performance:cabinet-update": Expect(WRITERS),
    "performance:cabinet-download": Expect(PUBLISHED),
    "performance:annual": Expect(CABINET),
    "performance:annual-download": Expect(CABINET),
    "performance:finance": Expect(WRITERS),
    "performance:scrutiny": Expect(CABINET),
    "performance:forward-plan": Expect(CABINET, note="only the partnership manager adds to it"),
    "performance:case-studies": Expect(WRITERS),
    "performance:case-study": Expect(WRITERS, kwargs=lambda w: {"pk": _story(w)}),
    "performance:briefing": Expect(RESTRICTED),
    "performance:briefing-partners": Expect(
        roles_with(Cap.VIEW_RESTRICTED_REPORTS, Cap.VIEW_REPORTS, Cap.MANAGE_PLAN),
        note="the sub-group and operational managers: counts and themes, nobody named",
    ),
    "performance:problem-profile": Expect(PROFILE),
}
