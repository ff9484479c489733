"""Children's figures in the performance framework: the Protect measures of the data summary.

Each is computed from the records by `children.measures`, so nobody types them in.
"""

from __future__ import annotations

from lantern.children import measures
from lantern.performance.registry import ComputedMeasure, register

# (code, name, section, snapshot or flow, polarity, function)
PROTECT_MEASURES = [
    (
        "protect-cse-cases-open",
        "Cases open to the CSE team at period end",
        "CSE team caseload",
        "snapshot",
        "neither",
        measures.cases_open_to_cse_team,
    ),
    (
        "protect-cse-cases-open-boys",
        "Of which boys",
        "CSE team caseload",
        "snapshot",
        "neither",
        measures.cases_open_to_cse_team_boys,
    ),
    (
        "protect-cases-co-worked",
        "Other cases co-worked by the CSE team",
        "CSE team caseload",
        "snapshot",
        "neither",
        measures.cases_co_worked,
    ),
    (
        "protect-cse-contacts",
        "Contacts about CSE",
        "Contacts and referrals",
        "flow",
        "neither",
        measures.cse_contacts,
    ),
    (
        "protect-cse-contact-children",
        "Children the CSE contacts relate to",
        "Contacts and referrals",
        "flow",
        "neither",
        measures.children_in_cse_contacts,
    ),
    (
        "protect-contacts-to-referral",
        "Contacts about CSE leading to a referral",
        "Contacts and referrals",
        "flow",
        "neither",
        measures.contacts_leading_to_referral,
    ),
    (
        "protect-assessments-completed",
        "Assessments completed",
        "Contacts and referrals",
        "flow",
        "up",
        measures.assessments_completed,
    ),
    (
        "protect-high-risk-children",
        "High-risk children at period end",
        "Risk",
        "snapshot",
        "down",
        measures.high_risk_children,
    ),
    (
        "protect-risk-assessments",
        "Risk assessments completed",
        "Risk",
        "flow",
        "up",
        measures.risk_assessments_completed,
    ),
    (
        "protect-missing-incidents",
        "Missing episodes of children known to the CSE team",
        "Missing from home or care",
        "flow",
        "down",
        measures.missing_incidents,
    ),
    (
        "protect-missing-children",
        "Children known to the CSE team who went missing",
        "Missing from home or care",
        "flow",
        "down",
        measures.children_missing,
    ),
    (
        "protect-return-interviews",
        "Return home interviews held",
        "Missing from home or care",
        "flow",
        "up",
        measures.return_interviews,
    ),
    (
        "protect-mace-meetings",
        "MACE meetings held",
        "MACE",
        "flow",
        "neither",
        measures.mace_meetings_held,
    ),
]


def register_children_measures() -> None:
    for order, (code, name, section, timing, polarity, fn) in enumerate(PROTECT_MEASURES):
        register(
            ComputedMeasure(
                code=code,
                name=name,
                priority="protect",
                section=section,
                unit="count",
                timing=timing,
                polarity=polarity,
                definition=(fn.__doc__ or "").strip(),
                compute=_for_period(fn),
                order=100 + order,
            )
        )


def _for_period(fn):
    def compute(period):
        return fn(period.start, period.end)

    return compute
