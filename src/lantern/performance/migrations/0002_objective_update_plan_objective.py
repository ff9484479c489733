"""Link each Cabinet report update to a delivery plan objective instead of a typed-in name.

Existing updates are matched by name: an objective whose title (or "ref title", or ref) is the
typed name, preferring the strategy whose years cover the update's quarter. An update with no
single match keeps its name in `unmatched_objective` so nothing written is lost. Reversing puts
each linked objective's title back as the name.
"""

from django.db import migrations, models
import django.db.models.deletion


def link_updates_to_plan_objectives(apps, schema_editor):
    ObjectiveUpdate = apps.get_model("performance", "ObjectiveUpdate")
    Objective = apps.get_model("plans", "Objective")
    objectives = list(Objective.objects.select_related("strategy"))
    for update in ObjectiveUpdate.objects.filter(objective__isnull=True):
        match = matching_objective(update.unmatched_objective, update.period, objectives)
        if match is not None:
            update.objective = match
            update.unmatched_objective = ""
            update.save(update_fields=["objective", "unmatched_objective"])


def matching_objective(name: str, period: str, objectives):
    """The one objective called `name`, preferring the strategy covering the period; else None."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    named = [
        o
        for o in objectives
        if wanted
        in {
            " ".join(o.title.split()).casefold(),
            f"{o.ref} {' '.join(o.title.split())}".casefold(),
            o.ref.casefold(),
        }
    ]
    if len(named) > 1:
        year = int(period[:4]) if period[:4].isdigit() else None
        named = [o for o in named if year and o.strategy.start_year <= year <= o.strategy.end_year]
    return named[0] if len(named) == 1 else None


def names_from_plan_objectives(apps, schema_editor):
    ObjectiveUpdate = apps.get_model("performance", "ObjectiveUpdate")
    for update in ObjectiveUpdate.objects.filter(objective__isnull=False).select_related(
        "objective"
    ):
        update.unmatched_objective = update.objective.title[:300]
        update.save(update_fields=["unmatched_objective"])


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="objectiveupdate", name="one_update_per_objective_and_period"
        ),
        migrations.RenameField(
            model_name="objectiveupdate", old_name="objective", new_name="unmatched_objective"
        ),
        migrations.AlterField(
            model_name="objectiveupdate",
            name="unmatched_objective",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="objectiveupdate",
            name="objective",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cabinet_updates",
                to="plans.objective",
            ),
        ),
        migrations.RunPython(link_updates_to_plan_objectives, names_from_plan_objectives),
        migrations.AlterModelOptions(
            name="objectiveupdate",
            options={
                "ordering": ["period", "priority", "objective__position", "unmatched_objective"]
            },
        ),
        migrations.AddConstraint(
            model_name="objectiveupdate",
            constraint=models.UniqueConstraint(
                condition=models.Q(objective__isnull=False),
                fields=("period", "objective"),
                name="one_update_per_plan_objective_and_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="objectiveupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(objective__isnull=False) | ~models.Q(unmatched_objective=""),
                name="objective_update_names_its_objective",
            ),
        ),
    ]
