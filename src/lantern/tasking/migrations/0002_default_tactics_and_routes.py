"""The starting tactic catalogue and an escalation route per meeting type.

Reversible: going back removes only the rows this migration added (by name or type), and only
if no plan has used the tactic.
"""

from django.db import migrations

TACTICS = [
    ("Child abduction warning notice", "police", "Children Act 1989 s.49 / s.2"),
    ("Premises licence review", "licensing", "Licensing Act 2003"),
    ("Taxi and private hire licence check", "licensing", "Local licensing conditions"),
    ("Fire safety inspection", "other", "Fire safety order"),
    ("Environmental health inspection", "council", "Environmental health powers"),
    ("Closure order", "police", "Anti-social Behaviour, Crime and Policing Act 2014"),
    ("Community protection notice", "council", "Anti-social Behaviour, Crime and Policing Act 2014"),
    ("Sexual risk order", "police", "Sexual Offences Act 2003"),
    ("Slavery and trafficking risk order", "police", "Modern Slavery Act 2015"),
    ("Patrol strategy", "police", "Neighbourhood policing"),
    ("ANPR strategy", "police", "Automatic number plate recognition"),
    ("Warrant", "police", "Magistrates' warrant"),
    ("Arrest", "police", "Police and Criminal Evidence Act 1984"),
    ("Tenancy enforcement", "housing", "Tenancy conditions"),
]
ROUTES = [
    ("tasking_group", 7, 2),
    ("mace", 7, 2),
    ("gap", 14, 3),
    ("operational_managers", 14, 3),
    ("disruption", 7, 2),
]


def add(apps, schema_editor):
    Tactic = apps.get_model("tasking", "Tactic")
    Route = apps.get_model("tasking", "EscalationRoute")
    for name, kind, power in TACTICS:
        Tactic.objects.get_or_create(name=name, defaults={"agency_kind": kind, "power": power})
    for meeting_type, interval, reminder in ROUTES:
        Route.objects.get_or_create(
            meeting_type=meeting_type,
            defaults={"interval_days": interval, "reminder_days_before": reminder},
        )


def remove(apps, schema_editor):
    Tactic = apps.get_model("tasking", "Tactic")
    Route = apps.get_model("tasking", "EscalationRoute")
    Tactic.objects.filter(name__in=[t[0] for t in TACTICS], uses__isnull=True).delete()
    Route.objects.filter(meeting_type__in=[r[0] for r in ROUTES]).delete()


class Migration(migrations.Migration):
    dependencies = [("tasking", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
