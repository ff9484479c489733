"""Seed the three risk tools Lantern ships with, each as version 1 (active).

The wording is Lantern's own, written from the public descriptions of the "spot the signs"
campaign and of regional CSE risk assessment tools; no published tool is copied. Reversible:
reversing removes the tools only while no assessment uses them (PROTECT says so otherwise).
"""

from django.db import migrations

SCREENING = {
    "code": "cse-screening",
    "name": "CSE screening checklist",
    "subject": "child",
    "description": "A quick first look, built on the fourteen signs of child sexual "
    "exploitation, to decide whether a full risk assessment is needed.",
    "guidance": "Tick each sign you have seen or been told about, and say what you saw or heard "
    "and when. One sign on its own rarely means a child is being exploited; several together "
    "should lead to a full CSE risk assessment. Your professional judgement always counts: if "
    "the score does not match what you know, record an override with your reasons.",
    "groups": [
        (
            "Signs of sexual exploitation",
            [
                ("Injuries that are unexplained, or explained in a way that does not fit", 2),
                ("Getting into trouble with the police or becoming involved in crime", 1),
                ("Talking about, planning or attempting suicide", 3),
                ("Gifts, money, phones or clothes the family cannot account for", 2),
                ("Pulling away from family and usual friends", 1),
                ("Missing school or not attending regularly", 1),
                ("Low mood, anxiety or other worries about mental health", 1),
                ("Using drugs or alcohol", 2),
                ("Sexual bullying, or sexualised talk and behaviour not expected for their age", 2),
                ("Bringing other young people into situations where they may be exploited", 2),
                ("Harmful contact online, or being asked for images", 2),
                ("Hurting themselves on purpose", 2),
                ("Going missing from home or from care", 3),
                ("More than one termination of pregnancy", 3),
            ],
        )
    ],
    "bands": [(0, 0, "none"), (1, 3, "low"), (4, 8, "medium"), (9, None, "high")],
}

FULL = {
    "code": "cse-risk-assessment",
    "name": "CSE risk assessment",
    "subject": "child",
    "description": "The full assessment of a child's vulnerability and the risk that they are "
    "being sexually exploited, used for MACE and for tracking progress over time.",
    "guidance": "Complete this with the child where you can, and with what partners know. Give "
    "evidence for every indicator you tick: what, when, and who said so. Vulnerabilities make "
    "exploitation more likely; risk indicators suggest it may be happening. The level is a "
    "starting point for the MACE discussion, not a verdict.",
    "groups": [
        (
            "Vulnerabilities",
            [
                ("Earlier abuse or neglect", 2),
                ("Looked after, or placements that keep breaking down", 2),
                ("Not in education, excluded, or on a reduced timetable", 2),
                ("Domestic abuse or serious conflict at home", 2),
                ("Learning difficulty or disability", 2),
                ("Worries about emotional wellbeing or mental health", 2),
                ("Few trusted adults or friends; isolated", 1),
                ("No settled home, or sofa surfing", 2),
                ("Unsure about sexuality or gender identity and lacking support", 1),
            ],
        ),
        (
            "Risk indicators",
            [
                ("Going missing, or staying out late without explanation", 3),
                ("Friendship or relationship with a much older person", 3),
                ("Money, gifts, phones or substances from people who want something back", 3),
                ("Seen getting into cars with unknown adults", 3),
                ("Seen in places known for exploitation (hot spots)", 3),
                ("Sexual health concerns: infections, pregnancy, terminations", 3),
                ("Online contact with unknown adults, or sharing images", 2),
                ("Drugs or alcohol supplied by adults", 3),
                ("Links with others known to be exploited", 2),
                ("Disclosed sexual activity with adults, or being made to do things", 4),
            ],
        ),
    ],
    "bands": [(0, 2, "none"), (3, 9, "low"), (10, 19, "medium"), (20, None, "high")],
}

SUSPECT = {
    "code": "suspect-risk",
    "name": "CSE suspect (nominal) risk assessment",
    "subject": "nominal",
    "description": "How much harm a nominal is thought to pose, to decide which suspects get "
    "a disruption plan and in what order.",
    "guidance": "Base each tick on graded intelligence or recorded crime and cite the "
    "reference. Score what is known now; reassess when new intelligence arrives.",
    "groups": [
        (
            "History",
            [
                ("Convicted of a sexual offence against a child", 4),
                ("Previously investigated for child sexual exploitation", 3),
                ("Other violent offending", 2),
            ],
        ),
        (
            "Current intelligence",
            [
                ("Intelligence of contact with children at risk", 3),
                ("Intelligence of supplying drugs, alcohol or gifts to children", 3),
                ("Links to premises or vehicles used to exploit children", 2),
                ("Associates of other nominals", 2),
                ("Uses several phones or online identities", 1),
            ],
        ),
    ],
    "bands": [(0, 3, "low"), (4, 9, "medium"), (10, None, "high")],
}

TOOLS = [SCREENING, FULL, SUSPECT]


def create_tools(apps, schema_editor):
    RiskTool = apps.get_model("risk", "RiskTool")
    RiskToolVersion = apps.get_model("risk", "RiskToolVersion")
    IndicatorGroup = apps.get_model("risk", "IndicatorGroup")
    Indicator = apps.get_model("risk", "Indicator")
    ScoringBand = apps.get_model("risk", "ScoringBand")
    for spec in TOOLS:
        tool = RiskTool.objects.create(
            code=spec["code"],
            name=spec["name"],
            subject=spec["subject"],
            description=spec["description"],
        )
        version = RiskToolVersion.objects.create(
            tool=tool, number=1, status="active", guidance=spec["guidance"]
        )
        for group_order, (group_name, indicators) in enumerate(spec["groups"]):
            group = IndicatorGroup.objects.create(
                version=version, name=group_name, order=group_order
            )
            for order, (text, weight) in enumerate(indicators):
                Indicator.objects.create(group=group, text=text, weight=weight, order=order)
        for low, high, level in spec["bands"]:
            ScoringBand.objects.create(
                version=version, min_score=low, max_score=high, level=level
            )


def remove_tools(apps, schema_editor):
    RiskTool = apps.get_model("risk", "RiskTool")
    ScoringBand = apps.get_model("risk", "ScoringBand")
    Indicator = apps.get_model("risk", "Indicator")
    IndicatorGroup = apps.get_model("risk", "IndicatorGroup")
    RiskToolVersion = apps.get_model("risk", "RiskToolVersion")
    codes = [spec["code"] for spec in TOOLS]
    versions = RiskToolVersion.objects.filter(tool__code__in=codes)
    ScoringBand.objects.filter(version__in=versions).delete()
    Indicator.objects.filter(group__version__in=versions).delete()
    IndicatorGroup.objects.filter(version__in=versions).delete()
    versions.delete()
    RiskTool.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(create_tools, remove_tools)]
