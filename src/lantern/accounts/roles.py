"""The roles a Lantern user can hold, and what each role may do.

Roles are code, not data: the access policy (`access.py`) is written against them, so adding a
role is a code change with a test. A user may hold several roles (a social worker who also chairs
MACE); their capabilities are the union.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    COUNCILLOR = "councillor", "Elected member (councillor)"
    MEMBER_OF_PUBLIC = "member_of_public", "Member of the public"
    POLICE_INTELLIGENCE = "police_intelligence", "Police intelligence officer or analyst"
    POLICE_SUPERVISOR = "police_supervisor", "Police supervisor (tasking chair)"
    CSE_SOCIAL_WORKER = "cse_social_worker", "CSE social worker"
    MACE_CHAIR = "mace_chair", "MACE chair"
    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    BOARD_MEMBER = "board_member", "Board member"
    SCRUTINY_MEMBER = "scrutiny_member", "Scrutiny member"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles whose holders can see personal data: they must sign in with a second factor.
# Councillors, the public, board and scrutiny members see only their own reports or
# aggregate figures, so a second factor is offered to them but not required.
SECOND_FACTOR_REQUIRED = frozenset(
    {
        Role.PARTNER_PRACTITIONER,
        Role.POLICE_INTELLIGENCE,
        Role.POLICE_SUPERVISOR,
        Role.CSE_SOCIAL_WORKER,
        Role.MACE_CHAIR,
        Role.PERFORMANCE_OFFICER,
        Role.PARTNERSHIP_MANAGER,
        Role.ADMINISTRATOR,
    }
)

# Roles that belong to the police: they see full intelligence text and the operations register.
POLICE_ROLES = frozenset({Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR})

# Roles that see full intelligence text (police) or restricted child records (social care):
# giving one needs a second administrator's approval (accounts.role_grants).
SECOND_APPROVAL_REQUIRED = frozenset(
    {Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR, Role.CSE_SOCIAL_WORKER, Role.MACE_CHAIR}
)

ROLE_DESCRIPTIONS = {
    Role.PARTNER_PRACTITIONER: (
        "Submit information, see what happened to it and take the actions allocated to your agency."
    ),
    Role.COUNCILLOR: (
        "Report a concern and get an acknowledgement and a brief update when it has been acted on."
    ),
    Role.MEMBER_OF_PUBLIC: "Report a concern and see whether it has been acted on.",
    Role.POLICE_INTELLIGENCE: (
        "Receive, grade, research and link submissions; prepare the tasking agenda."
    ),
    Role.POLICE_SUPERVISOR: (
        "Chair the weekly tasking group and receive escalations of overdue or urgent items."
    ),
    Role.CSE_SOCIAL_WORKER: "Children's records, referrals, risk assessments, plans and services.",
    Role.MACE_CHAIR: "Chair MACE meetings: agree risk levels and outcome actions.",
    Role.PERFORMANCE_OFFICER: "The measure catalogue, partners' figures and quarterly reports.",
    Role.PARTNERSHIP_MANAGER: "The delivery plan, its BRAG ratings and the plan on a page.",
    Role.BOARD_MEMBER: "The delivery plan and published reports: aggregate figures only.",
    Role.SCRUTINY_MEMBER: "Published reports and the plan on a page: aggregate figures only.",
    Role.ADMINISTRATOR: "Agencies, teams, users and roles, retention and the audit trail.",
}
