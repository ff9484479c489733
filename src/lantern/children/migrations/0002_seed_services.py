"""Seed the catalogue of services children and survivors are referred to (fictional names).

The codes sexual-health, drugs-alcohol, camhs and youth-support are the ones MACE outcomes
refer to. Reversible while no referral uses them.
"""

from django.db import migrations

SERVICES = [
    ("sexual-health", "Sexual health service", "Northmere Health Partnership", "statutory", True, False,
     "Sexual health advice, testing and contraception for young people."),
    ("drugs-alcohol", "Young people's drugs and alcohol service", "Northmere Health Partnership",
     "statutory", True, False, "Assessment and support for young people using drugs or alcohol."),
    ("camhs", "Child and adolescent mental health services (CAMHS)", "Northmere Health Partnership",
     "statutory", True, False, "Mental health assessment and therapy, including a trauma pathway."),
    ("youth-support", "Youth support service (step-down)", "Northmere Youth Service", "statutory",
     True, False, "Early intervention, and step-down and exit support from the CSE team."),
    ("return-interviews", "Return home interviews", "Lanternlight Young People's Trust",
     "voluntary", True, False, "Independent return home interviews after a missing episode."),
    ("isva", "Children's independent sexual violence adviser", "Lanternlight Young People's Trust",
     "voluntary", True, False, "Support through reporting, investigation and court."),
    ("survivor-counselling", "Post-abuse counselling for adult survivors",
     "Lanternlight Young People's Trust", "voluntary", True, True,
     "Counselling and family support for adults abused as children."),
    ("peer-support", "Survivors' peer support group", "Northmere community groups", "voluntary",
     False, True, "A self-run group for survivors; not commissioned."),
]


def create_services(apps, schema_editor):
    Service = apps.get_model("children", "Service")
    for code, name, provider, kind, commissioned, adults, description in SERVICES:
        Service.objects.create(
            code=code,
            name=name,
            provider=provider,
            kind=kind,
            commissioned=commissioned,
            for_adult_survivors=adults,
            description=description,
        )


def remove_services(apps, schema_editor):
    Service = apps.get_model("children", "Service")
    Service.objects.filter(code__in=[s[0] for s in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("children", "0001_initial")]
    operations = [migrations.RunPython(create_services, remove_services)]
