from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, PUBLIC, Expect
from lantern.intake.models import Route, Submission

POLICE = {Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR}
SOCIAL_CARE = {Role.CSE_SOCIAL_WORKER, Role.MACE_CHAIR}
REPORTERS = {
    Role.PARTNER_PRACTITIONER,
    Role.COUNCILLOR,
    Role.MEMBER_OF_PUBLIC,
    *POLICE,
    *SOCIAL_CARE,
    Role.PARTNERSHIP_MANAGER,
}
SHARED_VIEWERS = {Role.PARTNER_PRACTITIONER, *POLICE, *SOCIAL_CARE}


def _submission(world) -> Submission:
    """A safeguarding report about a child, made by a voluntary-sector worker and shared with
    the test health agency (the partner practitioner's), with a photo attached."""
    from lantern.intake.tests.factories import make_submission, png_upload

    existing = Submission.objects.filter(submitted_by=world.other_user).first()
    if existing:
        return existing
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    return make_submission(
        world.other_user, route=Route.SPECIFIC_CHILD, shared_with=[health], files=[png_upload()]
    )


def _ref(world) -> dict:
    return {"reference": _submission(world).reference}


def _attachment(world) -> dict:
    return {"pk": _submission(world).attachments.get().pk}


def _query(world) -> dict:
    """A councillor-style query at stage 1, raised by the item's reporter."""
    from django.utils import timezone

    from lantern.intake import protocol
    from lantern.intake.models import MemberQuery

    submission = _submission(world)
    existing = MemberQuery.objects.filter(submission=submission).first()
    if existing is None:
        existing = protocol.raise_query(
            world.other_user, submission, text="Any news?", now=timezone.now()
        )
    return {"pk": existing.pk}


def _token(world) -> dict:
    return {"token": _submission(world).idempotency_token}


EXPECTATIONS = {
    "intake:start": Expect(PUBLIC),
    "intake:report": Expect(PUBLIC),
    # Only the browser that sent a report (or its reporter) sees it; others go to the start.
    "intake:status": Expect(PUBLIC, note="reference and status code; rate-limited"),
    "intake:done": Expect(PUBLIC, kwargs=_token, note="others are sent to the start page"),
    # A draft is seen only by the browser that wrote it; others go to the start page.
    "intake:check": Expect(PUBLIC, kwargs=_token, note="others are sent to the start page"),
    "intake:mine": Expect(REPORTERS),
    "intake:queue": Expect(POLICE),
    "intake:queue-assign": Expect(POLICE, method="post", note="bulk assignment; POST only"),
    "intake:social-care-queue": Expect(SOCIAL_CARE),
    "intake:shared": Expect(SHARED_VIEWERS),
    "intake:trace-matrix": Expect({Role.POLICE_SUPERVISOR}),
    "intake:attachment": Expect(POLICE | SOCIAL_CARE, kwargs=_attachment),
    "intake:detail": Expect(POLICE | SOCIAL_CARE | {Role.PARTNER_PRACTITIONER}, kwargs=_ref),
    "intake:trace": Expect(POLICE | SOCIAL_CARE, kwargs=_ref),
    "intake:assign": Expect(POLICE, kwargs=_ref),
    "intake:grade": Expect(POLICE, kwargs=_ref),
    "intake:decide": Expect(POLICE, kwargs=_ref),
    "intake:conclude": Expect(POLICE, kwargs=_ref),
    "intake:split": Expect(POLICE, kwargs=_ref),
    "intake:merge": Expect(POLICE, kwargs=_ref),
    "intake:flag-significant": Expect(POLICE, kwargs=_ref),
    "intake:significant": Expect({Role.POLICE_SUPERVISOR}),
    "intake:record-contact": Expect(SOCIAL_CARE, kwargs=_ref),
    # Only the item's own reporter may raise a query about it: 404 for everyone else.
    "intake:raise-query": Expect(set(), kwargs=_ref, note="the reporter's own items only"),
    # A stage 1 query: its reporter and the intelligence unit; later stages widen it.
    "intake:query": Expect(POLICE, kwargs=_query, note="and the query's own reporter"),
    "intake:assurance": Expect(
        {
            Role.COUNCILLOR,
            Role.POLICE_SUPERVISOR,
            Role.PERFORMANCE_OFFICER,
            Role.PARTNERSHIP_MANAGER,
            Role.BOARD_MEMBER,
            Role.SCRUTINY_MEMBER,
        },
        note="aggregate figures, small numbers suppressed",
    ),
    "intake:guidance": Expect(ANYONE_SIGNED_IN, kwargs=lambda w: {"key": "what-to-do-if"}),
    "intake:guidance-edit": Expect(
        {Role.PARTNERSHIP_MANAGER}, kwargs=lambda w: {"key": "what-to-do-if"}
    ),
    "intake:queries": Expect(
        POLICE | {Role.PARTNERSHIP_MANAGER, Role.BOARD_MEMBER, Role.SCRUTINY_MEMBER}
    ),
    "intake:check-child-records": Expect(SOCIAL_CARE, kwargs=_ref),
}
