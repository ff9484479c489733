from django.db import migrations, models


def existing_overrides_were_approved(apps, schema_editor):
    """Overrides recorded before approval was asked for named their approver as having
    approved: they keep counting."""
    assessment = apps.get_model("risk", "RiskAssessment")
    assessment.objects.exclude(override_level="").update(override_status="approved")


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_seed_tools")]

    operations = [
        migrations.AddField(
            model_name="riskassessment",
            name="override_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "No override"),
                    ("pending", "Waiting for approval"),
                    ("approved", "Approved"),
                    ("declined", "Declined"),
                ],
                default="",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="override_decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="override_decision_note",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="nominal",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(existing_overrides_were_approved, migrations.RunPython.noop),
    ]
