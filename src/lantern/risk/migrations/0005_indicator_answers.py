"""Each indicator is recorded as present, absent or not known (issue 25).

Existing answers are kept as recorded: every existing AssessedIndicator row is a ticked box, so
it becomes "present" with its evidence. The old form had only a tick box, so an unticked
indicator could mean "absent" or "not looked at": this migration treats every old unticked
indicator as NOT KNOWN (it writes no row for it and counts it in not_known_count), never as
absent. An old assessment with nothing ticked therefore reads "Not known" instead of "No
apparent risk", and an old assessment with ticks keeps its score and level, shown with the
number of indicators not known. A child whose latest risk point is such an assessment gets the
current level "Not known".

Reversible: going back drops the two fields; the rows and scores are untouched.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

NOT_KNOWN = "not_known"


def count_old_unticked_indicators_as_not_known(apps, schema_editor):
    Indicator = apps.get_model("risk", "Indicator")
    RiskAssessment = apps.get_model("risk", "RiskAssessment")
    AssessedIndicator = apps.get_model("risk", "AssessedIndicator")
    recorded = (
        AssessedIndicator.objects.filter(assessment=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sizes = (
        Indicator.objects.order_by()
        .values("group__version")
        .annotate(n=Count("pk"))
        .values_list("group__version", "n")
    )
    for version_id, size in sizes:
        RiskAssessment.objects.filter(version_id=version_id).update(
            not_known_count=Value(size) - Coalesce(Subquery(recorded), Value(0))
        )
    _mark_children_whose_latest_level_is_not_known(apps)


def _mark_children_whose_latest_level_is_not_known(apps):
    RiskAssessment = apps.get_model("risk", "RiskAssessment")
    MaceDiscussion = apps.get_model("children", "MaceDiscussion")
    Child = apps.get_model("children", "Child")
    blank = RiskAssessment.objects.filter(
        child__isnull=False, computed_level="none", not_known_count__gt=0
    ).exclude(override_status="approved", override_level__gt="")
    for child_id in blank.values_list("child_id", flat=True).distinct().iterator():
        blank_ids = set(blank.filter(child_id=child_id).values_list("pk", flat=True))
        # Ordered as children.services.risk_points: by date, MACE after an assessment that day.
        points = [
            (a.assessed_on, False, a.pk)
            for a in RiskAssessment.objects.filter(child_id=child_id).only("pk", "assessed_on")
        ]
        points += [
            (d.held_on, True, d.pk)
            for d in MaceDiscussion.objects.filter(child_id=child_id).only("pk", "held_on")
        ]
        _, is_mace, pk = max(points)
        if not is_mace and pk in blank_ids:
            Child.objects.filter(pk=child_id).update(current_level=NOT_KNOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0004_nominal_gender_ethnicity"),
        ("children", "0003_current_level_not_known"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessedindicator",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="risk.riskassessment",
            ),
        ),
        migrations.AddField(
            model_name="assessedindicator",
            name="answer",
            field=models.CharField(
                choices=[("present", "Present"), ("absent", "Absent"), ("not_known", "Not known")],
                default="present",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="riskassessment",
            name="not_known_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(
            count_old_unticked_indicators_as_not_known, migrations.RunPython.noop, elidable=False
        ),
    ]
